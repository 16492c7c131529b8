/**
 * The contacts tool's outside: the one module of contacts/ that other folders import (the import-graph test keeps it
 * so). The tool itself runs as `npm run contacts` (cli.ts, command.ts); the runbook checks its steps with a plan of the
 * contacts (openSession, planServices); verify registers the accounts it acts as (selectTargets).
 */
export { contactsCommand, type ContactsContext } from './command';
export type { ServiceReport } from './inspect';
export type { LockTiming } from './lock';
export { accessRule } from './ovh-client';
export { validationFor, type ChangeStatus, type ContactChange } from './reconcile';
export type { RetryPolicy } from './retry';
export { applyServices, openSession, planServices, type Session, type SessionOptions } from './session';
export { selectTargets, type Selection, type Target } from './targets';
