/**
 * The shape of a DNS record's target, by type, and the rules between the records of one zone: what OVH and the
 * resolvers on the Internet would refuse or misread, caught before anything is ordered.
 *
 * Sources: the record types are OVH's `zone.NamedResolutionFieldTypeEnum` (OVH API `/domain/zone`); targets follow
 * OVH's guide "Editing an OVHcloud DNS zone" (github:ovh/docs, pages/web_cloud/domains/dns_zone_edit/guide.en-gb.md:
 * TXT limited to 255 characters in its form but not in text mode, no CNAME at the zone's apex, a TXT beside a CNAME
 * breaks it, NS records belong to OVH's servers, a target without its final dot gets the zone appended) and the RFCs
 * cited per type.
 */
import { BlockList, isIPv4, isIPv6 } from 'node:net';

export const RECORD_TYPES = [
  'A',
  'AAAA',
  'CAA',
  'CNAME',
  'DKIM',
  'DMARC',
  'LOC',
  'MX',
  'NAPTR',
  'NS',
  'PTR',
  'SPF',
  'SRV',
  'SSHFP',
  'TLSA',
  'TXT',
] as const;
export type RecordType = (typeof RECORD_TYPES)[number];

interface RecordRule {
  /** The problem with `target`, or undefined when it has the right shape. */
  check(target: string): string | undefined;
  /** A rule on the record's sub-domain (`''` for the apex), or undefined. */
  subdomain?(subdomain: string): string | undefined;
}

const LABEL = /^[A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?$/;

/**
 * Addresses no record on the Internet can mean, from IANA's special-purpose address registries (RFC 6890 and the RFCs
 * each row cites): a record pointing there is a mistake or a copied example. Private ranges (RFC 1918's 10/8,
 * 172.16/12 and 192.168/16, RFC 6598's 100.64/10, RFC 4193's fc00::/7) are not here: internal names have uses.
 * The first row that holds an address is the one named.
 */
const SPECIAL_ADDRESSES = [
  { range: '0.0.0.0/8', what: '"this network" (RFC 1122 §3.2.1.3): no host has it, and 0.0.0.0 means "any address"' },
  { range: '127.0.0.0/8', what: 'loopback (RFC 1122 §3.2.1.3): every resolver would reach its own machine' },
  { range: '169.254.0.0/16', what: 'link-local (RFC 3927): it means nothing beyond one network link' },
  { range: '192.0.2.0/24', what: 'reserved for documentation, TEST-NET-1 (RFC 5737): no server has it' },
  { range: '198.51.100.0/24', what: 'reserved for documentation, TEST-NET-2 (RFC 5737): no server has it' },
  { range: '203.0.113.0/24', what: 'reserved for documentation, TEST-NET-3 (RFC 5737): no server has it' },
  { range: '224.0.0.0/4', what: 'multicast (RFC 5771): a group, never one server' },
  { range: '240.0.0.0/4', what: 'reserved (RFC 1112 §4), with the broadcast address 255.255.255.255 (RFC 919): no server has it' },
  { range: '::/128', what: 'the unspecified address (RFC 4291 §2.5.2): no host has it' },
  { range: '::1/128', what: 'loopback (RFC 4291 §2.5.3): every resolver would reach its own machine' },
  { range: '::ffff:0:0/96', what: 'IPv4-mapped (RFC 4291 §2.5.5.2): write the IPv4 address in an A record' },
  { range: '::/96', what: 'IPv4-compatible, deprecated (RFC 4291 §2.5.5.1): write the IPv4 address in an A record' },
  { range: '100::/64', what: 'discard-only (RFC 6666): traffic to it is dropped' },
  { range: '2001:db8::/32', what: 'reserved for documentation (RFC 3849): no server has it' },
  { range: '3fff::/20', what: 'reserved for documentation (RFC 9637): no server has it' },
  { range: 'fe80::/10', what: 'link-local (RFC 4291 §2.5.6): it means nothing beyond one network link' },
  { range: 'ff00::/8', what: 'multicast (RFC 4291 §2.7): a group, never one server' },
].map(({ range, what }) => ({ range, what, holds: subnet(range) }));

function subnet(range: string): (address: string) => boolean {
  const [prefix, bits] = range.split('/');
  const family = isIPv4(prefix) ? 'ipv4' : 'ipv6';
  const list = new BlockList();
  list.addSubnet(prefix, Number(bits), family);
  // A BlockList also matches an IPv4 rule against the IPv4-mapped form of an address: IPv6 rules see IPv6 only.
  return (address) => (family === 'ipv4' ? isIPv4(address) : isIPv6(address)) && list.check(address, family);
}

/** Why `address` cannot be a record's target, or undefined when it can. */
function specialAddressProblem(address: string): string | undefined {
  const row = SPECIAL_ADDRESSES.find(({ holds }) => holds(address));
  return row && `is in ${row.range}, ${row.what}; give the server's real address`;
}

/** Names reserved so that they never reach a server on the Internet (RFC 6761 §6.3, §6.4). */
const RESERVED_NAME = /(^|\.)(localhost|invalid)\.$/i;

/**
 * A host name as a target. With dots, it must end with "." (a fully qualified name): OVH appends the zone to a
 * target without it, so `mx1.mail.ovh.net` would become `mx1.mail.ovh.net.<zone>`. A single label is a name
 * inside the zone, on purpose.
 */
function hostProblem(host: string): string | undefined {
  if (isIPv4(host) || isIPv6(host)) return 'expected a host name, not an IP address';
  const name = host.endsWith('.') ? host.slice(0, -1) : host;
  if (name.length === 0 || name.length > 253 || !name.split('.').every((label) => LABEL.test(label)))
    return 'expected a host name like "mail.example.com."';
  if (!host.endsWith('.') && name.includes('.')) return `needs its final dot, "${host}.": without it OVH appends the zone's own name`;
  const reserved = RESERVED_NAME.exec(host)?.[2];
  if (reserved) return `is under "${reserved}.", a name reserved so that it never reaches a server on the Internet (RFC 6761 §6.3, §6.4)`;
  return undefined;
}

const uint = (text: string, max: number) => /^(0|[1-9][0-9]{0,9})$/.test(text) && Number(text) <= max;
/** Space-separated fields, where a double-quoted field may hold spaces. */
const fields = (target: string) => target.match(/"(?:[^"\\]|\\.)*"|[^\s"]+/g) ?? [];
const isQuoted = (field: string | undefined) => field !== undefined && /^"(?:[^"\\]|\\.)*"$/.test(field);
const hex = (text: string, length?: number) => /^([0-9A-Fa-f]{2})+$/.test(text) && (length === undefined || text.length === length);

