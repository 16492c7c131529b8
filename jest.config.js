/** Type checking is done once by `tsc --noEmit` in `npm test`; jest only transpiles (`__tests__/run/esbuild-transform.js`). */

const { REAL_PROVIDER_SUITES } = require('./__tests__/run/real-providers-first');

/** Packages published as ES modules only, which jest (CommonJS) loads once compiled. */
const ES_MODULE_PACKAGES = ['age-encryption', '@noble', '@scure'];

module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/__tests__'],
  testMatch: ['**/*.test.ts'],
  // The suites that run the real providers first, and skipped with OVH_IAC_WITHOUT_REAL_PROVIDERS=1.
  testSequencer: '<rootDir>/__tests__/run/real-providers-first.js',
  testPathIgnorePatterns: ['/node_modules/', ...(process.env.OVH_IAC_WITHOUT_REAL_PROVIDERS === '1' ? REAL_PROVIDER_SUITES : [])],
  // TypeScript, and age-encryption and its cryptography (ES modules only), compiled to CommonJS: so that the commands
  // that encrypt (credentials, sealed plans) run in the test's process, as the others do.
  transform: { [`(\\.ts|/node_modules/(${ES_MODULE_PACKAGES.join('|')})/.+\\.js)$`]: '<rootDir>/__tests__/run/esbuild-transform.js' },
  transformIgnorePatterns: [`/node_modules/(?!(${ES_MODULE_PACKAGES.join('|')})/)`],
  // A guard against a hang, never a judge of speed: every test and hook, in-process or starting terraform, gets as
  // long as a machine busy with other work may take (the slowest take about 30 s on an idle 2-core machine).
  testTimeout: 10 * 60_000,
  // A worker per core (jest's default leaves one idle). Not more: three workers on two cores ran 237 s once, and
  // 386 s when the scenario suites started together (load average 55: each runs terraform, the provider and the
  // contacts tool's processes, several at once).
  maxWorkers: '100%',
  // What the run needs is checked first; every temporary file of the run goes to one folder, removed at the end.
  globalSetup: '<rootDir>/__tests__/run/global-setup.ts',
  globalTeardown: '<rootDir>/__tests__/run/temporary-folder-teardown.ts',
};
