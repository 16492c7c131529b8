/**
 * `npm run credentials -- <command>`: the credential store (ci/credential-store.ts). Account values come from the
 * environment, never from the command line; no message ever holds one.
 */
import * as fs from 'node:fs';
import * as z from 'zod';
import { commandLine, UsageError, type Command, type CommandContext } from '../cli/command-line';
import { credentialEnvironment } from '../core/credentials';
import { CLIENT_ID } from '../config/schema';
import { terraformKey } from '../policy/naming';
import {
  AGENCY_SCOPE,
  checkStore,
  CredentialStoreError,
  decryptAccount,
  encryptAccount,
  mayUse,
  readStore,
  STORE_FORMAT,
  writeStore,
  type StoreFile,
} from './credential-store';
import { accountsOf } from './plan-guard';
import { readStackTree } from '../review/stack-tree';

const IDENTITY_VARIABLE = 'OVH_IAC_AGE_IDENTITY';
/**
 * An account's values, from the environment, and their shortest length: OVH's guide "First steps with the OVHcloud
 * APIs" shows an application key of 16 letters and digits, a secret and a consumer key of 32.
 */
const VALUE_VARIABLES = {
  application_key: { variable: 'OVH_APPLICATION_KEY', shortest: 16 },
  application_secret: { variable: 'OVH_APPLICATION_SECRET', shortest: 32 },
  consumer_key: { variable: 'OVH_CONSUMER_KEY', shortest: 32 },
} as const;
type ValueField = keyof typeof VALUE_VARIABLES;

/** Words of the placeholders people leave in a value ("your-key", "changeme", "xxxx"...): no value OVH gives holds one. */
const PLACEHOLDER_WORD = /your|example|change|placeholder|dummy|secret|token|xxxx/i;

/** What is wrong with one value, in words that never repeat it (a message reaches logs); undefined when it looks right. */
function valueProblem(value: string, shortest: number): string | undefined {
  if (/\s/.test(value)) return 'holds a space: paste the value alone, as OVH shows it';
  if (!/^[A-Za-z0-9]+$/.test(value))
    return 'holds characters other than letters and digits (quotes, "<...>", "..."): paste the value OVH gave, alone';
  if (value.length < shortest) return `is ${value.length} characters long: OVH gives ${shortest} letters and digits (cut while copying?)`;
  if (value.length > 128) return `is ${value.length} characters long, more than any value OVH gives (pasted twice?)`;
  if (/^(.)\1*$/.test(value) || PLACEHOLDER_WORD.test(value)) return 'looks like a placeholder, not a value OVH gave: paste the real one';
  return undefined;
}

/** The account's values from the environment, or every problem with them, each naming its variable (never a value). */
function accountValues(env: NodeJS.ProcessEnv): Record<ValueField, string> {
  const fields = Object.keys(VALUE_VARIABLES) as ValueField[];
  const missing = fields.map((field) => VALUE_VARIABLES[field].variable).filter((name) => !env[name]?.trim());
  if (missing.length > 0) throw new UsageError(`set the account's credentials in ${missing.join(', ')} (never on the command line)`);
  const values = Object.fromEntries(fields.map((field) => [field, env[VALUE_VARIABLES[field].variable]!.trim()])) as Record<
    ValueField,
    string
  >;
  const problems = fields.flatMap((field, i) => {
    const { variable, shortest } = VALUE_VARIABLES[field];
    const problem = valueProblem(values[field], shortest);
    const same = fields.slice(0, i).find((other) => values[other] === values[field]);
    if (problem) return [`${variable} ${problem}`];
    return same ? [`${variable} is the same as ${VALUE_VARIABLES[same].variable}: each is a value of its own`] : [];
  });
  if (problems.length > 0) throw new UsageError(problems.join('\n'));
  return values;
}

/**
 * `--account` and `--scope` of `set`: an account key (`TF_VAR_ovh_<key>_...`), and `agency` or the client id whose
 * account it is (the client's own key, or an isolated product's `<product>_<client key>`).
 */
function accountAndScope(account: string, scope: string): void {
  const key = terraformKey(account.toLowerCase());
  if (!/^[a-z0-9_]+$/.test(account))
    throw new UsageError(
      `--account: expected an account key, as in TF_VAR_ovh_<key>_application_key: lower-case letters, digits and "_"${key ? ` (here "${key}")` : ''}`,
    );
  if (scope === AGENCY_SCOPE) return;
  if (!CLIENT_ID.test(scope))
    throw new UsageError(
      `--scope: expected "${AGENCY_SCOPE}" or a client id, as its file is named in clients/ (like "betterfinance.eu", whose account key is "betterfinance_eu")`,
    );
  const client = terraformKey(scope);
  if (account !== client && !account.endsWith(`_${client}`))
    throw new UsageError(
      `--account: is not an account of client "${scope}": expected "${client}" (the client's) or "<product>_${client}" (one of its isolated products')`,
    );
}

