/** `npm run runbook`: see lifecycle/runbook.ts. */
import { startCommand } from '../cli/command-line';
import { runbookCommand } from './runbook';

startCommand(runbookCommand);
