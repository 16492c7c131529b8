/** `npm run bench`: see bench/run.ts. */
import { startCommand } from '../cli/command-line';
import { benchCommand } from './run';

startCommand(benchCommand);
