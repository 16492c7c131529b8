/**
 * The clients folder as files: which entries are client files, and each file read as one YAML document, or a plain
 * reason why it cannot be. Only regular UTF-8 text files of the folder itself are read, within a size limit; a
 * symbolic link, a binary or Latin-1 file, several documents in one file, or an alias bomb is named, never guessed at.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { isMap, isScalar, isSeq, LineCounter, parseAllDocuments, type Document, type Node } from 'yaml';
import type { FileProblem } from '../core/failures';
import { codePoint, INVISIBLE_CHARACTERS, quoted, yamlProblem } from './messages';

export const AGENCY_FILE = 'agency.yaml';
export const CLIENT_SUFFIX = '.yaml';

/**
 * The id a client file's name gives: its name without `.yaml`. Sliced rather than `path.basename`, which costs a
 * selection among 5,000 files some 15 ms as it takes the id of every other file.
 */
export function clientIdOf(file: string): string {
  const name = file.slice(file.lastIndexOf(path.sep) + 1);
  return name.endsWith(CLIENT_SUFFIX) ? name.slice(0, -CLIENT_SUFFIX.length) : name;
}

/** The client ids a folder's entry names give: one per `<client id>.yaml`, the agency's file aside. */
export function clientIdsOf(names: readonly string[]): string[] {
  return names.filter((name) => name.endsWith(CLIENT_SUFFIX) && name !== AGENCY_FILE).map(clientIdOf);
}

/** Control characters but tab and line ends, invisible and text-direction characters: what a text file never holds. */
const NOT_IN_A_FILE = new RegExp(`[\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f-\\u009f${INVISIBLE_CHARACTERS}]`);

/** A client file is a few kilobytes; this leaves room for hundreds of DNS records, and keeps the parser safe. */
export const MAX_FILE_BYTES = 256 * 1024;
/** Deeper nesting has no use in a client file, and a few hundred thousand open brackets crash the YAML parser. */
const MAX_NESTING = 64;
/** Aliases beyond this many expand into too much data (a "billion laughs" file). */
const MAX_ALIASES = 100;

export interface FolderListing {
  /** `agency.yaml`, when the folder has it. */
  agency?: string;
  /** The `<client id>.yaml` files, sorted by name. */
  clients: string[];
  /** Entries that are not client files. */
  problems: FileProblem[];
}

/**
 * The entries of a clients folder: `agency.yaml`, one `<client id>.yaml` per client, and nothing else. Hidden
 * entries (`.gitkeep`, editors' lock and swap files) are left alone; anything else is a mistake worth naming, since
 * it would otherwise be silently ignored (a client saved as `.yml` would simply have no stack).
 */
export function listFolder(dir: string): FolderListing {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return {
      clients: [],
      problems: [{ file: dir, field: '', message: 'is not a readable folder: set OVH_IAC_CLIENTS_DIR to the folder of client files' }],
    };
  }
  const listing: FolderListing = { clients: [], problems: [] };
  const inFolder = entryPathOf(dir);
  for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const file = inFolder(entry.name);
    if (entry.name.startsWith('.')) continue;
    const notClientFile = notAClientFile(entry);
    if (notClientFile) listing.problems.push({ file, field: '', message: notClientFile });
    else if (entry.name === AGENCY_FILE) listing.agency = file;
    else listing.clients.push(file);
  }
  return listing;
}

/**
 * `path.join(dir, name)` for the names of `dir`'s entries (no separator in them): the folder joined once, as a join per
 * entry costs some 30 ms for 5,000 files, which even a selection of one client lists.
 */
function entryPathOf(dir: string): (name: string) => string {
  const prefix = path.join(dir, '_').slice(0, -1); // The folder normalized, with its separator: '' for '.'.
  return (name) => prefix + name;
}

