/** `npm run plan-batch`: see ci/plan-batch.ts. */
import { startCommand } from '../cli/command-line';
import { planBatchCommand } from './plan-batch';

startCommand(planBatchCommand);
