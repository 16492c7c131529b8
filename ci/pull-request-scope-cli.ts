/** `npm run pr-scope`: see ci/pull-request-scope.ts. */
import { startCommand } from '../cli/command-line';
import { pullRequestScopeCommand } from './pull-request-scope';

startCommand(pullRequestScopeCommand);
