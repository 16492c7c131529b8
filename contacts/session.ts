/**
 * What every use of the contacts tool works with, the CLI's commands and the runbook's check alike: the selected
 * clients' services and accounts, an API client per held account, the journal and the locks beside the state.
 */
import { settingsFrom, type Settings } from '../core/environment';
import { planFolder, type FolderPlans } from '../policy/folder';
import { AGENCY_STACK } from '../policy/naming';
import { HeldAccounts } from './accounts';
import { applyService, type Applier } from './apply';
import { AccountReads, inspect, machineNow, type ServiceReport } from './inspect';
import { Journal } from './journal';
import type { LockTiming } from './lock';
import { ApiClock, apiLocation } from './ovh-client';
import { retryFromEnv, type RetryPolicy } from './retry';
import { ServiceNames } from './service-names';
import { FolderStore, type ContactsStore } from './store';
import { selectTargets, type Selection, type Target } from './targets';
import { TaskBook } from './task-book';

export interface SessionOptions {
  /** One client, or `agency` for the shared projects; every selected client and the agency otherwise. */
  client?: string;
  /**
   * The plans of that selection, when the caller has them already.
   * @default the clients folder's, planned (`policy/folder.ts`)
   */
  plans?: FolderPlans;
  retry?: RetryPolicy;
  lockTiming?: LockTiming;
  now?: () => Date;
}

export interface Session {
  settings: Settings;
  selection: Selection;
  /** The stacks the selection covers. */
  stacks: string[];
  applier: Applier;
}

export function openSession(env: NodeJS.ProcessEnv, projectRoot: string, options: SessionOptions = {}): Session {
  const settings = settingsFrom(env, projectRoot);
  const onlyAgency = options.client === AGENCY_STACK;
  const clients = options.client ? (onlyAgency ? [] : [options.client]) : settings.selectedClients;
  const plans = options.plans ?? planFolder(settings.clientsDir, clients).plans;
  const withAgency = !options.client || onlyAgency;
  const selection = selectTargets(plans, withAgency);
  const location = apiLocation(plans.agency.endpoint, env);
  const policy = options.retry ?? retryFromEnv(env);
  const clock = new ApiClock();
  const accounts = new HeldAccounts(selection.accounts, { env, location, policy, clock });
  const store = storeOf(settings.state, env);
  const applier: Applier = {
    accounts,
    names: new ServiceNames(settings),
    tasks: new TaskBook(accounts),
    journal: new Journal(store, settings.state),
    accountReads: new AccountReads(accounts),
    now: options.now ?? machineNow,
    record: false,
    store,
    policy,
    lockTiming: options.lockTiming,
  };
  const stacks = [...(withAgency ? [AGENCY_STACK] : []), ...plans.clients.map((plan) => plan.id)];
  return { settings, selection, stacks, applier };
}

/**
 * The journal's and the locks' store, beside the state: the AWS SDK is loaded only for a remote one, as it is a
 * quarter of the tool's start-up (which Terraform pays once per service, with each provisioner). The entry hook's
 * bundle leaves the SDK out (`cli/bundle.cjs`), so node loads it at this `require` only.
 */
function storeOf(state: Settings['state'], env: NodeJS.ProcessEnv): ContactsStore {
  if (state.kind === 'local') return new FolderStore(state.dir);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { BucketStore } = require('./bucket-store') as typeof import('./bucket-store');
  return new BucketStore(state, env);
}

/** Reads each service and compares it with the files; one at a time, as the API's rate limit is per account. */
export async function planServices(session: Session, targets: Target[] = session.selection.targets): Promise<ServiceReport[]> {
  const reports: ServiceReport[] = [];
  for (const target of targets) reports.push(await inspect(target, session.applier));
  return reports;
}

/** Plans each service, then requests what it needs. */
export async function applyServices(session: Session, targets: Target[] = session.selection.targets): Promise<ServiceReport[]> {
  const reports: ServiceReport[] = [];
  for (const target of targets) reports.push(await applyService(target, session.applier));
  return reports;
}