/** Why `entry` is not a client file, with what to do instead; undefined when it is one. */
function notAClientFile(entry: fs.Dirent): string | undefined {
  const { name } = entry;
  const yamlBase = /^(.*)\.ya?ml$/i.exec(name)?.[1];
  if (entry.isDirectory()) return 'is a folder: client files sit directly in the clients folder, one <client id>.yaml each';
  if (name.endsWith(CLIENT_SUFFIX)) return undefined;
  if (yamlBase !== undefined) return `is not read: client files end in ".yaml" (lower case); rename it to "${yamlBase}.yaml"`;
  if (/\.ya?ml(\.|~|$)|~$|\.(bak|orig|swp|tmp)$/i.test(name))
    return 'looks like a copy or backup of a client file: remove it from the folder';
  if (/\.json$/i.test(name)) return `is not read: client files are YAML; write it as "${name.replace(/\.json$/i, '.yaml')}"`;
  return `is not a client file: this folder holds only ${AGENCY_FILE} and one <client id>.yaml per client; move it elsewhere`;
}

export interface YamlFile {
  file: string;
  /** The document's plain value (mappings as objects); undefined for an empty file. */
  data: unknown;
  /** The line of a field path in the file (its key's line, or its closest parent's when the key is missing). */
  lineOf(fieldPath: readonly (string | number)[]): number | undefined;
}

/** Reads `file` as one YAML document, or reports why it cannot be read, with the line where it can tell. */
export function readYamlFile(file: string, problems: FileProblem[]): YamlFile | undefined {
  const text = readText(file, problems);
  if (text === undefined) return undefined;
  const lineCounter = new LineCounter();
  // Warnings are collected on the document rather than printed on the console.
  const parsed = parseAllDocuments(text, { lineCounter, uniqueKeys: true, prettyErrors: false, logLevel: 'silent' });
  const docs = Array.isArray(parsed) ? parsed : [];
  const lineAt = (offset: number) => lineCounter.linePos(offset).line;
  if (docs.length > 1) {
    problems.push({
      file,
      line: lineAt(docs[1].range[0]),
      field: '',
      message: `holds ${docs.length} YAML documents (separated by "---"): a client file is one document, so give each client its own file`,
    });
    return undefined;
  }
  const doc = docs[0];
  const directive = doc && directiveIn(doc, text);
  if (directive) {
    problems.push({ file, line: directive.line, field: '', message: directive.message });
    return undefined;
  }
  const tagged = doc ? taggedValues(doc.contents) : [];
  // An unknown tag is also a warning of the parser's: named here with its field instead.
  const yamlErrors = doc ? [...doc.errors, ...doc.warnings].filter((error) => tagged.length === 0 || !TAG_WARNINGS.has(error.code)) : [];
  for (const error of yamlErrors) problems.push({ file, line: lineAt(error.pos[0]), field: '', message: yamlProblem(error.code) });
  for (const { fieldPath, tag } of tagged)
    problems.push({
      file,
      line: lineOfPath(doc!, lineCounter, fieldPath),
      field: formatPath(fieldPath),
      message: `carries the YAML tag ${quoted(tag)}: client files use no tags; write the value plainly (in quotes to keep it text)`,
    });
  if (yamlErrors.length > 0 || tagged.length > 0) return undefined;
  let data: unknown;
  try {
    data = doc?.toJS({ maxAliasCount: MAX_ALIASES });
  } catch (error) {
    const message =
      error instanceof Error && /alias count/i.test(error.message)
        ? 'uses YAML aliases (*name) that expand into far too much data: write the values out'
        : 'uses a YAML alias (*name) that no anchor (&name) above it defines';
    problems.push({ file, field: '', message });
    return undefined;
  }
  return { file, data, lineOf: lineFinder(text) };
}

const TAG_WARNINGS = new Set<string>(['TAG_RESOLVE_FAILED', 'BAD_COLLECTION_TYPE']);

/** The tags `%TAG` directives cannot have changed: YAML's own `!!` and nothing else. */
const DEFAULT_TAG_PREFIXES = { '!!': 'tag:yaml.org,2002:' };

/**
 * A `%YAML` or `%TAG` directive (or one YAML does not know) before the document: `%YAML 1.1` would have it read by
 * YAML 1.1's rules (merge keys applied, `0600` read as octal 384), against the rules of the folder, so none is taken.
 */
