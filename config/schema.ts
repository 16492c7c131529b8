/**
 * The shape of the data files in `clients/`: the agency's settings and one file per client.
 *
 * Every object is strict, so a misspelt key is an error instead of a silently ignored setting. Every text field has
 * a shape, in words: names and ids refuse Terraform's template sequences (`${`, `%{`), which they never need;
 * only free text (descriptions, DNS TXT targets) may hold them, and reaches Terraform escaped (`stacks/terraform-literal.ts`).
 * The procedure's own rules are `policy/`'s: what a client's size allows (`policy/client-size.ts`, checked with this
 * schema), and what needs the whole folder (names two files take, domains another client holds: `policy/claims.ts`).
 */
import * as z from 'zod';
import { RECORD_RULES, RECORD_TYPES, zoneProblems } from './dns-records';
import { INVISIBLE_CHARACTERS } from './messages';

/** An OVH account id, a nichandle, as OVH writes it in lower case: "xx11111-ovh". */
export const NICHANDLE = /^[a-z]{2,4}[0-9]{1,8}-ovh$/;

/** A client id, also its file's and its stack's name: lower-case letters and digits, single "." or "-" between them. */
export const CLIENT_ID = /^[a-z0-9]+([.-][a-z0-9]+)*$/;

/** A product id, or the name of a VPS, database, instance or backup: lower-case letters and digits, single "-". */
export const SHORT_NAME = /^[a-z0-9]+(-[a-z0-9]+)*$/;

