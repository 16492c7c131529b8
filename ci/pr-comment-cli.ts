/** `npm run pr-comment`: see ci/pr-comment.ts. */
import { startCommand } from '../cli/command-line';
import { prCommentCommand } from './pr-comment';

startCommand(prCommentCommand);
