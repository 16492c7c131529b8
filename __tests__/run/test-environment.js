/**
 * Jest's node environment, unchanged but for how a worker process ends. Once its tests are done, a worker's event loop
 * empties and Node.js exits by tearing down all it holds (400 to 700 ms for a worker of 450 to 650 MiB here, measured
 * from its `exit` event to its end), longer than the 500 ms jest waits before it kills the worker and prints "A worker
 * process has failed to exit gracefully ... tests leaking", which no test caused: nothing is left running by then (its
 * only handles are its pipes to jest). Exiting from the `exit` event skips that teardown, as `process.exit` does
 * (150 to 250 ms). This module is loaded outside the tests' sandbox, so `process` is the worker's own.
 */
const { TestEnvironment } = require('jest-environment-node');

// Only a worker jest forked has an IPC channel; with --runInBand, jest's own process ends as usual.
if (process.send) process.once('exit', () => process.exit());

module.exports = TestEnvironment;
