/** `npm run synth`, and the app the cdktf CLI runs (cdktf.json): see stacks/synth-command.ts. */
import { startCommand } from './cli/command-line';
import { synthCommand } from './stacks/synth-command';

startCommand(synthCommand);
