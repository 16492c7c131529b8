/** `npm run apply-report`: see ci/apply-report.ts. */
import { startCommand } from '../cli/command-line';
import { applyReportCommand } from './apply-report';

startCommand(applyReportCommand);