function directiveIn(doc: Document, text: string): { line: number; message: string } | undefined {
  const { directives } = doc;
  const declared =
    (directives && (directives.yaml.explicit || JSON.stringify(directives.tags) !== JSON.stringify(DEFAULT_TAG_PREFIXES))) ||
    doc.warnings.some((warning) => warning.code === 'BAD_DIRECTIVE');
  if (!declared) return undefined;
  const found = /^%[^\r\n]*/m.exec(text);
  const shown = found ? ` ${quoted(found[0].trim())}` : '';
  return {
    line: found ? lineOfOffset(text, found.index) : 1,
    message: `starts with the YAML directive${shown}: client files take none, and are read as YAML 1.2 whatever one says; remove it (and the "---" line after it)`,
  };
}

/**
 * Every value or key written with a tag (`!!str 12`, `!!binary ...`, `!local x`), with its place: the rules say a
 * client file has none, and a tag changes what a value is (a text read as a number, binary data), so each is named.
 */
function taggedValues(node: unknown, at: (string | number)[] = []): { fieldPath: (string | number)[]; tag: string }[] {
  const own = (value: unknown, fieldPath: (string | number)[]) => {
    const tag = (value as Node | null)?.tag;
    return typeof tag === 'string' ? [{ fieldPath, tag: shortTag(tag) }] : [];
  };
  // No client file nests that deep: the schema refuses what is below, tagged or not.
  if (at.length > MAX_NESTING) return [];
  if (isMap(node))
    return [
      ...own(node, at),
      ...node.items.flatMap((pair) => {
        const key = isScalar(pair.key) ? String(pair.key.value) : '?';
        return [...own(pair.key, [...at, key]), ...taggedValues(pair.value, [...at, key])];
      }),
    ];
  if (isSeq(node)) return [...own(node, at), ...node.items.flatMap((item, i) => taggedValues(item, [...at, i]))];
  return own(node, at);
}

/** A tag as the file writes it: `!!str` rather than `tag:yaml.org,2002:str`. */
function shortTag(tag: string): string {
  return tag.startsWith(DEFAULT_TAG_PREFIXES['!!']) ? `!!${tag.slice(DEFAULT_TAG_PREFIXES['!!'].length)}` : tag;
}

/** A place in a file: keys and list indexes, e.g. `['products', 0, 'hosting', 'vps', 1]`. */
export type FieldPath = (string | number)[];

/** A field's place as messages name it: `domains[0].name`. */
export function formatPath(fieldPath: Readonly<FieldPath>): string {
  return fieldPath.map((key, i) => (typeof key === 'number' ? `[${key}]` : i === 0 ? key : `.${key}`)).join('');
}

/**
 * Finds lines in `text`, parsing it again on first use: only files with a problem need lines, and keeping every
 * file's parsed document until the last cross-file check would cost far more memory than the text.
 */
function lineFinder(text: string): YamlFile['lineOf'] {
  let parsed: { doc?: Document; lineCounter: LineCounter } | undefined;
  return (fieldPath) => {
    if (!parsed) {
      const lineCounter = new LineCounter();
      const docs = parseAllDocuments(text, { lineCounter, logLevel: 'silent' });
      parsed = { doc: Array.isArray(docs) ? docs[0] : undefined, lineCounter };
    }
    return parsed.doc && lineOfPath(parsed.doc, parsed.lineCounter, fieldPath);
  };
}

