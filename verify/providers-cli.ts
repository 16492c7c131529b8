/** `npm run providers`: see verify/providers.ts. */
import { startCommand } from '../cli/command-line';
import { providersCommand } from './providers';

startCommand(providersCommand);
