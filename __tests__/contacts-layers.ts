/**
 * The layers of contacts/'s inside, from the command line down to the OVH API and the store (see contacts/index.ts):
 * the import-graph test keeps each file's imports below its own layer, and the walk test each call of a run.
 */
export const CONTACTS_LAYERS = [
  ['cli.ts', 'index.ts'], // the outside: the npm script, the entry other folders import
  ['command.ts'], // the commands
  ['args.ts', 'links.ts', 'report.ts'], // what the engineer types and what the tool prints
  ['session.ts'], // a run: the selection, the accounts, the journal, the store
  ['apply.ts', 'tasks.ts'], // acting: changeContact under the lock; answering and listing tasks
  ['inspect.ts'], // reading a service and comparing it with its desired contacts
  ['targets.ts', 'task-book.ts', 'reconcile.ts', 'lock.ts'], // what that needs: services, tasks, OVH's rules, the lock
  ['journal.ts', 'service-names.ts', 'accounts.ts', 'validation.ts'],
  ['bucket-store.ts', 'ovh-api.ts', 'terraform-state.ts'],
  ['store.ts', 'ovh-client.ts'],
  ['http-exchange.ts', 'retry.ts', 'collections.ts'],
].map((files) => files.map((file) => `contacts/${file}`));

/** The layer of each file of contacts/, 0 the highest. */
export const CONTACTS_LAYER_OF = new Map(CONTACTS_LAYERS.flatMap((files, layer) => files.map((file) => [file, layer] as const)));
