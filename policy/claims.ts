/**
 * What each client file claims: the credentials, internal address and nichandle of its accounts, its domains, buckets
 * and imported services, and the Terraform names inside its stack (its plan's), each with its place in the file. The
 * procedure's isolation of clients rests on no two files claiming the same thing, and on no client naming another's
 * account or using another's domain, so these rules are checked over the whole folder once every file is planned,
 * before anything is built (`policy/folder.ts`).
 */
import type { ClaimTerms } from '../config/claim-candidates';
import type { FieldPath } from '../config/files';
import type { AgencyFile, ClientFile, ContactOverrides } from '../config/schema';
import {
  AGENCY_STACK,
  bucketName,
  DEPLOY_KEY_ID,
  internalAddress,
  MAILBOX_PASSWORDS_ID,
  mailboxesId,
  mailboxPasswordId,
  mailboxPasswordsOutput,
  productAccountName,
  recordsId,
  terraformKey,
} from './naming';
import type { ClientPlan } from './plan';
import { entryName, fileEntry, HOSTING_KINDS, hostingEntries, SERVICE_KINDS } from './service-kinds';

/** Names one file of the folder: the agency's, or a client's. */
export type FileKey = string;

export interface ClaimProblem {
  key: FileKey;
  path: FieldPath;
  message: string;
}

export interface ClaimsInput {
  agency: { key: FileKey; file: AgencyFile };
  /** Each client's file, and its plan. */
  clients: { key: FileKey; client: ClientFile; plan: ClientPlan }[];
  /** Clients not read (a selection of others): known by the id their file name gives. */
  unread?: { key: FileKey; id: string }[];
  /** How a message points at another place: "acme.io.yaml:3 (products[0].id)", or "line 3 (...)" within `from`. */
  describe(key: FileKey, path: FieldPath, from: FileKey): string;
}

interface Claim {
  key: FileKey;
  path: FieldPath;
}

type Scope = ClientFile | ClientFile['products'][number];

/** The client itself and each of its isolated products, with where each sits in the file. */
function scopesOf(client: ClientFile): { path: FieldPath; scope: Scope; product: boolean }[] {
  return [
    { path: [], scope: client, product: false },
    ...client.products.map((product, i) => ({ path: ['products', i], scope: product, product: true })),
  ];
}

/** The agency's own claims first, then each client's in file order: a later claimant is the one reported. */
export function claimProblems(input: ClaimsInput): ClaimProblem[] {
  const folder = folderOf(input);
  claimAccounts(folder);
  claimNichandles(folder);
  claimDomains(folder);
  checkContacts(folder);
  checkSshKeys(folder);
  claimBucketsAndImports(folder);
  for (const { key, client, plan } of input.clients) {
    const inFile = (claim: Claim) => input.describe(key, claim.path, key);
    folder.problems.push(...stackProblems(client, plan, inFile).map((problem) => ({ key, ...problem })));
  }
  return folder.problems;
}

/** One kind of claim: the first claimant of a value holds it; a later one is reported. */
interface Register {
  holder(value: string): (Claim & { name?: string }) | undefined;
  /** Takes `value` unless held already, and never reports: for what is known only by name. */
  hold(claim: Claim, value: string, name?: string): void;
  claim(claim: Claim, value: string, name?: string): void;
}

type Folder = ReturnType<typeof folderOf>;