function required<T>(value: T | undefined, what: string): T {
  if (value === undefined || (Array.isArray(value) && value.length === 0)) throw new UsageError(`${what} is required`);
  return value;
}

function identity(env: NodeJS.ProcessEnv): string {
  const value = env[IDENTITY_VARIABLE]?.trim();
  if (!value?.startsWith('AGE-SECRET-KEY-1'))
    throw new CredentialStoreError(
      `${IDENTITY_VARIABLE} must hold an age identity (AGE-SECRET-KEY-1...): the secret of the job's environment`,
    );
  return value;
}

/** The accounts each of `stacks` declares, refused when one is out of the store or out of its scope. */
function accountsFor(store: StoreFile, stacksDir: string, stacks: string[]): string[] {
  const tree = readStackTree(stacksDir);
  const accounts = new Set<string>();
  for (const stack of stacks) {
    const json = tree.get(stack);
    if (!json) throw new CredentialStoreError(`stack "${stack}" is not in ${stacksDir}`);
    for (const account of accountsOf(json)) {
      if (!store.accounts[account])
        throw new CredentialStoreError(
          `stack "${stack}" declares account "${account}", which the store does not hold: add it with "npm run credentials -- set"`,
        );
      if (!mayUse(store, account, stack))
        throw new CredentialStoreError(
          `stack "${stack}" declares account "${account}", which belongs to "${store.accounts[account].scope}": refused`,
        );
      accounts.add(account);
    }
  }
  return [...accounts].sort();
}

const COMMANDS = ['init', 'set', 'remove', 'recipients', 'rekey', 'check', 'export'] as const;

const Args = z.object({
  command: z.enum(COMMANDS, { error: `expected one of ${COMMANDS.join(', ')}` }),
  store: z.string({ error: 'is required: the store file' }).min(1),
  recipient: z.array(z.string()).optional(),
  account: z.string().optional(),
  scope: z.string().optional(),
  add: z.array(z.string()).optional(),
  remove: z.array(z.string()).optional(),
  'stacks-dir': z.string().optional(),
  stacks: z.string().optional(),
  'github-env': z.string().optional(),
});

export const credentialsCommand: Command<z.output<typeof Args>> = {
  name: 'credentials',
  usage: `Usage: npm run credentials -- <command> --store FILE [options]

  init    --store FILE --recipient age1... [--recipient ...]   a new, empty store
  set     --store FILE --account KEY --scope agency|<client id>  add or replace an account, from the environment
          (OVH_APPLICATION_KEY, OVH_APPLICATION_SECRET, OVH_CONSUMER_KEY): values never on a command line
  remove  --store FILE --account KEY
  recipients --store FILE [--add age1...] [--remove age1...]  then rekey
  rekey   --store FILE                                         every account encrypted again to the recipients
          (needs OVH_IAC_AGE_IDENTITY: an identity that can read them all)
  check   --store FILE --stacks-dir DIR                        accounts the stacks declare that the store lacks
  export  --store FILE --stacks-dir DIR --stacks a,b,... --github-env FILE
          in CI: decrypts only the accounts those stacks declare (each in scope for its stack), masks every value
          (::add-mask:: on standard output first), then appends TF_VAR_ovh_<key>_* to the job's environment file`,
  exitCodes: { 0: 'done', 1: 'refused: the reason is on standard error, never a value' },
  parse: commandLine(
    {
      options: {
        store: {
          type: 'string',
          value: 'FILE',
          help: 'the credential store: each account’s API credentials encrypted with age to its recipients',
        },
        recipient: {
          type: 'string',
          multiple: true,
          value: 'AGE',
          help: 'init: an age public key (age1...) the accounts are encrypted to; once per recipient',
        },
        account: { type: 'string', value: 'KEY', help: 'set, remove: the account key, as in TF_VAR_ovh_<key>_application_key' },
        scope: {
          type: 'string',
          value: 'SCOPE',
          help: 'set: agency (every stack may use the account), or the id of the client whose account it is',
        },
        add: { type: 'string', multiple: true, value: 'AGE', help: 'recipients: a recipient to add; once per recipient' },
        remove: { type: 'string', multiple: true, value: 'AGE', help: 'recipients: a recipient to remove; once per recipient' },
        'stacks-dir': { type: 'string', value: 'DIR', help: 'check, export: the synthesized stacks, which declare the accounts they use' },
        stacks: { type: 'string', value: 'a,b', help: 'export: the stacks of the job' },
        'github-env': { type: 'string', value: 'FILE', help: "export: the job's environment file (GITHUB_ENV)" },
      },
      arguments: { command: 'command' },
    },
    Args,
  ),
  run: runCredentials,
};

