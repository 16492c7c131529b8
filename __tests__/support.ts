/** Shared test fixtures: a clients folder on disk, and synthesized client stacks as plain JSON. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Testing } from 'cdktf';
import { stringify } from 'yaml';
import { planFolder } from '../policy/folder';
import { ClientStack } from '../stacks/client-stack';

export const HOSTING_NIC = 'cf10001-ovh';
export const CLOUD_NIC = 'yb20002-ovh';
export const SHARED_PROJECT = '4f1c2a9e8d7b6c5a4f3e2d1c0b9a8f7e';
export const BACKUP_PROJECT = '0a1b2c3d4e5f60718293a4b5c6d7e8f9';

export const agencyFile = {
  mailDomain: 'cedricfrancoys.be',
  ovh: { endpoint: 'ovh-eu', subsidiary: 'FR' },
  accounts: { hosting: { name: 'cedricfrancoys', nichandle: HOSTING_NIC }, cloud: { name: 'yesbabylon', nichandle: CLOUD_NIC } },
  sharedProject: { name: 'YB Cloud', id: SHARED_PROJECT },
  backupSpace: { projectId: BACKUP_PROJECT, region: 'GRA' },
  deployKey: {
    name: 'agency-deploy',
    publicKey: 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAII252oodiPlUnqL+gt1QwcV0K2WPHTe9PpH7y8hKWk3k deploy@yesbabylon.com',
  },
};

/** A temporary clients folder: the agency file plus `files` (objects are written as YAML, strings as they are). */
export function clientsFolder(files: Record<string, object | string>, agency: object = agencyFile): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clients-'));
  const write = (name: string, content: object | string) =>
    fs.writeFileSync(path.join(dir, name), typeof content === 'string' ? content : stringify(content));
  write('agency.yaml', agency);
  for (const [name, content] of Object.entries(files)) write(name, content);
  return dir;
}

export interface StackJson {
  resource?: Record<string, Record<string, Record<string, unknown>>>;
  data?: Record<string, Record<string, Record<string, unknown>>>;
  provider?: Record<string, Record<string, unknown>[]>;
  variable?: Record<string, Record<string, unknown>>;
  output?: Record<string, Record<string, unknown>>;
  terraform?: Record<string, unknown>;
}

/** Validates `client` as a file would be, and synthesizes its stack. */
export function synthClient(client: { id: string } & Record<string, unknown>): StackJson {
  const dir = clientsFolder({ [`${client.id}.yaml`]: client });
  const { plans } = planFolder(dir);
  const stack = new ClientStack(Testing.app(), client.id, {
    plan: plans.clients[0],
    endpoint: plans.agency.endpoint,
    state: { kind: 'local', dir: path.join(dir, 'state') },
  });
  return JSON.parse(Testing.synth(stack));
}

/** The bodies of every resource (or data source) of `type`. */
export function resourcesOf(stack: StackJson, type: string, section: 'resource' | 'data' = 'resource'): Record<string, unknown>[] {
  return Object.values(stack[section]?.[type] ?? {});
}

export interface DesiredContacts {
  client: string;
  service: string;
  kind: string;
  service_name: string;
  api_route: string;
  contacts: { owner?: string; admin: string; tech: string; billing: string };
}

/** The desired-contacts records of the stack, by the plan's service id. */
export function desiredContacts(stack: StackJson): Record<string, DesiredContacts> {
  return Object.fromEntries(
    resourcesOf(stack, 'terraform_data').map((record) => {
      const input = record.input as DesiredContacts;
      return [input.service, input];
    }),
  );
}

/** Follows `${<type>.<name>.<attribute>}` to the resource it names. */
export function referencedResource(stack: StackJson, reference: unknown): Record<string, unknown> | undefined {
  const match = /^\$\{([a-z0-9_]+)\.([^.]+)\./.exec(String(reference));
  return match ? stack.resource?.[match[1]]?.[match[2]] : undefined;
}

export const standardClient = {
  id: 'betterfinance.eu',
  name: 'Better Finance',
  size: 'standard',
  nichandle: 'bf12345-ovh',
};
