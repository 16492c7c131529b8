/** `npm run gen` (and `npm ci`'s postinstall): see provider-schema/bindings.ts. */
import { startCommand } from '../cli/command-line';
import { bindingsCommand } from '../provider-schema/bindings';

startCommand(bindingsCommand);
