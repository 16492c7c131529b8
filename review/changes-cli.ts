/** `npm run changes`: see review/changes-command.ts. */
import { startCommand } from '../cli/command-line';
import { changesCommand } from './changes-command';

// An interruption ends the children (they get the signal too) and then this run, through its cleanup, so that the
// base's worktree and the temporary outputs are always removed.
startCommand(changesCommand, { finishOnInterrupt: true });