/** How a message names a record's place. */
const place = (subdomain: string) => (subdomain ? `"${subdomain}"` : 'the apex');

/** A service label pair (`_service._proto`) first, as SRV (RFC 2782) and TLSA (RFC 6698 §3) names have. */
const servicePrefix = (what: string) => (subdomain: string) =>
  /^_[a-z0-9-]+\._[a-z0-9-]+(\.|$)/.test(subdomain)
    ? undefined
    : `${what} record sits at "_service._protocol" (like "_sip._tcp"), not at ${place(subdomain)}`;

/** One or more double-quoted strings, separated by spaces, as a master file writes them (RFC 1035 §5.1). */
const QUOTED_STRINGS = /^"(?:[^"\\]|\\.)*"( +"(?:[^"\\]|\\.)*")*$/;
const QUOTED_STRING = /"((?:[^"\\]|\\.)*)"/g;
/** RFC 1035 §3.3: a character-string is at most 255 octets. */
const MAX_STRING_OCTETS = 255;

/**
 * A TXT-like target as the character-strings it holds (RFC 1035 §3.3.14: one or more), or undefined when it holds
 * quotes in no such shape. A text without quotes is one string, which OVH quotes; quoted strings, each at most 255
 * octets, are how a longer value is written (OVH's zone guide: its form's limit of 255 characters does not hold in text
 * mode). Each string keeps its escapes (`\"`, `\\`, `\DDD`).
 */
function characterStrings(target: string): string[] | undefined {
  if (!target.startsWith('"')) return [target];
  return QUOTED_STRINGS.test(target) ? [...target.matchAll(QUOTED_STRING)].map((match) => match[1]) : undefined;
}

/** A string's length in octets, an escape (`\"`, `\DDD`) counting as the one octet it stands for. */
const octets = (text: string) => Buffer.byteLength(text.replace(/\\(\d{3}|.)/g, '_'));

