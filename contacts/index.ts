/**
 * The contacts tool's outside: the one module of contacts/ that other folders import (the import-graph test keeps it
 * so). The tool itself runs as `npm run contacts` (cli.ts, command.ts); the runbook checks its steps with a plan of the
 * contacts (openSession, planServices); verify registers the accounts it acts as (selectTargets).
 *
 * Inside, calls go one way, down these layers (__tests__/contacts-layers.ts): no file imports one of its own layer or
 * above (the import-graph test), and no module hands a lower one a function of its own to call back (contacts-walk
 * test: the call stacks of an apply's requests):
 *   cli, index → command → args, links, report → session → apply, tasks → inspect → targets, task-book, reconcile,
 *   lock → journal, service-names, accounts, validation → bucket-store, ovh-api, terraform-state → store, ovh-client
 *   → http-exchange, retry, collections.
 * So `apply` goes: applyServices (session) → applyService (apply) → inspect; takeLock (lock); inspect again under the
 * lock; the journal; changeContact (ovh-api) → OvhClient (ovh-client) → exchange (http-exchange) → node-ovh.
 */
export { contactsCommand, type ContactsContext } from './command';
export type { ServiceReport } from './inspect';
export type { LockTiming } from './lock';
export { accessRule } from './ovh-client';
export { validationFor, type ChangeStatus, type ContactChange } from './reconcile';
export type { RetryPolicy } from './retry';
export { applyServices, openSession, planServices, type Session, type SessionOptions } from './session';
export { selectTargets, type Selection, type Target } from './targets';
