/** `npm run drift-report`: see review/drift-report-command.ts. */
import { startCommand } from '../cli/command-line';
import { driftReportCommand } from './drift-report-command';

startCommand(driftReportCommand);
