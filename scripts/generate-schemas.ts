/** `npm run schemas`: see schemas/json-schemas.ts. */
import { startCommand } from '../cli/command-line';
import { jsonSchemasCommand } from '../schemas/json-schemas';

startCommand(jsonSchemasCommand);
