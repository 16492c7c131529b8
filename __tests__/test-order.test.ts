/**
 * The test run's own order (`run/slowest-first.js`): the suites it names as the slowest exist, so that a renamed one
 * does not silently start among the last, and they come first, slowest first, before the others in jest's order.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import JestSequencer from '@jest/test-sequencer';

// The sequencer is plain CommonJS, as jest loads it untransformed; it has no types to import.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const SlowestFirst = require('./run/slowest-first');

type Test = Parameters<JestSequencer['sort']>[0][number];

test('every suite named as one of the slowest exists', () => {
  const missing = (SlowestFirst.SLOWEST as string[]).filter((name) => !fs.existsSync(path.join(__dirname, `${name}.test.ts`)));
  expect(missing).toEqual([]);
});

test('the slowest suites start first, in their order, and the others keep the order jest gives them', async () => {
  const suite = (name: string) => ({ path: path.join(__dirname, `${name}.test.ts`), context: {} }) as unknown as Test;
  const given = ['plan', 'scenario-ordering', 'readme', 'scenario-projects', 'lifecycle'].map(suite);
  // jest's own order (by the durations it remembers, else by file size): here, the order given.
  const jestOrder = jest.spyOn(JestSequencer.prototype, 'sort').mockImplementation(async (tests) => [...tests]);
  try {
    const sorted: Test[] = await new SlowestFirst({ contexts: [], globalConfig: {} }).sort(given);
    expect(sorted.map((test) => path.basename(test.path, '.test.ts'))).toEqual([
      'scenario-projects',
      'scenario-ordering',
      'plan',
      'readme',
      'lifecycle',
    ]);
  } finally {
    jestOrder.mockRestore();
  }
});
