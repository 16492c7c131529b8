/** `npm run inventory`: see lifecycle/inventory.ts. */
import { startCommand } from '../cli/command-line';
import { inventoryCommand } from './inventory';

startCommand(inventoryCommand);
