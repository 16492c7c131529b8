/**
 * The order jest runs the suites in: the slowest first, so that the run does not end on one of them (on a fresh clone
 * jest has no durations of an earlier run and orders by file size, which started some of the longest last). Their
 * order is `npm run bench:tests`' measure on two cores with three workers; the other suites follow in jest's order.
 */
const path = require('node:path');
const Sequencer = require('@jest/test-sequencer').default;

/** The slowest suites, slowest first: a suite missing here only starts later, among the others. */
const SLOWEST = [
  'scenario-projects',
  'review-changes-cli',
  'scenario-faults',
  'scenario-buckets',
  'synthesis-parallel',
  'scenario-instances',
  'verify-run',
  'verify-run-wrong-stacks',
  'synthesis-folders',
  'contacts-terraform',
  'scenario-onboarding',
  'scenario-lifecycle',
  'scenario-ordering',
  'ci-plan-batch',
  'ci-pull-request-scope',
  'workflows',
  'procedure-names',
];

/** The suites that run the real providers; skipped with OVH_IAC_WITHOUT_REAL_PROVIDERS=1 (prerequisites.ts). */
const REAL_PROVIDER_SUITES = ['/__tests__/scenario-', '/__tests__/verify-run'];

const rankOf = (test) => {
  const rank = SLOWEST.indexOf(path.basename(test.path, '.test.ts'));
  return rank === -1 ? SLOWEST.length : rank;
};

class SlowestFirst extends Sequencer {
  async sort(tests) {
    const sorted = await super.sort(tests);
    // Array.prototype.sort is stable: the other suites keep jest's order.
    return sorted.sort((a, b) => rankOf(a) - rankOf(b));
  }
}

module.exports = SlowestFirst;
module.exports.REAL_PROVIDER_SUITES = REAL_PROVIDER_SUITES;
module.exports.SLOWEST = SLOWEST;