/** Terraform evaluates these inside every string of a JSON configuration. */
export const TEMPLATE_SEQUENCE = /[$%]\{/;
/** Line breaks, control characters, invisible and text-direction characters: a value is one line of plain text. */
export const NOT_PLAIN_TEXT = new RegExp(`[\\u0000-\\u001f\\u007f-\\u009f${INVISIBLE_CHARACTERS}]`);

const NO_TEMPLATES = 'contains "${" or "%{", which Terraform would read as an expression: this field never needs them';

/** A string field: `shape` says in words what is expected, and serves every failure (missing, wrong kind, wrong form). */
function text(shape: string, pattern: RegExp, max: number) {
  const expected = `expected ${shape}`;
  return z
    .string({ error: (issue) => (issue.input === undefined ? `is required: ${expected}` : undefined) })
    .min(1, { error: `must not be empty: ${expected}` })
    .max(max, { error: `is too long: at most ${max} characters` })
    .refine((value) => !TEMPLATE_SEQUENCE.test(value), { error: NO_TEMPLATES })
    .regex(pattern, { error: expected });
}

/**
 * What people write: one line of plain text, trimmed, and, for a name, no template sequence: a name is shown and
 * compared, never evaluated. (The loader refuses control characters in every value; this keeps other callers safe.)
 */
function prose(what: string, max: number, { templates }: { templates: boolean }) {
  return z
    .string({ error: (issue) => (issue.input === undefined ? `is required: ${what}` : undefined) })
    .min(1, { error: `must not be empty: ${what}` })
    .max(max, { error: `is too long: at most ${max} characters` })
    .refine((value) => !NOT_PLAIN_TEXT.test(value), { error: 'must be one line of plain text' })
    .refine((value) => value === value.trim(), { error: 'starts or ends with spaces' })
    .refine((value) => templates || !TEMPLATE_SEQUENCE.test(value), { error: NO_TEMPLATES });
}

/**
 * A whole number's message. YAML numbers are read as JavaScript's, exact up to 2^53 - 1: zod's whole-number check
 * refuses a larger one, which is then named by the limit it crosses (`tooLarge`), never as "not a whole number".
 */
function wholeNumber(notWhole: string, tooLarge: string, tooSmall = notWhole) {
  return (issue: { code: string }) => (issue.code === 'too_big' ? tooLarge : issue.code === 'too_small' ? tooSmall : notWhole);
}
const TOO_LARGE_TO_READ = `is larger than ${Number.MAX_SAFE_INTEGER}, the largest whole number a client file holds exactly`;

/** An OVH account id; `whenMissing` says why it is needed. */
const nichandle = (
  whenMissing = 'is required: the OVH nichandle, like "xx11111-ovh"',
  expected = 'expected an OVH nichandle like "xx11111-ovh" (lower case)',
) => z.string({ error: (issue) => (issue.input === undefined ? whenMissing : expected) }).regex(NICHANDLE, { error: expected });
export const Nichandle = nichandle();

/**
 * RFC 1035 §2.3.4: labels of at most 63 characters, 253 in all; a top-level label with a letter (RFC 3696 §2), so that
 * an IP address is not taken for a domain; internationalized names in their ASCII (xn--) form.
 */
const DOMAIN_NAME =
  /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+(?=[a-z0-9-]{2,63}$)(?=[a-z0-9-]*[a-z])[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;
export const DomainNameText = text(
  'a lower-case domain name like "example.com" (an internationalized one in its "xn--" form)',
  DOMAIN_NAME,
  253,
);

/** A client id: lower case letters and digits, with single dots or dashes between them ("betterfinance.eu"). */
export const Slug = text('a lower-case id like "betterfinance.eu" (letters, digits, and single "." or "-" between them)', CLIENT_ID, 63);

const ProductId = text('a lower-case product id like "eshop" (letters, digits and single "-")', SHORT_NAME, 30);

/** A short name used in Terraform ids and bucket names. */
const ResourceName = text('a lower-case name like "web-1" (letters, digits and single "-")', SHORT_NAME, 40);

/** An OVH catalog plan code, e.g. "vps-2025-model1", "private-sql-1024-instance", "perso2014". */
const PlanCode = text(
  'an OVH plan code like "vps-2025-model1" (letters, digits, ".", "-" and "_")',
  /^[A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?$/,
  100,
);

/** A datacenter or region code, e.g. "GRA", "gra3", "SBG5", "EU-WEST-PAR". */
const Location = (example: string) =>
  text(`a code like "${example}" (letters, digits and "-")`, /^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?$/, 30);

/** An OpenStack id of a flavor or an image: a UUID at OVH, e.g. "906e8259-0340-4856-95b5-4ea2d26fe377". */
const OpenStackId = (what: string) =>
  text(`the ${what} id, like "906e8259-0340-4856-95b5-4ea2d26fe377"`, /^[A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?$/, 64);

/** OVH's name of a service that exists already: the stack imports it instead of ordering it. */
const ExistingServiceName = text(
  'the OVH service name of the existing service, like "vps-1a2b3c4d.vps.ovh.net"',
  /^[A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?$/,
  100,
);

const ProjectId = text('a Public Cloud project id (32 hexadecimal digits)', /^[0-9a-f]{32}$/, 32);

/**
 * Removing a billed service (or a whole client) is refused by the change review unless it is first marked
 * `decommission: true` in its file, in a reviewed pull request: then the stack no longer holds it, and the
 * next apply terminates it.
 */
const Decommission = z.boolean().default(false).describe('true: the next apply terminates it (a reviewed removal).');

/** Set once the service's contacts follow the procedure; why it matters: `policy/contacts.ts` `operatingAccount`. */
const HandedOver = z
  .boolean()
  .default(false)
  .describe('true once its contacts follow the procedure: operated through its admin, the client.');

/**
 * The two cases the procedure exists for, each one line, at any level (client, isolated product, service):
 * `tech: xx11111-ovh` names a third-party operator; `billing: client` hands billing over to the client.
 * `client` means the service's own account (the client's, or the isolated product's).
 */
const CLIENT_OR_NICHANDLE = 'expected "client" or an OVH nichandle like "xx11111-ovh" (lower case)';
const ClientOrNichandle = z.union([z.literal('client'), nichandle(CLIENT_OR_NICHANDLE, CLIENT_OR_NICHANDLE)], {
  error: CLIENT_OR_NICHANDLE,
});
export const ContactOverrides = z
  .strictObject({
    tech: ClientOrNichandle.describe(
      'Tech contact: a third-party operator’s nichandle, or "client" for the service’s own account.',
    ).optional(),
    billing: ClientOrNichandle.describe(
      'Billing contact: "client" hands billing over to the client; default: the internal account that orders.',
    ).optional(),
  })
  .describe('Contact overrides; the most specific level wins (service, then product, then client).');

/** A record's name inside its zone: "" for the apex, "www", "_dmarc", "*.shop"; a wildcard only as the first label. */
const Subdomain = z
  .string({ error: 'expected a sub-domain like "www", or "" for the apex' })
  .max(253, { error: 'is too long: at most 253 characters' })
  .regex(/^$|^(\*|[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?)(\.[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?)*$/, {
    error: 'expected a lower-case sub-domain like "www" or "_dmarc", or "" for the apex ("*" only as its first label)',
  });

/**
 * A DNS record. TTL: 60 s is the provider's minimum (ovh/terraform-provider-ovh v2.19.0,
 * ovh/resource_domain_zone_record.go), whose 0 would mean "the zone's default", never "no cache"; a day is this
 * project's maximum, as a longer TTL makes a mistake last for days.
 */
const DnsRecordEntry = z
  .strictObject({
    type: z.enum(RECORD_TYPES, { error: `expected a record type: ${RECORD_TYPES.join(', ')}` }),
    subdomain: Subdomain.default('').describe('Name inside the zone: "" for the apex, "www", "_dmarc"...'),
    /** Free text for TXT-like records: template sequences reach Terraform escaped. */
    target: prose('the record’s target', 4096, { templates: true }).describe(
      'Its value, by type: "51.38.12.34" (A), "1 mx1.mail.ovh.net." (MX), host names with their final dot.',
    ),
    ttl: z
      .number({ error: 'expected a number of seconds, from 60 to 86400 (omit it for the zone’s default)' })
      .int({
        error: wholeNumber(
          'expected a whole number of seconds',
          'must be at most 86400 seconds (a day)',
          'must be at least 60 seconds (omit it for the zone’s default)',
        ),
      })
      .min(60, { error: 'must be at least 60 seconds (omit it for the zone’s default)' })
      .max(86400, { error: 'must be at most 86400 seconds (a day)' })
      .optional(),
    /**
     * OVH's id of the record, when it exists already in the zone: imported instead of created again, since the
     * provider's importer takes `<record id>.<zone>` (ovh/terraform-provider-ovh v2.19.0, ovh/resource_domain_zone_record.go).
     */
    existing: z
      .number({ error: 'expected OVH’s id of the record, a number like 5138712 (GET /domain/zone/{zone}/record lists them)' })
      .int({
        error: wholeNumber(
          'expected OVH’s id of the record, a whole number',
          `${TOO_LARGE_TO_READ}: check the record's id (GET /domain/zone/{zone}/record lists them)`,
          'expected OVH’s id of the record, a positive number',
        ),
      })
      .positive({ error: 'expected OVH’s id of the record, a positive number' })
      .optional()
      .describe('OVH’s id of the record when it exists already: adopted (imported), never created twice.'),
  })
  .superRefine((record, ctx) => {
    const rule = RECORD_RULES[record.type];
    const target = rule.check(record.target);
    if (target) ctx.addIssue({ code: 'custom', path: ['target'], message: target });
    const subdomain = rule.subdomain?.(record.subdomain);
    if (subdomain) ctx.addIssue({ code: 'custom', path: ['subdomain'], message: subdomain });
  });

const DomainEntry = z
  .strictObject({
    name: DomainNameText.describe('The domain, ordered through the client’s own OVH account.'),
    /** The DNS zone is a service of its own, ordered through the hosting account; `false` when DNS is hosted elsewhere. */
    dnsZone: z.boolean().default(true).describe('Order its DNS zone at OVH (false when DNS is hosted elsewhere).'),
    records: z.array(DnsRecordEntry).max(1000).default([]),
    contacts: ContactOverrides.optional(),
    /** The domain (and its zone) already exist at OVH: import them, order nothing. */
    existing: z.boolean().default(false).describe('The domain and its zone exist at OVH already: import them, order nothing.'),
    /** For its DNS zone (the domain itself is the client's from the start). */
    handedOver: HandedOver,
    decommission: Decommission,
  })
  .superRefine((domain, ctx) => {
    domain.records.forEach((record, i) => {
      // A zone this tool's order brings has only the records this tool creates; an existing zone has OVH's ids to adopt.
      if (record.existing !== undefined && !domain.existing) {
        ctx.addIssue({
          code: 'custom',
          path: ['records', i, 'existing'],
          message: 'adopts a record of a zone that exists already: only for a domain marked existing: true',
        });
      }
      const first = record.existing === undefined ? i : domain.records.findIndex((other) => other.existing === record.existing);
      if (first < i)
        ctx.addIssue({
          code: 'custom',
          path: ['records', i, 'existing'],
          message: `adopts record ${record.existing}, as records[${first}] does`,
        });
    });
    if (!domain.dnsZone && domain.records.length > 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['records'],
        message: 'records live in the OVH DNS zone of the domain: remove them or set dnsZone: true',
      });
    }
    for (const { index, field, message } of zoneProblems(domain.name, domain.records))
      ctx.addIssue({ code: 'custom', path: ['records', index, field], message });
    domain.records.forEach((record, i) => {
      // RFC 1035 §2.3.4: the record's full name, sub-domain and zone, is at most 253 characters.
      if (record.subdomain.length + 1 + domain.name.length > 253) {
        ctx.addIssue({
          code: 'custom',
          path: ['records', i, 'subdomain'],
          message: `makes the record's full name longer than 253 characters`,
        });
      }
    });
  });

/** An operating system or image name as OVH's catalogs write it: "Debian 12", "Ubuntu 24.04", "AlmaLinux 9 (UEFI)". */
const SystemName = (what: string, example: string) =>
  text(
    `${what} like "${example}" (letters, digits, spaces, ".", "-", "_", "+" and brackets)`,
    /^[A-Za-z0-9]([A-Za-z0-9 ._+()-]*[A-Za-z0-9)])?$/,
    100,
  );

/** A name shown at OVH (the manager's list of services); an imported service keeps OVH's unless the file sets one. */
const ServiceDisplayName = () =>
  prose('the name OVH shows for the service', 100, { templates: false })
    .optional()
    .describe('The name OVH shows; default: the name above for a service ordered here, OVH’s own for an existing one.');

/**
 * What an order needs beyond its plan code (OVH refuses the order at checkout otherwise; the provider checks nothing at
 * plan time): required for a service ordered here, never for one that exists (`existing`), which is imported as it is.
 */
function orderConfigurations(required: Record<string, string>) {
  return (service: { existing?: string } & Record<string, unknown>, ctx: z.RefinementCtx) => {
    if (service.existing) return;
    for (const [field, why] of Object.entries(required))
      if (service[field] === undefined) ctx.addIssue({ code: 'custom', path: [field], message: `is required to order it: ${why}` });
  };
}

/** What a VPS and a private database have alike, past their order's own configurations. */
const OrderedService = {
  displayName: ServiceDisplayName(),
  contacts: ContactOverrides.optional(),
  /** The service name of one that exists already, e.g. "vps-1a2b3c4d.vps.ovh.net": imported, never ordered. */
  existing: ExistingServiceName.optional(),
  handedOver: HandedOver,
  decommission: Decommission,
};

const VpsEntry = z
  .strictObject({
    name: ResourceName,
    /** The catalog plan code, e.g. "vps-2025-model1": read once, when ordering (an existing VPS changes offer by an upgrade at OVH). */
    plan: PlanCode,
    datacenter: Location('GRA').optional().describe('Where OVH builds it, like "GRA" (the order’s vps_datacenter); required to order.'),
    os: SystemName('an operating system', 'Debian 12')
      .optional()
      .describe('Its operating system, like "Debian 12" (the order’s vps_os); required to order.'),
    ...OrderedService,
  })
  // ovh/terraform-provider-ovh v2.19.0 docs/resources/vps.md: the OS must be given at creation as the plan's
  // configuration `vps_os`; its example, and ovh/resource_vps_test.go, also give `vps_datacenter`.
  .superRefine(
    orderConfigurations({
      os: 'the operating system OVH installs, like "Debian 12" (the order’s vps_os)',
      datacenter: 'the datacenter OVH builds it in, like "GRA" (the order’s vps_datacenter)',
    }),
  );

const PrivateDatabaseEntry = z
  .strictObject({
    name: ResourceName,
    plan: PlanCode,
    engine: text('an engine like "mysql_8.0"', /^(mysql|mariadb|postgresql|redis|mongodb)_[0-9]+(\.[0-9]+)*$/, 30)
      .optional()
      .describe('Like "mysql_8.0" (the order’s engine); required to order.'),
    datacenter: Location('gra3').optional().describe('Like "gra3" (the order’s dc); required to order.'),
    ...OrderedService,
  })
  // ovh/terraform-provider-ovh v2.19.0 docs/resources/hosting_privatedatabase.md and its test: configurations `dc` and `engine`.
  .superRefine(
    orderConfigurations({
      engine: 'the database engine and version, like "mysql_8.0" (the order’s engine)',
      datacenter: 'the datacenter, like "gra3" (the order’s dc)',
    }),
  );

/** A mailbox's account, the part before "@": RFC 5321 §4.5.3.1.1 (at most 64), a dot-atom of RFC 5322 §3.2.3, lower case. */
const MailboxAccount = text(
  'a lower-case account like "contact" or "jean.dupont" (letters, digits, ".", "-", "_")',
  /^[a-z0-9]([a-z0-9_-]|\.(?!\.))*(?<!\.)$/,
  64,
);

const EmailDomainEntry = z.strictObject({
  domain: DomainNameText,
  /** The mailboxes to create; the e-mail offer itself comes with the web hosting or an MX plan. */
  mailboxes: z
    .array(
      z
        .strictObject({
          account: MailboxAccount,
          /** In bytes, as the provider's `ovh_email_domain_account.size`. */
          size: z
            .number()
            .int({
              error: wholeNumber(
                'expected a whole number of bytes',
                `${TOO_LARGE_TO_READ}: give the size in bytes`,
                'must be a positive number of bytes',
              ),
            })
            .positive({ error: 'must be a positive number of bytes' })
            .optional(),
          /**
           * The mailbox exists at OVH already. The provider cannot import mailboxes (ovh/terraform-provider-ovh v2.19.0,
           * ovh/resource_email_domain_account.go has no ImportState), so it is declared and left as it is: never created twice.
           */
          existing: z
            .boolean()
            .default(false)
            .describe('It exists at OVH already: left as it is (the provider cannot import mailboxes), never created again.'),
          decommission: Decommission,
        })
        .superRefine((box, ctx) => {
          if (box.existing && box.size !== undefined)
            ctx.addIssue({
              code: 'custom',
              path: ['size'],
              message: 'applies to a mailbox this tool creates: an existing one is left as it is',
            });
        }),
    )
    .max(1000)
    .default([]),
  contacts: ContactOverrides.optional(),
  decommission: Decommission,
});

const WebHostingEntry = z.strictObject({
  /** The main domain of the hosting, e.g. "betterfinance.eu". */
  domain: DomainNameText,
  plan: PlanCode,
  contacts: ContactOverrides.optional(),
  decommission: Decommission,
});

const Hosting = z
  .strictObject({
    vps: z.array(VpsEntry).max(100).default([]),
    privateDatabases: z.array(PrivateDatabaseEntry).max(100).default([]),
    emailDomains: z.array(EmailDomainEntry).max(100).default([]),
    /** Declared so that the procedure lists it; Terraform cannot order web hosting. */
    webHostings: z.array(WebHostingEntry).max(100).default([]),
  })
  .default({ vps: [], privateDatabases: [], emailDomains: [], webHostings: [] });

/**
 * Where a checkout may go: a folder of its own under a web root. cloud-init clones as root at the first boot, so a
 * checkout elsewhere could overwrite the system or feed it (cloud-init itself runs what it finds under
 * /var/lib/cloud/scripts as root at every boot), and `git clone` fails into a folder that is not empty.
 */
const WEB_ROOTS = ['/var/www', '/srv'];
/** Web roots' folders that are not empty at the first boot: Debian's nginx and apache2 packages put their page there. */
const DEFAULT_SITE_FOLDERS = ['/var/www/html'];

/** Where a git ref may not go (git-check-ref-format): `..`, `@{`, a leading `-` (an option to git), a `.lock` end. */
const GIT_REF = /^(?!-)(?!.*\.\.)(?!.*@\{)(?!.*\/\/)(?!.*(\.lock|\/|\.)$)[A-Za-z0-9._/@-]+$/;

const CheckoutEntry = z.strictObject({
  /**
   * Cloned by cloud-init at the instance's first boot: no credentials in it, no query, no template sequence. An SSH
   * URL is refused: no key that a git host would accept is on the instance then, so the clone would fail while the
   * instance counts as created (and cloud-init never runs again).
   */
  repository: text(
    'a git URL like "https://github.com/org/site.git", without credentials',
    /^(https:\/\/[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:[0-9]{1,5})?|ssh:\/\/git@[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:[0-9]{1,5})?|git@[a-z0-9]([a-z0-9.-]*[a-z0-9])?:)\/?[A-Za-z0-9._~-]+(\/[A-Za-z0-9._~-]+)*$/,
    400,
  ).refine((url) => url.startsWith('https://'), {
    error:
      'is an SSH URL: the instance has no key a git host would accept when cloud-init clones at its first boot, so the clone would fail while the instance counts as created; use the repository’s https:// URL (a public repository)',
  }),
  path: text('an absolute path like "/var/www/site" (letters, digits, ".", "-", "_")', /^(\/[A-Za-z0-9_-][A-Za-z0-9._-]*)+$/, 200)
    .refine((path) => !path.split('/').some((segment) => /^\.+$/.test(segment)), { error: 'must not contain "." or ".." as a folder' })
    .refine((path) => WEB_ROOTS.some((root) => path.startsWith(`${root}/`)), {
      error:
        'must be a folder of its own under /var/www or /srv, like "/var/www/site" or "/srv/app": cloud-init clones it as root at the first boot, so nowhere else (not /var/lib/cloud, whose scripts it runs as root at every boot, nor a system folder)',
    })
    .refine((path) => !DEFAULT_SITE_FOLDERS.includes(path), {
      error:
        'is where Debian’s web server packages (nginx, apache2) put their default page: not empty at the first boot, so the clone would fail; use a folder of its own, like "/var/www/site"',
    }),
  ref: text('a git branch or tag like "main" or "v2"', GIT_REF, 200).optional(),
});

/** An SSH key's name in a Public Cloud project (OpenStack keypair names: letters, digits, spaces, ".", "-", "_", "@"). */
const SshKeyName = text('the name of an SSH key, like "agency-deploy"', /^[A-Za-z0-9._@-]([A-Za-z0-9 ._@-]*[A-Za-z0-9._@-])?$/, 255);

/** The key types OpenSSH writes in a public key line (ssh-keygen -t ed25519, rsa, ecdsa, and the security-key ones). */
const SSH_KEY_TYPES = [
  'ssh-ed25519',
  'ssh-rsa',
  'ecdsa-sha2-nistp256',
  'ecdsa-sha2-nistp384',
  'ecdsa-sha2-nistp521',
  'sk-ssh-ed25519@openssh.com',
  'sk-ecdsa-sha2-nistp256@openssh.com',
];

/** The key type a public key's blob starts with (RFC 4253 §6.6: a uint32 length, then the type's name). */
function blobType(base64: string): string | undefined {
  const blob = Buffer.from(base64, 'base64');
  const length = blob.length >= 4 ? blob.readUInt32BE(0) : 0;
  return length > 0 && length <= 64 && blob.length >= 4 + length ? blob.subarray(4, 4 + length).toString('latin1') : undefined;
}

/** An OpenSSH public key line, `<type> <base64> [comment]`, as in `~/.ssh/id_ed25519.pub`: never a private key. */
const SshPublicKey = prose('an OpenSSH public key, like "ssh-ed25519 AAAAC3Nza... agency@example.com"', 16384, { templates: false })
  .refine((key) => !/PRIVATE KEY/.test(key), {
    error: 'is a private key: give the public one (the .pub file), and keep the private key out of every file',
  })
  .refine(
    (key) => {
      const [type, base64] = key.split(' ');
      return SSH_KEY_TYPES.includes(type) && /^[A-Za-z0-9+/]+={0,2}$/.test(base64 ?? '') && blobType(base64) === type;
    },
    {
      error: `expected an OpenSSH public key line: its type (${SSH_KEY_TYPES.join(', ')}), a space, its base64 data for that type, and an optional comment`,
    },
  )
  .describe('The public key line, as in ~/.ssh/id_ed25519.pub.');

/** A flavor's name in a Public Cloud region, e.g. "b3-8", "c3-16", "t1-le-45". */
const FlavorName = text('a flavor name like "b3-8"', /^[A-Za-z0-9]+([._-][A-Za-z0-9]+)*$/, 64);

/** Exactly one of two ways to name a thing (by name, or by id). */
function oneOf(byName: string, byId: string, what: string, example: string) {
  return (value: Record<string, unknown>, ctx: z.RefinementCtx) => {
    if (value[byName] === undefined && value[byId] === undefined)
      ctx.addIssue({
        code: 'custom',
        path: [byName],
        message: `is required: the ${what}’s name, like "${example}" (or its id, as ${byId})`,
      });
    if (value[byName] !== undefined && value[byId] !== undefined)
      ctx.addIssue({
        code: 'custom',
        path: [byId],
        message: `names the ${what} a second time: keep ${byName} (its name) or ${byId} (its id), not both`,
      });
  };
}

const InstanceEntry = z
  .strictObject({
    name: ResourceName,
    region: Location('GRA11'),
    /** By name, looked up in the project's region at each plan (ovh_cloud_project_flavors); or by id. */
    flavor: FlavorName.optional().describe('The flavor’s name, like "b3-8" (or its id as flavorId).'),
    flavorId: OpenStackId('flavor').optional(),
    /** By name, looked up in the project's region at each plan (ovh_cloud_project_images); or by id. */
    image: SystemName('an image name', 'Debian 12').optional().describe('The image’s name, like "Debian 12" (or its id as imageId).'),
    imageId: OpenStackId('image').optional(),
    /** Default: the agency's deploy key (agency.yaml `deployKey`), which the stack owning the project registers. */
    sshKey: SshKeyName.optional().describe(
      'An SSH key registered in the project; default: the agency’s deploy key (agency.yaml deployKey).',
    ),
    billingPeriod: z.enum(['hourly', 'monthly']).default('hourly'),
    /** Debian policy §5.6.1: lower case letters, digits, "+", "-", ".", at least two characters, starting alphanumeric. */
    packages: z
      .array(text('a Debian package name like "nginx"', /^[a-z0-9][a-z0-9+.-]+$/, 100))
      .max(200)
      .default([]),
    /** Packages and checkouts are cloud-init's, which runs at the first boot only: a change applies to new instances. */
    checkouts: z.array(CheckoutEntry).max(50).default([]),
    /**
     * A change that needs a new instance (region, flavor, image, SSH key, project) replaces it: its disk is lost. Only
     * a reviewed `replace: true` lets it go through; remove it once applied, so the new instance is protected again.
     */
    replace: z
      .boolean()
      .default(false)
      .describe('true: the next apply may replace it by a new instance (its disk is lost); remove it once applied.'),
    decommission: Decommission,
  })
  .superRefine(oneOf('flavor', 'flavorId', 'flavor', 'b3-8'))
  .superRefine(oneOf('image', 'imageId', 'image', 'Debian 12'))
  .superRefine((instance, ctx) => {
    // A second clone into the same folder, or into a folder of another checkout, fails and stops cloud-init there.
    instance.checkouts.forEach((checkout, i) => {
      const other = instance.checkouts.findIndex(
        (c, j) => j < i && (c.path === checkout.path || checkout.path.startsWith(`${c.path}/`) || c.path.startsWith(`${checkout.path}/`)),
      );
      if (other >= 0)
        ctx.addIssue({
          code: 'custom',
          path: ['checkouts', i, 'path'],
          message: `overlaps the path of checkout ${other + 1} (${instance.checkouts[other].path})`,
        });
    });
  });

/** Where a bucket lives: the agency's shared backup space, or a large client's own project. */
export const BACKUP_LOCATIONS = ['backupSpace', 'ownProject'] as const;

const BackupEntry = z.strictObject({
  name: ResourceName,
  /** Large clients' own project only: the backup space's buckets are in its region (agency.yaml). */
  region: Location('SBG').optional(),
  /**
   * Default: the backup space for a standard client, the own project for a large one. A bucket never moves (its
   * backups would be lost): a client that becomes large keeps its buckets with `location: backupSpace` until they are
   * decommissioned, and backs up to new ones in its project meanwhile.
   */
  location: z
    .enum(BACKUP_LOCATIONS, {
      error: 'expected "backupSpace" (the agency’s shared backup space) or "ownProject" (a large client’s own project)',
    })
    .optional()
    .describe('backupSpace or ownProject; default: by the client’s size. A bucket never moves: keep an old one where it is with this.'),
  /** The bucket exists already: imported, not created. */
  existing: z.boolean().default(false),
  /** An S3 user of its own, with keys and a policy reaching this bucket only; an existing bucket has its users already. */
  credentials: z
    .boolean()
    .optional()
    .describe('Make an S3 user with keys for this bucket only; default: true for a new bucket, false for an existing one.'),
  /** Versions replaced or deleted are kept this many days, then expire (a lifecycle rule): backups stay restorable, old versions do not pile up. */
  keepOldVersionsDays: z
    .number({ error: 'expected a number of days, from 1 to 3650' })
    .int({ error: wholeNumber('expected a whole number of days', 'must be at most 3650 days (ten years)', 'must be at least 1 day') })
    .min(1, { error: 'must be at least 1 day' })
    .max(3650, { error: 'must be at most 3650 days (ten years)' })
    .default(30)
    .describe('Days an overwritten or deleted version is kept before it expires (default 30).'),
  decommission: Decommission,
});

const DisplayName = (what: string) => prose(what, 100, { templates: false });

const Services = {
  domains: z.array(DomainEntry).max(200).default([]),
  hosting: Hosting,
};

const ProductEntry = z.strictObject({
  id: ProductId.describe('The product’s id; its account’s address is <product>.<client id>@ the mail domain.'),
  name: DisplayName('the product’s display name').optional(),
  nichandle: nichandle('is required: an isolated product has its own OVH account; set its nichandle, like "xx11111-ovh"').describe(
    'The product’s own OVH account.',
  ),
  /** Product-wide contact overrides, between the client's and each service's own. */
  contacts: ContactOverrides.optional(),
  ...Services,
});

export const ClientFile = z.strictObject({
  id: Slug.describe('The client’s id, also the file’s name: lower case, like "betterfinance.eu".'),
  name: DisplayName('the client’s display name, like "Better Finance"').describe('The client’s display name.'),
  size: z
    .enum(['standard', 'large'], {
      error: (issue) =>
        `${issue.input === undefined ? 'is required: ' : ''}expected "standard" or "large" (large: a Public Cloud project of its own)`,
    })
    .describe('standard: the shared YB Cloud project; large: a Public Cloud project of its own.'),
  nichandle: Nichandle.describe('The client’s own OVH account, like "xx11111-ovh".'),
  /** Client-wide contact overrides; a product's, then a service's own `contacts`, win over these. */
  contacts: ContactOverrides.optional(),
  ...Services,
  products: z.array(ProductEntry).max(50).default([]).describe('Products that need isolation: each with an OVH account of its own.'),
  /** Large clients only: their own Public Cloud project. */
  cloudProject: z
    .strictObject({
      /** Free text, shown at OVH: template sequences reach Terraform escaped. An existing project keeps OVH's unless set. */
      description: prose('the project’s description', 100, { templates: true }).optional(),
      /**
       * OVH's own protection: the provider refuses to delete the project while its state says true
       * (ovh/terraform-provider-ovh v2.19.0, ovh/resource_cloud_project.go). Turning it off is the first of the two
       * steps of a decommission, applied on its own.
       */
      deletionProtection: z
        .boolean()
        .default(true)
        .describe('false: the first of the two steps of a decommission, applied on its own before it.'),
      /** The id of the client's project when it exists already. */
      existing: ProjectId.optional(),
      /** Once credited, and its admin and tech moved to the client. */
      handedOver: HandedOver,
      contacts: ContactOverrides.optional(),
    })
    .optional(),
  instances: z
    .array(InstanceEntry)
    .max(100)
    .default([])
    .describe('Public Cloud instances, in the shared project (standard) or the client’s own (large).'),
  backups: z.array(BackupEntry).max(100).default([]).describe('Backup buckets, each with a user that reaches that bucket only.'),
  /** Terminate everything the client has: its stack is emptied by the next apply. */
  decommission: Decommission,
});

const InternalAccount = z.strictObject({ name: ResourceName, nichandle: Nichandle });

export const AgencyFile = z
  .strictObject({
    mailDomain: DomainNameText,
    ovh: z.strictObject({
      endpoint: z.enum(['ovh-eu', 'ovh-ca', 'ovh-us'], { error: 'expected "ovh-eu", "ovh-ca" or "ovh-us"' }),
      /**
       * Not used: each order is placed in its ordering account's own subsidiary, which the provider reads from `GET /me`
       * when the order leaves it empty (ovh/terraform-provider-ovh v2.19.0, ovh/order.go orderCreate). A client's account
       * may well be another subsidiary's than the agency's. Accepted so that older agency files still load.
       */
      subsidiary: text('an OVH subsidiary like "FR" (two to four capital letters)', /^[A-Z]{2,4}$/, 4)
        .optional()
        .meta({ deprecated: true })
        .describe('Not used: every order is placed in its ordering account’s own subsidiary (read from OVH).'),
    }),
    /**
     * The agency's SSH key, registered in every Public Cloud project that runs instances by the stack that owns the
     * project (the agency's stack for the shared project, a large client's for its own): instances name it by default.
     */
    deployKey: z
      .strictObject({
        name: SshKeyName.describe('Its name in each project, like "agency-deploy": instances name it by default.'),
        publicKey: SshPublicKey,
      })
      .optional()
      .describe('The agency’s SSH key, registered in every project that runs instances.'),
    accounts: z.strictObject({
      /** Orders every service but domains and Public Cloud; billing contact of the clients' services. */
      hosting: InternalAccount,
      /** Orders Public Cloud; owns the shared project and the shared backup space. */
      cloud: InternalAccount,
    }),
    sharedProject: z.strictObject({ name: DisplayName('the shared project’s name, like "YB Cloud"'), id: ProjectId }),
    backupSpace: z.strictObject({ projectId: ProjectId, region: Location('GRA') }),
  })
  .superRefine((agency, ctx) => {
    const { hosting, cloud } = agency.accounts;
    if (cloud.name === hosting.name)
      ctx.addIssue({
        code: 'custom',
        path: ['accounts', 'cloud', 'name'],
        message: 'must differ from the hosting account’s name: each account has credentials of its own',
      });
    if (cloud.nichandle === hosting.nichandle)
      ctx.addIssue({
        code: 'custom',
        path: ['accounts', 'cloud', 'nichandle'],
        message: 'must differ from the hosting account’s nichandle',
      });
  });

export type ClientFile = z.output<typeof ClientFile>;
export type AgencyFile = z.output<typeof AgencyFile>;
export type ContactOverrides = z.output<typeof ContactOverrides>;
export type ServiceSet = Pick<ClientFile, 'domains' | 'hosting'>;
export type DomainConfig = ClientFile['domains'][number];
export type InstanceConfig = ClientFile['instances'][number];
