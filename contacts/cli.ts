/** `npm run contacts`: see contacts/command.ts. */
import { startCommand } from '../cli/command-line';
import { contactsCommand } from './command';

// Exits once the output is written, without waiting for a socket that an attempt abandoned at its deadline may hold.
startCommand(contactsCommand, { exitWhenDone: true });