/** The input, the problems found, and one register per kind of thing claimed, holding the agency's claims already. */
function folderOf({ agency, clients, unread = [], describe }: ClaimsInput) {
  const problems: ClaimProblem[] = [];
  const report = (claim: Claim, message: string) => problems.push({ ...claim, message });
  const where = (holder: Claim, claim: Claim) => describe(holder.key, holder.path, claim.key);
  /**
   * `conflict` phrases the problem, told whether both claimants gave the same name (two clients' accounts may share a
   * Terraform key under different names; the agency's accounts, which have no internal address, give none).
   */
  const register = (conflict: (value: string, holder: string, sameName: boolean) => string): Register => {
    const holders = new Map<string, Claim & { name?: string }>();
    // Spelt out rather than spread: a selection holds the id of every file it does not read, thousands of them.
    const holderOf = ({ key, path }: Claim, name?: string) => ({ key, path, name });
    return {
      holder: (value) => holders.get(value),
      hold(claim, value, name) {
        if (!holders.has(value)) holders.set(value, holderOf(claim, name));
      },
      claim(claim, value, name) {
        const holder = holders.get(value);
        if (!holder) holders.set(value, holderOf(claim, name));
        else report(claim, conflict(value, where(holder, claim), name !== undefined && holder.name === name));
      },
    };
  };
  const folder = {
    agency,
    clients,
    unread,
    problems,
    report,
    where,
    // An internal address is the account's name at the mail domain: two accounts of one name share key and address.
    keys: register(
      (key, holder, sameName) =>
        `gives its OVH account the credentials TF_VAR_ovh_${key}_*${sameName ? ' and the same internal address' : ''}, as ${holder} does: each account needs its own`,
    ),
    nichandles: register(
      (_nic, holder) => `is already the account of ${holder}: each client and isolated product has an OVH account of its own`,
    ),
    domains: register((domain, holder) => `domain "${domain}" is already declared in ${holder}`),
    buckets: register((bucket, holder) => `makes the bucket "${bucket}", as ${holder} does: each backup needs a bucket of its own`),
    imports: register((service, holder) => `imports the ${service}, as ${holder} does: a service belongs to one stack only`),
  };
  const { hosting, cloud } = agency.file.accounts;
  for (const [role, account] of [
    ['hosting', hosting],
    ['cloud', cloud],
  ] as const) {
    folder.keys.claim({ key: agency.key, path: ['accounts', role, 'name'] }, terraformKey(account.name));
    folder.nichandles.claim({ key: agency.key, path: ['accounts', role, 'nichandle'] }, account.nichandle);
  }
  // The backup space may well be the shared project itself.
  folder.imports.claim({ key: agency.key, path: ['sharedProject', 'id'] }, `project ${agency.file.sharedProject.id}`);
  if (agency.file.backupSpace.projectId !== agency.file.sharedProject.id) {
    folder.imports.claim({ key: agency.key, path: ['backupSpace', 'projectId'] }, `project ${agency.file.backupSpace.projectId}`);
  }
  return folder;
}

/**
 * Accounts' credentials (Terraform keys) and internal addresses come from ids alone, so the files a selection does not
 * read hold theirs too, first: a problem is then always reported on a file that was read.
 */
function claimAccounts({ agency, clients, unread, keys, report }: Folder): void {
  for (const { key, id } of unread) keys.hold({ key, path: ['id'] }, terraformKey(id), id);
  const claimAccount = (claim: Claim, name: string) => {
    keys.claim(claim, terraformKey(name), name);
    // RFC 5321 §4.5.3.1.1: the part of an address before "@" is at most 64 characters.
    const address = internalAddress(name, agency.file.mailDomain);
    if (name.length > 64)
      report(claim, `makes the internal address ${address}, whose part before "@" is longer than 64 characters: shorten it`);
  };
  for (const { key, client } of clients) {
    if (client.id === AGENCY_STACK)
      report({ key, path: ['id'] }, `"${AGENCY_STACK}" is the name of the agency's shared stack: choose another id`);
    claimAccount({ key, path: ['id'] }, client.id);
    client.products.forEach((product, i) => claimAccount({ key, path: ['products', i, 'id'] }, productAccountName(product.id, client.id)));
  }
}

/** Each client and isolated product has an OVH account of its own, which is none of the agency's. */
function claimNichandles({ agency, clients, nichandles, report, where }: Folder): void {
  for (const { key, client } of clients) {
    for (const { path, scope, product } of scopesOf(client)) {
      const claim = { key, path: [...path, 'nichandle'] };
      const holder = nichandles.holder(scope.nichandle);
      if (product && scope.nichandle === client.nichandle)
        report(claim, 'is the client’s own account: an isolated product needs an OVH account of its own');
      else if (holder?.key === agency.key)
        report(claim, `is the agency’s own account, ${where(holder, claim)}: a client’s services need the client’s own account`);
      else nichandles.claim(claim, scope.nichandle);
    }
  }
}

/**
 * A domain is declared once in the folder, never the agency's mail domain, never under another client's domain;
 * e-mail and web hosting go on the client's own domains (web hosting also on one registered elsewhere).
 */
