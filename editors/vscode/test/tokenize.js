// Tokenize files with VS Code's own TextMate engine (vscode-textmate + the Oniguruma regular
// expressions VS Code uses) and this extension's grammar; print the tokens as JSON:
//   node test/tokenize.js FILE...  ->  {"FILE": [[line, start, end, [scopes...]], ...], ...}
// tests/editors/test_textmate.py compares them with the tokens of the language's parser.
"use strict";

const fs = require("fs");
const path = require("path");
const vsctm = require("vscode-textmate");
const oniguruma = require("vscode-oniguruma");

const GRAMMAR = path.join(__dirname, "..", "syntaxes", "sendrules.tmLanguage.json");

async function loadGrammar() {
  const wasm = fs.readFileSync(path.join(path.dirname(require.resolve("vscode-oniguruma")), "onig.wasm"));
  await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  const registry = new vsctm.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (patterns) => new oniguruma.OnigScanner(patterns),
      createOnigString: (text) => new oniguruma.OnigString(text),
    }),
    loadGrammar: async (scopeName) =>
      scopeName === "source.sendrules" ? vsctm.parseRawGrammar(fs.readFileSync(GRAMMAR, "utf8"), GRAMMAR) : null,
  });
  return registry.loadGrammar("source.sendrules");
}

function tokenize(grammar, text) {
  const tokens = [];
  let stack = vsctm.INITIAL;
  text.split("\n").forEach((line, number) => {
    const result = grammar.tokenizeLine(line, stack);
    for (const token of result.tokens) {
      tokens.push([number + 1, token.startIndex + 1, token.endIndex + 1, token.scopes]);
    }
    stack = result.ruleStack;
  });
  return tokens;
}

module.exports = { loadGrammar, tokenize };

if (require.main === module) {
  loadGrammar().then((grammar) => {
    const out = {};
    for (const file of process.argv.slice(2)) out[file] = tokenize(grammar, fs.readFileSync(file, "utf8"));
    process.stdout.write(JSON.stringify(out));
  }).catch((error) => { console.error(error); process.exit(1); });
}