/** The file's text, if it is a regular file of reasonable size holding UTF-8 text. */
function readText(file: string, problems: FileProblem[]): string | undefined {
  const problem = (message: string, line?: number) => {
    problems.push({ file, line, field: '', message });
    return undefined;
  };
  let stat: fs.Stats;
  try {
    stat = fs.lstatSync(file);
  } catch {
    return problem('cannot be read');
  }
  if (stat.isSymbolicLink())
    return problem(
      'is a symbolic link: client files must be regular files of the folder itself (a link may point anywhere); copy the file instead',
    );
  if (!stat.isFile()) return problem('is not a regular file');
  if (stat.size > MAX_FILE_BYTES)
    return problem(`is ${Math.ceil(stat.size / 1024)} KiB: a client file holds at most ${MAX_FILE_BYTES / 1024} KiB`);
  let bytes = fs.readFileSync(file);
  if (bytes.length === 0) return '';
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff))
    return problem('is UTF-16 text: save it as UTF-8');
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) bytes = bytes.subarray(3); // a UTF-8 byte order mark
  const nul = bytes.indexOf(0);
  if (nul >= 0) return problem('is a binary file, not YAML text', lineOfByte(bytes, nul));
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    const at = firstInvalidUtf8(bytes);
    return problem(
      `is not UTF-8 text (byte 0x${bytes[at].toString(16).toUpperCase()}): it looks saved as Latin-1 or Windows-1252; save it as UTF-8`,
      lineOfByte(bytes, at),
    );
  }
  const strange = NOT_IN_A_FILE.exec(text);
  if (strange) {
    const code = codePoint(strange[0]);
    const what =
      strange[0] < '\u00a0'
        ? `the control character ${code}`
        : `the invisible or text-direction character ${code}, which makes the file read differently from what it holds`;
    return problem(`contains ${what}: remove it`, lineOfOffset(text, strange.index));
  }
  const deep = tooDeep(text);
  if (deep !== undefined) return problem(`nests lists or mappings more than ${MAX_NESTING} levels deep`, lineOfOffset(text, deep));
  return text;
}

/**
 * The offset where flow brackets (`[`, `{`) first nest deeper than allowed, outside quotes and comments; undefined
 * when they never do. Only a guard for the parser: brackets inside plain values count too, harmlessly.
 */
function tooDeep(text: string): number | undefined {
  let depth = 0;
  let quote: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === '\\' && quote === '"') i++;
      else if (c === quote) quote = undefined;
    } else if (c === '#' && (i === 0 || /\s/.test(text[i - 1]))) {
      while (i < text.length && text[i] !== '\n') i++;
    } else if (c === '"' || c === "'") {
      quote = c;
    } else if (c === '[' || c === '{') {
      if (++depth > MAX_NESTING) return i;
    } else if ((c === ']' || c === '}') && depth > 0) {
      depth--;
    }
  }
  return undefined;
}

function firstInvalidUtf8(bytes: Uint8Array): number {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let low = 0;
  let high = bytes.length;
  // The longest valid prefix: a bisection on prefixes, each decoded with `stream` so a cut sequence is not an error.
  while (high - low > 1) {
    const mid = (low + high) >> 1;
    try {
      decoder.decode(bytes.subarray(0, mid), { stream: true });
      decoder.decode();
      low = mid;
    } catch {
      high = mid;
    }
  }
  return low;
}

function lineOfByte(bytes: Uint8Array, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset; i++) if (bytes[i] === 0x0a) line++;
  return line;
}

function lineOfOffset(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset; i++) if (text[i] === '\n') line++;
  return line;
}

/** The line of the deepest part of `fieldPath` present in the file: a key's own line, or its parent's when it is missing. */
function lineOfPath(doc: Document, lineCounter: LineCounter, fieldPath: readonly (string | number)[]): number | undefined {
  for (let depth = fieldPath.length; depth >= 0; depth--) {
    if (depth === 0) {
      const start = (doc.contents as { range?: number[] } | null)?.range?.[0];
      return start === undefined ? undefined : lineCounter.linePos(start).line;
    }
    const parent = depth === 1 ? doc.contents : doc.getIn(fieldPath.slice(0, depth - 1), true);
    const key = fieldPath[depth - 1];
    const node = isMap(parent)
      ? parent.items.find((pair) => isScalar(pair.key) && pair.key.value === key)?.key
      : isSeq(parent) && typeof key === 'number'
        ? parent.items[key]
        : undefined;
    const offset = (node as { range?: number[] } | undefined)?.range?.[0];
    if (offset !== undefined) return lineCounter.linePos(offset).line;
  }
  return undefined;
}
