/** `npm run batches`: see ci/batches.ts. */
import { startCommand } from '../cli/command-line';
import { batchesCommand } from './batches';

startCommand(batchesCommand);
