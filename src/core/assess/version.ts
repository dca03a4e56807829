// The version of the assessment logic. Stored findings are reused while the hash of their inputs
// holds, and that hash covers the knowledge base and the policy but cannot see the code: a
// release whose rules judge differently would otherwise keep showing the old verdicts. Bump this
// whenever a rule, its wording or a helper it relies on (firmware ranges, maker lookup, risk)
// changes what a finding says; every device is then assessed again on the next run.
export const ASSESSMENT_VERSION = 2;
