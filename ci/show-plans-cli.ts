/** `npm run show-plans`: see ci/show-plans.ts. */
import { startCommand } from '../cli/command-line';
import { showPlansCommand } from './show-plans';

startCommand(showPlansCommand);
