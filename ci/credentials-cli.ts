/** `npm run credentials`: see ci/credentials.ts. */
import { startCommand } from '../cli/command-line';
import { credentialsCommand } from './credentials';

startCommand(credentialsCommand);
