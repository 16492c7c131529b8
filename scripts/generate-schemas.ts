/** `npm run schemas`: see config/json-schema.ts. */
import { startCommand } from '../cli/command-line';
import { jsonSchemasCommand } from '../config/json-schema';

startCommand(jsonSchemasCommand);
