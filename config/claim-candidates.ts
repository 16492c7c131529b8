/**
 * Which of the files a selection does not build may claim what the selected files claim: a search of their bytes,
 * cheap enough for every file of the folder, so that a selection still checks claims across the folder (a domain, a
 * nichandle, an imported service another client holds) while reading in full only the few files it finds. (A bucket
 * another client's id gives needs no search: `policy/folder.ts` finds it by the file's name.)
 *
 * The search may find too much (a comment, a record pointing at a domain), never too little: a name is found
 * wherever the file writes it, except through a YAML escape (`"shared\x2eeu"`), so a file holding a backslash is
 * always a candidate; an alias repeats text the file holds already; and a file that cannot be read here (a link, one
 * larger than the loader takes) is a candidate too, which its full reading then reports. Names are ASCII (domains in
 * their `xn--` form), so bytes are searched as they are, never decoded.
 */
import * as fs from 'node:fs';
import { MAX_FILE_BYTES } from './files';

/**
 * What a file claims that another file could claim too, as the text that other file would hold (`policy/claims.ts`
 * says what they are).
 */
export interface ClaimTerms {
  /** Names only one file may hold: another file holding one is read. */
  readonly names: readonly string[];
  /** Nichandles that matter only as another file's own account, never in that file's own contact overrides. */
  readonly contacts: readonly string[];
}

/** Bytes of a name (`a-z`, `0-9`, `_`, `-`): a match must not continue into them (`shop-example.eu` is not `example.eu`). */
const isNameByte = (byte: number | undefined) =>
  byte !== undefined && ((byte >= 0x61 && byte <= 0x7a) || (byte >= 0x30 && byte <= 0x39) || byte === 0x5f || byte === 0x2d);
const DOT = 0x2e;
const BACKSLASH = 0x5c;

/**
 * The first offset from `from` where `term` stands as a whole name in `bytes`, or -1: a `.` before it is fine (a
 * domain below it), and so is one after it that ends the name (`example.eu.`, a host name), but not one that goes on
 * (`example.eu.be`). A plain loop rather than a generator: it runs for every term in every file of the folder.
 */
function occurrence(bytes: Buffer, term: Buffer, from = 0): number {
  for (let at = bytes.indexOf(term, from); at >= 0; at = bytes.indexOf(term, at + 1)) {
    const end = at + term.length;
    const goesOn = isNameByte(bytes[end]) || (bytes[end] === DOT && isNameByte(bytes[end + 1]));
    if (!isNameByte(bytes[at - 1]) && !goesOn) return at;
  }
  return -1;
}

/** `tech: ` or `billing: ` right before a value: another file's own contact override, which claims nothing. */
const OVERRIDE_BEFORE = /(^|[\s{,])["']?(tech|billing)["']?[ \t]*:[ \t]*["']?$/;

/** Terms as the bytes searched for, encoded once for every file. */
interface SearchTerms {
  names: Buffer[];
  contacts: Buffer[];
}

const searchTerms = ({ names, contacts }: ClaimTerms): SearchTerms => ({
  names: names.map((name) => Buffer.from(name)),
  contacts: contacts.map((nic) => Buffer.from(nic)),
});

/** Whether a file holding `bytes` (undefined: not readable here) may claim what `terms` name. */
export function mayClaimAlike(bytes: Buffer | undefined, terms: ClaimTerms): boolean {
  return holdsAny(bytes, searchTerms(terms));
}

function holdsAny(bytes: Buffer | undefined, terms: SearchTerms): boolean {
  if (bytes === undefined || bytes.includes(BACKSLASH)) return true;
  if (terms.names.some((name) => occurrence(bytes, name) >= 0)) return true;
  // An override's nichandle matters only as that file's own account: its own overrides naming it are left out.
  const asAccount = (nic: Buffer) => {
    for (let at = occurrence(bytes, nic); at >= 0; at = occurrence(bytes, nic, at + 1))
      if (!OVERRIDE_BEFORE.test(bytes.toString('latin1', Math.max(0, at - 40), at))) return true;
    return false;
  };
  return terms.contacts.some(asAccount);
}

/**
 * The files of `files` that may claim what any of `claims` names. Each is read whole into one buffer, reused, up to the
 * loader's size: never a link followed, nor a FIFO waited on.
 */
export function claimCandidates(files: readonly string[], claims: readonly ClaimTerms[]): string[] {
  if (claims.length === 0) return [];
  const terms = claims.map(searchTerms);
  const buffer = Buffer.alloc(MAX_FILE_BYTES + 1);
  const flags = fs.constants.O_RDONLY | (fs.constants.O_NOFOLLOW ?? 0) | (fs.constants.O_NONBLOCK ?? 0);
  return files.filter((file) => {
    let bytes: Buffer | undefined;
    try {
      const fd = fs.openSync(file, flags);
      try {
        // One read takes a regular file whole (read(2) returns less only at its end), up to one byte past what the
        // loader takes; a second read, to see the end, would cost as much again for every file of the folder.
        const length = fs.readSync(fd, buffer, 0, buffer.length, 0);
        bytes = length > MAX_FILE_BYTES ? undefined : buffer.subarray(0, length);
      } finally {
        fs.closeSync(fd);
      }
    } catch {
      bytes = undefined;
    }
    return terms.some((searched) => holdsAny(bytes, searched));
  });
}
