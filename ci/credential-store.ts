/**
 * The credential store: every OVH account's API credentials in one file of the repository, each account encrypted
 * apart with age (X25519, through `age-encryption`) to the store's recipients: CI's key (its identity is the one
 * secret of a GitHub environment) and the engineers'. Anyone can add or replace an account with the public
 * recipients alone; reading one needs an identity, and a job decrypts only the accounts its stacks declare.
 *
 * Each account's plaintext repeats its account key and scope (the agency's accounts, usable by every stack, or one
 * client's), so a ciphertext moved to another account or client is refused on decryption.
 */
import * as fs from 'node:fs';
import { armor, Decrypter, Encrypter } from 'age-encryption';
import * as z from 'zod';

export const STORE_FORMAT = 'ovh-iac-credentials/1';
/** The scope of an account every stack may use: the agency's own (cedricfrancoys, yesbabylon). */
export const AGENCY_SCOPE = 'agency';

const AccountKey = z
  .string()
  .regex(/^[a-z0-9_]+$/, { error: 'expected an account key (lower case letters, digits, _), as in TF_VAR_ovh_<key>_application_key' });
const Recipient = z.string().regex(/^age1[02-9ac-hj-np-z]{58}$/, { error: 'expected an age recipient (age1 followed by 58 characters)' });
const Token = z.string().regex(/^[A-Za-z0-9]{8,128}$/, { error: 'expected an OVH API token (letters and digits)' });

export const StoreFile = z.strictObject({
  format: z.literal(STORE_FORMAT),
  recipients: z.array(Recipient).min(1, { error: 'needs at least one recipient' }),
  accounts: z.record(
    AccountKey,
    z.strictObject({ scope: z.string().min(1), ciphertext: z.string().startsWith('-----BEGIN AGE ENCRYPTED FILE-----') }),
  ),
});
export type StoreFile = z.output<typeof StoreFile>;

export const AccountCredentials = z.strictObject({
  account: AccountKey,
  scope: z.string().min(1),
  application_key: Token,
  application_secret: Token,
  consumer_key: Token,
});
export type AccountCredentials = z.output<typeof AccountCredentials>;

export class CredentialStoreError extends Error {}

export function readStore(file: string): StoreFile {
  let json: unknown;
  try {
    json = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new CredentialStoreError(`${file}: not a readable JSON file (${(error as Error).message.split('\n')[0]})`);
  }
  return checkStore(json, file);
}

/** `json` as a store, or an error naming `where`, the field and what was expected. */
export function checkStore(json: unknown, where: string): StoreFile {
  const parsed = StoreFile.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new CredentialStoreError(`${where}: ${issue.path.join('.') || 'the file'}: ${issue.message}`);
  }
  return parsed.data;
}

/** Written whole, then renamed over the old file: never half a store. Accounts in name order, for readable diffs. */
export function writeStore(file: string, store: StoreFile): void {
  const accounts = Object.fromEntries(Object.entries(store.accounts).sort(([a], [b]) => a.localeCompare(b)));
  const staging = `${file}.tmp-${process.pid}`;
  fs.writeFileSync(staging, `${JSON.stringify({ ...store, accounts }, null, 2)}\n`);
  fs.renameSync(staging, file);
}

export async function encryptAccount(credentials: AccountCredentials, recipients: string[]): Promise<string> {
  const encrypter = new Encrypter();
  for (const recipient of recipients) encrypter.addRecipient(recipient);
  return armor.encode(await encrypter.encrypt(JSON.stringify(AccountCredentials.parse(credentials))));
}

/** One account's credentials, checked against what the store says it is. Never puts a value in an error. */
export async function decryptAccount(store: StoreFile, account: string, identity: string): Promise<AccountCredentials> {
  const entry = store.accounts[account];
  if (!entry) throw new CredentialStoreError(`the store holds no credentials for account "${account}"`);
  const decrypter = new Decrypter();
  decrypter.addIdentity(identity);
  let text: string;
  try {
    text = await decrypter.decrypt(armor.decode(entry.ciphertext), 'text');
  } catch {
    throw new CredentialStoreError(
      `account "${account}": cannot be decrypted with this identity (not one of the store's recipients when it was written?)`,
    );
  }
  const parsed = AccountCredentials.safeParse(JSON.parse(text));
  if (!parsed.success || parsed.data.account !== account || parsed.data.scope !== entry.scope) {
    throw new CredentialStoreError(`account "${account}": its ciphertext is not this account's (moved from another entry?)`);
  }
  return parsed.data;
}

/** Whether `stack` may use `account`: the agency's accounts everywhere, a client's only in its own stack. */
export function mayUse(store: StoreFile, account: string, stack: string): boolean {
  const scope = store.accounts[account]?.scope;
  return scope === AGENCY_SCOPE || scope === stack;
}