function claimDomains({ agency, clients, domains, report, where }: Folder): void {
  const mailDomain = agency.file.mailDomain;
  const isMailDomain = (name: string) => name === mailDomain || name.endsWith(`.${mailDomain}`);
  const mailDomainProblem =
    'is the agency’s mail domain (or under it), where every client’s internal address lives: no client’s service may use it';
  const eachDomain = (visit: (claim: Claim, name: string) => void) => {
    for (const { key, client } of clients) {
      for (const { path, scope } of scopesOf(client))
        scope.domains.forEach((domain, i) => visit({ key, path: [...path, 'domains', i, 'name'] }, domain.name));
    }
  };
  eachDomain((claim, name) => (isMailDomain(name) ? report(claim, mailDomainProblem) : domains.claim(claim, name)));
  /** Another file's claim on `name` or on a domain above it. */
  const heldElsewhere = (claim: Claim, name: string) => {
    for (let parent = name; parent.includes('.'); parent = parent.slice(parent.indexOf('.') + 1)) {
      const holder = domains.holder(parent);
      if (holder && holder.key !== claim.key) return where(holder, claim);
    }
    return undefined;
  };
  eachDomain((claim, name) => {
    const above = heldElsewhere(claim, name.slice(name.indexOf('.') + 1));
    if (above) report(claim, `is under a domain of another client, ${above}`);
  });
  for (const { key, client } of clients) {
    for (const { path, scope, product } of scopesOf(client)) {
      const own = scope.domains.map((domain) => domain.name);
      scope.hosting.emailDomains.forEach((mail, i) => {
        const claim = { key, path: [...path, 'hosting', 'emailDomains', i, 'domain'] };
        const other = heldElsewhere(claim, mail.domain);
        if (isMailDomain(mail.domain)) report(claim, mailDomainProblem);
        else if (other) report(claim, `is a domain of another client, ${other}: mailboxes go only on the client’s own domains`);
        // The e-mail offer's admin is this scope's account: mail on the client's domain from an isolated product (or
        // the other way round) would cross the isolation the product exists for.
        else if (!own.some((name) => mail.domain === name || mail.domain.endsWith(`.${name}`))) {
          report(
            claim,
            `is not a domain this ${product ? 'product' : 'client'} declares: declare it in its domains, or move the e-mail domain to where the domain is declared`,
          );
        }
      });
      scope.hosting.webHostings.forEach((web, i) => {
        const claim = { key, path: [...path, 'hosting', 'webHostings', i, 'domain'] };
        const other = heldElsewhere(claim, web.domain);
        if (isMailDomain(web.domain)) report(claim, mailDomainProblem);
        else if (other) report(claim, `is a domain of another client, ${other}`);
      });
    }
  }
}

/** A contact is the service's own account, the agency's, or a third party's: another client's would open this one's services to it. */
function checkContacts({ agency, clients, nichandles, report, where }: Folder): void {
  for (const { key, client } of clients) {
    const own = new Set([client.nichandle, ...client.products.map((product) => product.nichandle)]);
    for (const { path, contacts } of overridesOf(client)) {
      for (const role of ['tech', 'billing'] as const) {
        const nic = contacts?.[role];
        const holder = nic && nic !== 'client' && !own.has(nic) ? nichandles.holder(nic) : undefined;
        const claim = { key, path: [...path, role] };
        if (holder && holder.key !== agency.key)
          report(
            claim,
            `is the account of another client, ${where(holder, claim)}: a contact is the client’s own account, the agency’s or a third party’s`,
          );
      }
    }
  }
}

/**
 * An instance is built with an SSH key, exactly one (ovh/terraform-provider-ovh v2.19.0,
 * ovh/resource_cloud_project_instance.go: ExactlyOneOf ssh_key, ssh_key_create): its own, or the agency's deploy key.
 */
function checkSshKeys({ agency, clients, report }: Folder): void {
  if (agency.file.deployKey) return;
  for (const { key, client } of clients) {
    client.instances.forEach((instance, i) => {
      if (!instance.sshKey) {
        report(
          { key, path: ['instances', i, 'sshKey'] },
          'is required: an instance is built with an SSH key, and agency.yaml declares no deploy key (deployKey) to use by default; name a key registered in the project',
        );
      }
    });
  }
}

