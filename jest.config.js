/** Type checking is done once by `tsc --noEmit` in `npm test`; jest only transpiles (`__tests__/run/esbuild-transform.js`). */

const os = require('node:os');
const { REAL_PROVIDER_SUITES } = require('./__tests__/run/slowest-first');

const WITHOUT_REAL_PROVIDERS = process.env.OVH_IAC_WITHOUT_REAL_PROVIDERS === '1';

/** Packages published as ES modules only, which jest (CommonJS) loads once compiled. */
const ES_MODULE_PACKAGES = ['age-encryption', '@noble', '@scure'];

module.exports = {
  // Jest's node environment, its workers ending as soon as their tests are done (see the file).
  testEnvironment: '<rootDir>/__tests__/run/test-environment.js',
  roots: ['<rootDir>/__tests__'],
  testMatch: ['**/*.test.ts'],
  // The slowest suites first; those that run the real providers are skipped with OVH_IAC_WITHOUT_REAL_PROVIDERS=1.
  testSequencer: '<rootDir>/__tests__/run/slowest-first.js',
  testPathIgnorePatterns: ['/node_modules/', ...(WITHOUT_REAL_PROVIDERS ? REAL_PROVIDER_SUITES : [])],
  // TypeScript, and age-encryption and its cryptography (ES modules only), compiled to CommonJS: so that the commands
  // that encrypt (credentials, sealed plans) run in the test's process, as the others do.
  transform: { [`(\\.ts|/node_modules/(${ES_MODULE_PACKAGES.join('|')})/.+\\.js)$`]: '<rootDir>/__tests__/run/esbuild-transform.js' },
  transformIgnorePatterns: [`/node_modules/(?!(${ES_MODULE_PACKAGES.join('|')})/)`],
  // A guard against a hang, never a judge of speed: every test and hook, in-process or starting terraform, gets as
  // long as a machine busy with other work may take (the slowest take about 30 s on an idle 2-core machine).
  testTimeout: 10 * 60_000,
  // A worker per core (jest's default leaves one idle), and one more when the real providers run: their suites spend
  // much of their time in the provider's fixed pauses (10 s before an order's first status read, 20 s after deleting
  // an instance), which a third suite fills on two cores (jest 244 s with two workers, 213 s with three, measured).
  maxWorkers: os.availableParallelism() + (WITHOUT_REAL_PROVIDERS ? 0 : 1),
  // What the run needs is checked first; every temporary file of the run goes to one folder, removed at the end.
  globalSetup: '<rootDir>/__tests__/run/global-setup.ts',
  globalTeardown: '<rootDir>/__tests__/run/temporary-folder-teardown.ts',
};
