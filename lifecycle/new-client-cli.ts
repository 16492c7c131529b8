/** `npm run new-client`: see lifecycle/new-client.ts. */
import { startCommand } from '../cli/command-line';
import { newClientCommand } from './new-client';

startCommand(newClientCommand);