/** Buckets (unique among every OVH customer of a region, so certainly between two clients) and imported services. */
function claimBucketsAndImports({ agency, clients, buckets, imports, report, where }: Folder): void {
  for (const { key, client } of clients) {
    client.backups.forEach((backup, i) => {
      const bucket = bucketName(client.id, backup.name);
      const claim = { key, path: ['backups', i, 'name'] };
      // OVHcloud Object Storage follows S3's bucket names: 3 to 63 characters.
      if (bucket.length > 63) report(claim, `makes the bucket name "${bucket}" longer than 63 characters`);
      else buckets.claim(claim, bucket);
    });
    for (const { path, scope } of scopesOf(client)) {
      for (const kind of HOSTING_KINDS) {
        hostingEntries(scope.hosting, kind).forEach((item, i) => {
          if ('existing' in item && item.existing)
            imports.claim({ key, path: [...path, ...fileEntry(kind).list, i, 'existing'] }, `${SERVICE_KINDS[kind].noun} ${item.existing}`);
        });
      }
    }
    const project = client.cloudProject?.existing;
    const claim = { key, path: ['cloudProject', 'existing'] };
    const holder = project ? imports.holder(`project ${project}`) : undefined;
    if (holder?.key === agency.key)
      report(claim, `is a project the agency shares, ${where(holder, claim)}: a large client’s project is its own`);
    else if (project) imports.claim(claim, `project ${project}`);
  }
}

/**
 * What a client file claims that another file could claim too, so that a selection reads only the files that may
 * conflict (`policy/folder.ts`): as the text another file would hold (`config/claim-candidates.ts` searches for it),
 * its domains (and the domains above them, which another client may hold), the domains its e-mail and web hostings
 * use (and those above), its own and its products' nichandles, the services it imports, and its contact overrides'
 * nichandles (another file matters only if one is that file's own account); and its bucket names, which another
 * client's id may also give (`a.b` + `c-files`, `a-b-c` + `files`).
 */
export interface FileClaims extends ClaimTerms {
  readonly buckets: readonly string[];
}

export function claimTerms(client: ClientFile): FileClaims {
  const names = new Set<string>();
  const withParents = (domain: string) => {
    for (let name = domain; name.includes('.'); name = name.slice(name.indexOf('.') + 1)) names.add(name);
  };
  const contacts = new Set<string>();
  for (const { scope } of scopesOf(client)) {
    names.add(scope.nichandle);
    for (const domain of scope.domains) withParents(domain.name);
    for (const mail of scope.hosting.emailDomains) withParents(mail.domain);
    for (const web of scope.hosting.webHostings) withParents(web.domain);
    for (const kind of HOSTING_KINDS)
      for (const item of hostingEntries(scope.hosting, kind)) if ('existing' in item && item.existing) names.add(item.existing);
  }
  if (client.cloudProject?.existing) names.add(client.cloudProject.existing);
  for (const { contacts: overrides } of overridesOf(client))
    for (const nic of [overrides?.tech, overrides?.billing]) if (nic && nic !== 'client' && !names.has(nic)) contacts.add(nic);
  return { names: [...names], contacts: [...contacts], buckets: client.backups.map((backup) => bucketName(client.id, backup.name)) };
}

/** Every contact override of a client file: client-wide, the project's, each product's and each service's. */
function overridesOf(client: ClientFile): { path: FieldPath; contacts?: ContactOverrides }[] {
  return [
    { path: ['contacts'], contacts: client.contacts },
    { path: ['cloudProject', 'contacts'], contacts: client.cloudProject?.contacts },
    ...scopesOf(client).flatMap(({ path, scope, product }) => [
      ...(product ? [{ path: [...path, 'contacts'], contacts: scope.contacts }] : []),
      ...scope.domains.map((domain, i) => ({ path: [...path, 'domains', i, 'contacts'], contacts: domain.contacts })),
      ...HOSTING_KINDS.flatMap((kind) =>
        hostingEntries(scope.hosting, kind).map((service, i) => ({
          path: [...path, ...fileEntry(kind).list, i, 'contacts'],
          contacts: service.contacts,
        })),
      ),
    ]),
  ];
}

