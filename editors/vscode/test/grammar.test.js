// The TextMate grammar, checked with node's test runner (npm test): a rule written in every
// kind of clause gets the scopes a colour theme expects. tests/editors/test_textmate.py checks
// every keyword of every shipped pack against the language's parser as well.
"use strict";

const test = require("node:test");
const assert = require("node:assert");
const { loadGrammar, tokenize } = require("./tokenize.js");

const SAMPLE = [
  'rule ehc.final_plan "Issue the final EHC plan"  # a comment',
  "  duty local_authority",
  "  must",
  '  cite "SEND Regulations 2014 reg 13(2)"',
  "  see ehc.no_plan_notice, ehc.annual_review",
  '  when assessment_requested as request where outcome in ["a", "b"] and date >= 2025-01-06',
  "  expect final_plan_issued after request",
  "    within params.ehc.final_plan_weeks weeks of request",
  "  exempt time_limit_exception between request and due",
  "  | needs.level | needs.setting || band |",
  '  | 1..2        | "mainstream"  || "A"  |',
].join("\n");

function scopeOf(tokens, lines, line, text, occurrence = 1) {
  let column = -1;
  for (let seen = 0; seen < occurrence; seen += 1) column = lines[line - 1].indexOf(text, column + 1);
  const found = tokens.find(([l, start, end]) => l === line && start === column + 1 && end === column + 1 + text.length);
  assert.ok(found, `no token '${text}' on line ${line}`);
  return found[3][found[3].length - 1];
}

test("each kind of word gets its scope", async () => {
  const grammar = await loadGrammar();
  const tokens = tokenize(grammar, SAMPLE);
  const lines = SAMPLE.split("\n");
  const expect = (line, text, scope, occurrence) => assert.strictEqual(scopeOf(tokens, lines, line, text, occurrence), scope);
  expect(1, "rule", "keyword.other.declaration.sendrules");
  expect(1, "ehc.final_plan", "entity.name.function.sendrules");
  expect(1, '"Issue the final EHC plan"', "string.quoted.double.sendrules");
  expect(1, "# a comment", "comment.line.number-sign.sendrules");
  expect(2, "duty", "keyword.control.clause.sendrules");
  expect(3, "must", "storage.modifier.modality.sendrules");
  expect(5, "ehc.annual_review", "entity.name.function.sendrules");
  expect(6, "where", "keyword.operator.word.sendrules");
  expect(6, "in", "keyword.operator.word.sendrules");
  expect(6, "2025-01-06", "constant.numeric.date.sendrules");
  expect(6, ">=", "keyword.operator.comparison.sendrules");
  expect(8, "params.ehc.final_plan_weeks", "variable.other.constant.parameter.sendrules");
  expect(8, "weeks", "keyword.other.unit.sendrules", 2);
  expect(9, "due", "variable.language.due.sendrules");
  expect(10, "||", "punctuation.separator.table.sendrules");
  expect(11, "..", "keyword.operator.range.sendrules");
});