async function runCredentials(values: z.output<typeof Args>, { env, io: { out, err } }: CommandContext): Promise<number> {
  try {
    const { command } = values;
    const storeFile = values.store;
    switch (command) {
      case 'init': {
        if (fs.existsSync(storeFile)) throw new CredentialStoreError(`${storeFile} exists already`);
        const store: StoreFile = { format: STORE_FORMAT, recipients: required(values.recipient, '--recipient'), accounts: {} };
        writeStore(storeFile, checkStore(store, storeFile));
        out(`Created ${storeFile} for ${store.recipients.length} recipient(s).`);
        return 0;
      }
      case 'set': {
        const store = readStore(storeFile);
        const account = required(values.account, '--account');
        const scope = required(values.scope, `--scope (${AGENCY_SCOPE} or a client id)`);
        accountAndScope(account, scope);
        const ciphertext = await encryptAccount({ account, scope, ...accountValues(env) }, store.recipients);
        writeStore(storeFile, { ...store, accounts: { ...store.accounts, [account]: { scope, ciphertext } } });
        out(`${account} (${scope}): encrypted to ${store.recipients.length} recipient(s) in ${storeFile}.`);
        return 0;
      }
      case 'remove': {
        const store = readStore(storeFile);
        const account = required(values.account, '--account');
        if (!store.accounts[account]) throw new CredentialStoreError(`the store holds no account "${account}"`);
        const { [account]: _removed, ...rest } = store.accounts;
        writeStore(storeFile, { ...store, accounts: rest });
        out(`${account}: removed from ${storeFile}.`);
        return 0;
      }
      case 'recipients': {
        const store = readStore(storeFile);
        const recipients = [...new Set([...store.recipients, ...(values.add ?? [])])].filter((r) => !(values.remove ?? []).includes(r));
        writeStore(storeFile, checkStore({ ...store, recipients }, storeFile));
        out(`${recipients.length} recipient(s). Run "npm run credentials -- rekey --store ${storeFile}" so that the accounts follow.`);
        return 0;
      }
      case 'rekey': {
        const store = readStore(storeFile);
        const key = identity(env);
        const accounts: StoreFile['accounts'] = {};
        for (const [account, entry] of Object.entries(store.accounts)) {
          accounts[account] = {
            scope: entry.scope,
            ciphertext: await encryptAccount(await decryptAccount(store, account, key), store.recipients),
          };
        }
        writeStore(storeFile, { ...store, accounts });
        out(`${Object.keys(accounts).length} account(s) encrypted again to ${store.recipients.length} recipient(s).`);
        return 0;
      }
      case 'check': {
        const store = readStore(storeFile);
        const tree = readStackTree(required(values['stacks-dir'], '--stacks-dir'));
        const problems = [...tree].flatMap(([stack, json]) =>
          accountsOf(json).flatMap((account) =>
            !store.accounts[account]
              ? [`${stack}: account "${account}" is not in the store`]
              : !mayUse(store, account, stack)
                ? [`${stack}: account "${account}" belongs to "${store.accounts[account].scope}"`]
                : [],
          ),
        );
        for (const problem of problems) err(problem);
        out(problems.length === 0 ? `The store holds every account the ${tree.size} stack(s) declare.` : `${problems.length} problem(s).`);
        return problems.length === 0 ? 0 : 1;
      }
      case 'export': {
        const store = readStore(storeFile);
        const stacks = required(values.stacks, '--stacks')
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean);
        const accounts = accountsFor(store, required(values['stacks-dir'], '--stacks-dir'), stacks);
        const envFile = required(values['github-env'], '--github-env');
        const key = identity(env);
        const lines: string[] = [];
        for (const account of accounts) {
          const credentials = await decryptAccount(store, account, key);
          const names = credentialEnvironment(account);
          for (const value of [credentials.application_key, credentials.application_secret, credentials.consumer_key])
            out(`::add-mask::${value}`);
          lines.push(
            `${names.applicationKey}=${credentials.application_key}`,
            `${names.applicationSecret}=${credentials.application_secret}`,
            `${names.consumerKey}=${credentials.consumer_key}`,
          );
        }
        fs.appendFileSync(envFile, lines.map((line) => `${line}\n`).join(''));
        out(`Exported the credentials of ${accounts.length} account(s) for ${stacks.length} stack(s): ${accounts.join(', ')}.`);
        return 0;
      }
    }
  } catch (error) {
    if (error instanceof UsageError) throw error;
    // Nothing here puts a secret in a message.
    err(`credentials: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
    return 1;
  }
}
