/** `npm run bench:workflows`: see bench/workflows-at-scale.ts. */
import { startCommand } from '../cli/command-line';
import { workflowsAtScaleCommand } from './workflows-at-scale';

startCommand(workflowsAtScaleCommand);
