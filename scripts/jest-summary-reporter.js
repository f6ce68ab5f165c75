// Ends a jest run with one plain line, "jest: N passed, N failed, N skipped",
// the closing line CI reads in any language (jest's own summary is not one).
//
// When scripts/test.js runs the tiers one after the other, it names the tier
// in JEST_TIER and a file in JEST_TIER_SUMMARY: each run then writes its
// counts to the file and prints a tier line worded unlike the closing line
// ("jest fast tier: passed N, failed N, skipped N"), so that whatever CI
// matches, it matches only the one combined "jest: ..." line that
// scripts/test.js prints last.
const { writeFileSync } = require('node:fs');

class SummaryReporter {
  onRunComplete(_contexts, results) {
    const passed = results.numPassedTests;
    // A file that fails to load (a syntax error) runs no test, yet it failed:
    // count it, so that the closing line never reads "0 failed" on a red run.
    const failed = results.numFailedTests + results.numRuntimeErrorTestSuites;
    const skipped = results.numPendingTests + results.numTodoTests;
    const file = process.env.JEST_TIER_SUMMARY;
    if (!file) {
      process.stdout.write(`jest: ${passed} passed, ${failed} failed, ${skipped} skipped\n`);
      return;
    }
    writeFileSync(file, JSON.stringify({ passed, failed, skipped }));
    process.stdout.write(
      `jest ${process.env.JEST_TIER} tier: passed ${passed}, failed ${failed}, skipped ${skipped}\n`,
    );
  }
}
module.exports = SummaryReporter;
