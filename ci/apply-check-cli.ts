/** `npm run apply-check`: see ci/apply-check.ts. */
import { startCommand } from '../cli/command-line';
import { applyCheckCommand } from './apply-check';

startCommand(applyCheckCommand);
