/** The benchmark's floor, run by `npm run bench`: see bench/floor.ts. */
import { startCommand } from '../cli/command-line';
import { floorCommand } from './floor';

startCommand(floorCommand);
