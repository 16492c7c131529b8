/** `npm run validate`: see review/validate-command.ts. */
import { startCommand } from '../cli/command-line';
import { validateCommand } from './validate-command';

startCommand(validateCommand);