/** What resolvers give SPF (RFC 7208 §3.3) and DKIM (RFC 6376 §3.6.2.2) readers: the strings joined, without spaces. */
const joined = (target: string) => (characterStrings(target) ?? [target]).map((text) => text.replace(/\\(["\\])/g, '$1')).join('');

/**
 * The strings of a TXT-like target, each within a DNS string's 255 octets. A longer value is cut into several
 * strings of one record, never into several records: SPF and DKIM read one record's strings joined, and several
 * records as several policies or keys (RFC 7208 §4.5: more than one SPF record is an error).
 */
function txtStrings(target: string, { unquotedMax = MAX_STRING_OCTETS } = {}): string | undefined {
  const strings = characterStrings(target);
  if (!strings)
    return 'expected one text, or quoted strings separated by spaces ("part one" "part two"), with any quote inside written \\"';
  const cut = 'cut it into quoted strings of at most 255 in this same record ("part one" "part two"), which resolvers join back';
  if (strings.length === 1 && !target.startsWith('"')) {
    const length = octets(target);
    return length > unquotedMax ? `is ${length} bytes long, and one DNS string holds at most 255 (RFC 1035 §3.3): ${cut}` : undefined;
  }
  const long = strings.findIndex((text) => octets(text) > MAX_STRING_OCTETS);
  return long < 0
    ? undefined
    : `string ${long + 1} of ${strings.length} is ${octets(strings[long])} bytes long, and one DNS string holds at most 255 (RFC 1035 §3.3): ${cut}`;
}

export const RECORD_RULES: Record<RecordType, RecordRule> = {
  A: { check: (t) => (isIPv4(t) ? specialAddressProblem(t) : 'expected an IPv4 address like "51.38.12.34"') },
  AAAA: {
    check: (t) => (isIPv6(t) && !t.includes('%') ? specialAddressProblem(t) : 'expected an IPv6 address like "2001:41d0:301::10"'),
  },
  // RFC 1034 §3.6.2: a CNAME is alone at its name; at the apex it would sit beside the zone's SOA and NS records.
  CNAME: {
    check: hostProblem,
    subdomain: (s) =>
      s === '' ? 'a CNAME cannot be at the apex of the zone (the domain itself): use an A or AAAA record there' : undefined,
  },
  // RFC 1035 §3.3.9 (16-bit preference); RFC 7505: "0 ." is a null MX, "this domain takes no mail".
  MX: {
    check: (t) => {
      const [priority, host, ...rest] = t.split(' ');
      if (rest.length > 0 || host === undefined || !uint(priority, 65535))
        return 'expected a priority (0 to 65535) and a host, like "1 mx1.mail.ovh.net."';
      return host === '.' && priority === '0' ? undefined : hostProblem(host);
    },
  },
  NS: {
    check: hostProblem,
    subdomain: (s) => (s === '' ? "the zone's own name servers are OVH's: an NS record here delegates a sub-domain" : undefined),
  },
  PTR: { check: hostProblem },
  // RFC 2782: priority, weight and port are 16-bit; "." means "no such service here".
  SRV: {
    check: (t) => {
      const [priority, weight, port, host, ...rest] = t.split(' ');
      if (rest.length > 0 || host === undefined || ![priority, weight, port].every((n) => uint(n, 65535))) {
        return 'expected priority, weight, port (each 0 to 65535) and a host, like "0 5 5060 sip.example.com."';
      }
      return host === '.' ? undefined : hostProblem(host);
    },
    subdomain: servicePrefix('an SRV'),
  },
  // RFC 8659 §4.1: flags 0-255, a tag of 1 to 15 letters and digits, a quoted value.
  CAA: {
    check: (t) => {
      const [flags, tag, value, ...rest] = fields(t);
      return rest.length === 0 && uint(flags ?? '', 255) && /^[A-Za-z0-9]{1,15}$/.test(tag ?? '') && isQuoted(value)
        ? undefined
        : 'expected flags (0 to 255), a tag and a quoted value, like \'0 issue "letsencrypt.org"\'';
    },
  },
  TXT: { check: (t) => txtStrings(t) },
  // RFC 7208 §4.5: an SPF record starts with "v=spf1".
  SPF: {
    check: (t) =>
      /^v=spf1( |$)/.test(joined(t))
        ? txtStrings(t)
        : 'expected an SPF policy starting with "v=spf1", like "v=spf1 include:mx.ovh.com ~all"',
  },
  // RFC 6376 §3.6.1 (v=DKIM1 first when present, p= required) and §3.6.2.1 (at "<selector>._domainkey").
  DKIM: {
    check: (t) => {
      // OVH's own DKIM type takes a key longer than one string unquoted; quoted strings are each a string.
      const strings = txtStrings(t, { unquotedMax: Infinity });
      if (strings) return strings;
      const tags = joined(t)
        .split(';')
        .map((tag) => tag.trim().split('=')[0]);
      return tags.includes('p') && (!tags.includes('v') || tags[0] === 'v')
        ? undefined
        : 'expected a DKIM key record with its "p=" key, like "v=DKIM1; k=rsa; p=MIGf..."';
    },
    subdomain: (s) =>
      /^[a-z0-9_-]+(\.[a-z0-9_-]+)*\._domainkey(\.|$)/.test(s)
        ? undefined
        : `a DKIM record sits at "<selector>._domainkey", not at ${place(s)}`,
  },
  // RFC 7489 §6.3 (v=DMARC1 first, then p=) and §6.1 (at "_dmarc").
  DMARC: {
    check: (t) =>
      /^v=DMARC1;\s*p=(none|quarantine|reject)(;|\s|$)/.test(joined(t))
        ? txtStrings(t)
        : 'expected a DMARC policy starting with "v=DMARC1; p=", like "v=DMARC1; p=quarantine"',
    subdomain: (s) => (/^_dmarc(\.|$)/.test(s) ? undefined : `a DMARC record sits at "_dmarc", not at ${place(s)}`),
  },
  // RFC 1876 §3: d1 [m1 [s1]] N|S d2 [m2 [s2]] E|W alt[m] [siz[m] [hp[m] [vp[m]]]].
  LOC: {
    check: (t) =>
      /^\d{1,2}( \d{1,2}( \d{1,2}(\.\d{1,3})?)?)? [NS] \d{1,3}( \d{1,2}( \d{1,2}(\.\d{1,3})?)?)? [EW] -?\d+(\.\d{1,2})?m?( \d+(\.\d{1,2})?m?){0,3}$/.test(
        t,
      )
        ? undefined
        : 'expected a location, like "50 50 10.000 N 4 21 50.000 E 90m"',
  },
  // RFC 3403 §4.1: order, preference, then the quoted flags, service and regexp, then a replacement host or ".".
  NAPTR: {
    check: (t) => {
      const [order, preference, flags, service, regexp, replacement, ...rest] = fields(t);
      const shape =
        rest.length === 0 &&
        uint(order ?? '', 65535) &&
        uint(preference ?? '', 65535) &&
        [flags, service, regexp].every(isQuoted) &&
        replacement !== undefined;
      if (!shape)
        return 'expected order, preference (each 0 to 65535), three quoted fields and a replacement, like \'100 10 "U" "E2U+sip" "!^.*$!sip:info@example.com!" .\'';
      return replacement === '.' ? undefined : hostProblem(replacement!);
    },
  },
  // RFC 4255 §3.1 and its updates (RFC 6594, 7479, 8709): algorithms 1-4 and 6; SHA-1 (40 hex) or SHA-256 (64 hex).
  SSHFP: {
    check: (t) => {
      const [algorithm, type, fingerprint, ...rest] = t.split(' ');
      const length = { '1': 40, '2': 64 }[type ?? ''];
      return rest.length === 0 && ['1', '2', '3', '4', '6'].includes(algorithm) && length !== undefined && hex(fingerprint ?? '', length)
        ? undefined
        : 'expected an algorithm (1, 2, 3, 4 or 6), a fingerprint type (1 or 2) and the matching hexadecimal fingerprint';
    },
  },
  // RFC 6698 §2.1: usage 0-3, selector 0-1, matching type 0-2 (2 and 1: SHA-512 and SHA-256 in hexadecimal).
  TLSA: {
    check: (t) => {
      const [usage, selector, matching, data, ...rest] = t.split(' ');
      const length = { '0': undefined, '1': 64, '2': 128 }[matching ?? ''];
      return rest.length === 0 && uint(usage ?? '', 3) && uint(selector ?? '', 1) && uint(matching ?? '', 2) && hex(data ?? '', length)
        ? undefined
        : 'expected usage (0 to 3), selector (0 or 1), matching type (0 to 2) and the matching hexadecimal data';
    },
    subdomain: servicePrefix('a TLSA'),
  },
};

export interface RecordLike {
  type: RecordType;
  subdomain: string;
  target: string;
}

export interface ZoneProblem {
  /** The record's index in the zone's list. */
  index: number;
  field: 'subdomain' | 'target';
  message: string;
}

/**
 * Rules between the records of one zone and the zone itself: a sub-domain that repeats the zone's name (it is relative
 * to the zone), a record declared twice, a CNAME that is not alone at its name (RFC 1034 §3.6.2, RFC 2181 §10.1; OVH's
 * guide: a TXT beside a CNAME breaks it), and CNAMEs that lead back to their own name (RFC 1034 §3.6.2: aliases
 * must not loop), which no resolver can follow.
 */
export function zoneProblems(zone: string, records: readonly RecordLike[]): ZoneProblem[] {
  const problems: ZoneProblem[] = [];
  records.forEach((record, index) => {
    const { subdomain } = record;
    if (subdomain === zone || subdomain.endsWith(`.${zone}`)) {
      const meant = subdomain === zone ? '"" (the apex)' : `"${subdomain.slice(0, -zone.length - 1)}"`;
      problems.push({
        index,
        field: 'subdomain',
        message: `repeats the zone's name, so the record would be ${subdomain}.${zone}: a sub-domain is relative to its zone; write ${meant}`,
      });
    }
  });
  const seen = new Map<string, number>();
  records.forEach((record, index) => {
    const key = `${record.type} ${record.subdomain} ${record.target}`;
    const first = seen.get(key);
    if (first !== undefined)
      problems.push({ index, field: 'target', message: `repeats record ${first + 1} of this domain (same type, sub-domain and target)` });
    else seen.set(key, index);
  });
  records.forEach((record, index) => {
    if (record.type !== 'CNAME') return;
    const other = records.findIndex((r, i) => i !== index && r.subdomain === record.subdomain);
    if (other >= 0 && !(records[other].type === 'CNAME' && other > index)) {
      const at = record.subdomain || 'the apex';
      problems.push({
        index,
        field: 'subdomain',
        message: `a CNAME must be alone at its name, and record ${other + 1} (${records[other].type}) is also at ${at}`,
      });
    }
  });
  problems.push(...aliasLoops(zone, records));
  return problems;
}

/** A record's full name, lower case, without the final dot: `www.example.com`. */
const fullName = (zone: string, subdomain: string) => (subdomain ? `${subdomain}.${zone}` : zone).toLowerCase();

/** The full name a CNAME's target means: a name with its final dot as it is, a single label inside the zone. */
const targetName = (zone: string, target: string) => (target.endsWith('.') ? target.slice(0, -1).toLowerCase() : fullName(zone, target));

/** CNAMEs of the zone that lead back to their own name, alone (`www` → `www`) or through others (`a` → `b` → `a`). */
function aliasLoops(zone: string, records: readonly RecordLike[]): ZoneProblem[] {
  const aliases = new Map<string, { index: number; target: string }>();
  records.forEach((record, index) => {
    const name = fullName(zone, record.subdomain);
    if (record.type === 'CNAME' && !aliases.has(name)) aliases.set(name, { index, target: targetName(zone, record.target) });
  });
  // Each name is walked once: a walk that comes back to a name of its own has found a loop (each member's, from it).
  const walked = new Map<string, number>();
  const loops = new Map<string, { loop: string[]; at: number }>();
  for (const start of aliases.keys()) {
    if (walked.has(start)) continue;
    const walk: string[] = [];
    let name: string | undefined = start;
    for (; name !== undefined && aliases.has(name) && !walked.has(name); name = aliases.get(name)!.target) {
      walked.set(name, walked.size);
      walk.push(name);
    }
    const from = name === undefined ? -1 : walk.indexOf(name);
    const loop = walk.slice(from);
    if (from >= 0) loop.forEach((member, at) => loops.set(member, { loop, at }));
  }
  return [...loops].map(([name, { loop, at }]) => {
    // The loop from this name round to it again, its middle left out when long.
    const step = (k: number) => loop[(at + k) % loop.length];
    const shown =
      loop.length <= 5
        ? [...loop.keys(), loop.length].map(step)
        : [0, 1, 2, -1, loop.length - 1, loop.length].map((k) => (k < 0 ? '…' : step(k)));
    const message =
      loop.length === 1
        ? `points to the record's own name, ${name}.: an alias of itself never resolves`
        : `makes a loop of aliases (${shown.join(' → ')}): a CNAME that leads back to itself never resolves`;
    return { index: aliases.get(name)!.index, field: 'target' as const, message };
  });
}
