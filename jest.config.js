/** Type checking is done once by `tsc --noEmit` in `npm test`; jest only transpiles. */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/__tests__'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': 'ts-jest' },
  // Every temporary file of the run goes to one folder, removed at the end.
  globalSetup: '<rootDir>/__tests__/run/temporary-folder-setup.ts',
  globalTeardown: '<rootDir>/__tests__/run/temporary-folder-teardown.ts',
};
