/**
 * The order jest runs the suites in: those that run the real providers first, as they take longest (mostly waiting
 * on the provider), then the others, each group in jest's own order (by the durations of the last run, else by file
 * size). On a fresh clone, with no durations yet, jest started some of the longest last, and the run ended on them.
 */
const Sequencer = require('@jest/test-sequencer').default;

/** The suites that run the real providers; skipped with OVH_IAC_WITHOUT_REAL_PROVIDERS=1 (prerequisites.ts). */
const REAL_PROVIDER_SUITES = ['/__tests__/scenario-', '/__tests__/verify-run'];

const runsRealProviders = (test) => REAL_PROVIDER_SUITES.some((part) => test.path.includes(part));

class RealProvidersFirst extends Sequencer {
  async sort(tests) {
    const sorted = await super.sort(tests);
    return [...sorted.filter(runsRealProviders), ...sorted.filter((test) => !runsRealProviders(test))];
  }
}

module.exports = RealProvidersFirst;
module.exports.REAL_PROVIDER_SUITES = REAL_PROVIDER_SUITES;