/**
 * Names inside one client's stack, each once: entries of one kind with one name in the file are "declared twice"; the
 * plan's Terraform names (the construct ids of its services, records, mailboxes, instances and buckets, and its
 * outputs) of entries whose names differ only by a dot or a dash (`my-site.be`, `my.site.be`), or across kinds and
 * products, are the same.
 */
function stackProblems(client: ClientFile, plan: ClientPlan, inFile: (claim: Claim) => string): Omit<ClaimProblem, 'key'>[] {
  const problems: Omit<ClaimProblem, 'key'>[] = [];
  const once = <T>(
    what: (value: string, first: string) => string,
    entries: { path: FieldPath; value: T }[],
    valueOf: (value: T) => string,
  ) => {
    const first = new Map<string, FieldPath>();
    for (const { path, value } of entries) {
      const name = valueOf(value);
      const held = first.get(name);
      if (held) problems.push({ path, message: what(name, inFile({ key: '', path: held })) });
      else first.set(name, path);
    }
  };
  const entries = <T>(path: FieldPath, items: T[], field: string) => items.map((value, i) => ({ path: [...path, i, field], value }));
  const twice = (what: string) => (name: string, first: string) => `${what} "${name}" is declared twice (first at ${first})`;

  for (const { path, scope } of scopesOf(client)) {
    const { hosting } = scope;
    for (const kind of HOSTING_KINDS) {
      const { list, nameField } = fileEntry(kind);
      once(twice(SERVICE_KINDS[kind].noun), entries([...path, ...list], hostingEntries(hosting, kind), nameField), (item) =>
        entryName(kind, item),
      );
    }
    hosting.emailDomains.forEach((mail, i) => {
      const boxes = entries([...path, 'hosting', 'emailDomains', i, 'mailboxes'], mail.mailboxes, 'account');
      once(twice('mailbox'), boxes, (box) => box.account);
      // Beside each mailbox, its construct holds the mailbox's password and the output of all of them.
      const passwordOwners = new Map(mail.mailboxes.map((box) => [mailboxPasswordId(box.account), box.account]));
      for (const { path: at, value: box } of boxes) {
        const owner = passwordOwners.get(box.account);
        if (box.account === MAILBOX_PASSWORDS_ID || owner) {
          problems.push({
            path: at,
            message: `"${box.account}" is the name this tool gives ${owner ? `the initial password of mailbox "${owner}"` : 'the output of the initial passwords'}: choose another account name`,
          });
        }
      }
    });
  }
  once(twice('product'), entries(['products'], client.products, 'id'), (p) => p.id);
  once(twice('instance'), entries(['instances'], client.instances, 'name'), (i) => i.name);
  once(twice('backup'), entries(['backups'], client.backups, 'name'), (b) => b.name);

  const names: { path: FieldPath; value: string }[] = [];
  const outputs: { path: FieldPath; value: string }[] = [];
  for (const service of plan.services) {
    const { entry } = SERVICE_KINDS[service.kind];
    const name = [...service.source, ...(entry ? [entry.nameField] : [])];
    names.push({ path: name, value: service.id });
    if (service.kind === 'dnsZone' && service.settings.records.length > 0) names.push({ path: name, value: recordsId(service.id) });
    if (service.kind === 'emailDomain' && service.settings.mailboxes.length > 0) {
      names.push({ path: name, value: mailboxesId(service.id) });
      outputs.push({ path: name, value: mailboxPasswordsOutput(service.name) });
    }
  }
  for (const { id, source } of [...plan.instances, ...plan.backups]) names.push({ path: [...source, 'name'], value: id });
  if (plan.deployKey) names.push({ path: ['cloudProject'], value: DEPLOY_KEY_ID });
  once(
    (name, first) => `is named "${name}" in Terraform, as ${first} is: rename one of them (a dot and a dash count the same)`,
    names,
    (name) => name,
  );
  once(
    (name, first) => `makes the Terraform output "${name}", as ${first} does: rename one of them`,
    outputs,
    (name) => name,
  );

  // One problem per place: a name declared twice is not reported again as a Terraform name.
  const places = new Set<string>();
  return problems.filter(({ path }) => !places.has(JSON.stringify(path)) && places.add(JSON.stringify(path)));
}
