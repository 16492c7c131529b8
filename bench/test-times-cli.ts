/** `npm run bench:tests`: see bench/test-times.ts. */
import { startCommand } from '../cli/command-line';
import { testTimesCommand } from './test-times';

startCommand(testTimesCommand);
