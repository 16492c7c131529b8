/** `npm run verify`: see verify/command.ts. */
import { startCommand } from '../cli/command-line';
import { verifyCommand } from './command';

startCommand(verifyCommand);
