// The SEND rules extension: starts `sendrules lsp` (the language server) for .rules files and
// for the YAML files of standards packs. Syntax colouring comes from syntaxes/ (no code).
"use strict";

const vscode = require("vscode");
const { LanguageClient } = require("vscode-languageclient/node");

let client;

// The setting, with ${workspaceFolder} replaced by the first folder of the workspace
// (VS Code does not expand variables in an extension's own settings).
function serverCommand() {
  const setting = vscode.workspace.getConfiguration("sendrules").get("command") || "sendrules";
  const folders = vscode.workspace.workspaceFolders;
  const folder = folders && folders.length ? folders[0].uri.fsPath : "";
  return setting.split("${workspaceFolder}").join(folder);
}

function activate(context) {
  const command = serverCommand();
  const serverOptions = { command, args: ["lsp"] };
  const clientOptions = {
    documentSelector: [
      { scheme: "file", language: "sendrules" },
      { scheme: "file", language: "yaml", pattern: "**/{manifest,parameters,events}.yaml" },
    ],
  };
  client = new LanguageClient("sendrules", "SEND rules", serverOptions, clientOptions);
  client.start().catch((error) => {
    vscode.window.showErrorMessage(
      `SEND rules: could not start '${command} lsp' (${error.message}). ` +
        "Set 'sendrules.command' to the sendrules program of your checkout, e.g. .venv/bin/sendrules."
    );
  });
  context.subscriptions.push({ dispose: () => client && client.stop() });
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
