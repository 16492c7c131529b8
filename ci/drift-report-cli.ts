/** `npm run drift-report`: see ci/drift-report-command.ts. */
import { startCommand } from '../cli/command-line';
import { driftReportCommand } from './drift-report-command';

startCommand(driftReportCommand);
