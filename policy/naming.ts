/**
 * The names the procedure gives things: stacks, accounts' Terraform keys and internal addresses, buckets, Terraform
 * outputs and construct ids. Plain strings in, plain strings out: the plan, the constructs and the tools all read it,
 * and it reads nothing, so that none of them has to import another for a name. (The shapes of the ids they are made
 * from are the file format's, `config/schema.ts`.)
 *
 * A construct id is part of every Terraform address under it (`betterfinance.eu/vps-staging/order` becomes
 * `ovh_vps.vps-staging_order_<hash>`): renaming one moves the resources of every stack that has it.
 */

/** The name of the stack holding what the agency shares; a client's stack is named by the client's id. */
export const AGENCY_STACK = 'agency';

/** An account's Terraform-safe name: its provider alias and the prefix of its credential variables. */
export function terraformKey(accountName: string): string {
  return accountName.replace(/[^a-z0-9]+/g, '_');
}

/** What the agency calls an isolated product's own OVH account: `<product>.<client id>`. */
export function productAccountName(productId: string, clientId: string): string {
  return `${productId}.${clientId}`;
}

/** The agency's internal address that a client's account (or a product's, by its account name) uses at OVH. */
export function internalAddress(accountName: string, mailDomain: string): string {
  return `${accountName}@${mailDomain}`;
}

/** A client's backup bucket: unique per client and backup, so that no two clients ever share one. */
export function bucketName(clientId: string, backup: string): string {
  return `${clientId.replace(/\./g, '-')}-${backup}`;
}

/** The Terraform outputs of a backup bucket's S3 keys. */
export function backupKeyOutputs(bucket: string): { accessKeyId: string; secretAccessKey: string } {
  const name = bucket.replace(/-/g, '_');
  return { accessKeyId: `backup_${name}_access_key_id`, secretAccessKey: `backup_${name}_secret_access_key` };
}

/** The Terraform output holding the initial passwords of an e-mail domain's mailboxes. */
export function mailboxPasswordsOutput(domain: string): string {
  return `mailbox_passwords_${terraformKey(domain)}`;
}

/**
 * A service's construct id: unique within its stack, stable across runs; `productId` for an isolated product's.
 * `prefix` is its kind's (`policy/service-kinds.ts`): `vps-staging`, `eshop-domain-imoov-shop`.
 */
export function serviceId(prefix: string, name: string, productId?: string): string {
  return `${productId ? `${productId}-` : ''}${prefix}-${name.replace(/\./g, '-')}`;
}

/** The construct id of a large client's own Public Cloud project. */
export const CLOUD_PROJECT_ID = 'cloud-project';

/** The service id of a project the agency shares, in the agency's stack: `project-yb-cloud`. */
export function sharedProjectId(projectName: string): string {
  return `project-${projectName.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`;
}

/** The construct id of a DNS zone's records. */
export function recordsId(zoneServiceId: string): string {
  return `${zoneServiceId}-records`;
}

/** The construct id of an e-mail domain's mailboxes; a mailbox's path is `<this>/<account>`. */
export function mailboxesId(emailServiceId: string): string {
  return `${emailServiceId}-mailboxes`;
}

/** Beside each mailbox `<account>` in its mailboxes construct: its initial password, and the output of all of them. */
export function mailboxPasswordId(account: string): string {
  return `${account}-password`;
}
export const MAILBOX_PASSWORDS_ID = 'passwords';

/** The construct id of the agency's deploy key in a stack that registers it (a large client's, the agency's). */
export const DEPLOY_KEY_ID = 'deploy-key';

export function instanceId(name: string): string {
  return `instance-${name}`;
}

export function backupId(bucket: string): string {
  return `backup-${bucket}`;
}
