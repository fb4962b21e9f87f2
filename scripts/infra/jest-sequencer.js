// Whole-store suites (end-to-end and real engines) run before the unit layer. Under `--ci` on
// a two-core machine jest runs every suite in one process, whose heap grows with each suite;
// the 10,000-row stock feed timed out (504 after 60 s a chunk) when it ran after the ~230 unit
// suites, and took 67–122 s when it ran first. Within each group jest's own order stands.
const Sequencer = require('@jest/test-sequencer').default;

const STORE_SUITE = /\.(e2e|int)-spec\.ts$/;

class WholeStoreSuitesFirst extends Sequencer {
  sort(tests) {
    const ordered = super.sort(tests);
    return [
      ...ordered.filter((test) => STORE_SUITE.test(test.path)),
      ...ordered.filter((test) => !STORE_SUITE.test(test.path)),
    ];
  }
}

module.exports = WholeStoreSuitesFirst;
