/**
 * Reads the data files of a clients folder: `agency.yaml` and one `<client id>.yaml` per client, each checked against
 * its schema and the rules the caller adds to it (the procedure's, handed in by `policy/folder.ts`). Every problem
 * found is collected, with its file, line and field path, so that the caller reports them all at once, with those it
 * finds across the files.
 */
import * as path from 'node:path';
import type * as z from 'zod';
import { type FileProblem } from '../core/failures';
import {
  AGENCY_FILE,
  CLIENT_SUFFIX,
  clientIdOf,
  formatPath,
  listFolder,
  readYamlFile,
  type FieldPath,
  type FolderListing,
  type YamlFile,
} from './files';
import { codePoint, describeValue, plainMessages, quoted } from './messages';
import { AgencyFile, CLIENT_ID, ClientFile, NOT_PLAIN_TEXT } from './schema';

export { AGENCY_FILE, formatPath } from './files';

export interface LoadedClient {
  readonly file: string;
  readonly client: ClientFile;
}

export interface LoadedConfig {
  readonly agency: AgencyFile;
  readonly clients: readonly LoadedClient[];
}

/** A file read and valid: its data, and its text's lines for the messages. */
export interface ValidFile<T> {
  readonly yaml: YamlFile;
  readonly data: T;
}

/** What a client file must follow beyond its shape, each problem at its field: checked with the schema. */
export type ClientRules = (client: ClientFile) => { path: FieldPath; message: string }[];

/** A clients folder as read so far. */
export interface FolderRead {
  /** The agency's settings, when valid. */
  readonly agency?: ValidFile<AgencyFile>;
  /** The valid files among those selected (every client file by default), in the folder's order. */
  readonly clients: ValidFile<ClientFile>[];
  /** The folder's other client files, not read. */
  readonly others: string[];
  /** Every problem found so far, and those of the files `read` reads. */
  readonly problems: FileProblem[];
  /** Reads more client files of the folder in full: the valid ones. */
  read(files: readonly string[]): ValidFile<ClientFile>[];
}

/** The example agency settings, for a folder that has none. */
const EXAMPLE_AGENCY_FILE = path.join('clients', AGENCY_FILE);

/**
 * Reads the agency settings and the client files of `dir`: all of them, or only those of the `selected` ids, which
 * must be files of the folder. Each client file is checked against its schema and `rules`.
 */
export function readFolder(dir: string, selected: readonly string[] | undefined, rules: ClientRules): FolderRead {
  const problems: FileProblem[] = [];
  const listing = listFolder(dir);
  problems.push(...listing.problems);
  const agency = readAgency(dir, listing, problems);
  const files = selected ? selectedFiles(dir, listing.clients, selected, problems) : listing.clients;
  const schema = ClientFile.superRefine((client, ctx) => {
    for (const { path: fieldPath, message } of rules(client)) ctx.addIssue({ code: 'custom', path: fieldPath, message });
  });
  const read = (more: readonly string[]) => more.flatMap((file) => readClient(file, schema, problems));
  const clients = read(files);
  const chosen = new Set(files);
  return { agency, clients, others: listing.clients.filter((file) => !chosen.has(file)), problems, read };
}

/** Problems in the order of their files, then lines. */
export function byPlace(a: FileProblem, b: FileProblem): number {
  return a.file < b.file ? -1 : a.file > b.file ? 1 : (a.line ?? 0) - (b.line ?? 0);
}

function readAgency(dir: string, listing: FolderListing, problems: FileProblem[]): ValidFile<AgencyFile> | undefined {
  if (!listing.agency) {
    // A folder that cannot be listed is reported as such already.
    if (listing.problems.every((problem) => problem.file !== dir)) {
      problems.push({
        file: path.join(dir, AGENCY_FILE),
        field: '',
        message: `is missing: it holds the agency's own settings (mail domain, internal OVH accounts, shared Public Cloud project, backup space); start from the example ${EXAMPLE_AGENCY_FILE} of this project`,
      });
    }
    return undefined;
  }
  const yaml = readYamlFile(listing.agency, problems);
  const data = yaml && validate(yaml, AgencyFile, problems);
  return yaml && data && { yaml, data };
}

function readClient(file: string, schema: typeof ClientFile, problems: FileProblem[]): ValidFile<ClientFile>[] {
  const yaml = readYamlFile(file, problems);
  const data = yaml && validate(yaml, schema, problems);
  if (!yaml || !data) return [];
  const expected = clientIdOf(file);
  if (data.id !== expected)
    problems.push({
      file,
      line: yaml.lineOf(['id']),
      field: 'id',
      // A file name that is no id (`BetterFinance.eu.yaml`) is the one to change: the id in it is valid.
      message: CLIENT_ID.test(expected)
        ? `must match the file name: expected ${quoted(expected)}, got ${quoted(data.id)} (or rename the file to ${quoted(`${data.id}${CLIENT_SUFFIX}`)})`
        : `must match the file name, and ${quoted(expected)} is no client id (lower case letters, digits, single "." or "-"): rename the file to ${quoted(`${data.id}${CLIENT_SUFFIX}`)}`,
    });
  return [{ yaml, data }];
}

/** The selected clients' files, which must be client files of the folder (never a path out of it). */
function selectedFiles(dir: string, clientFiles: string[], ids: readonly string[], problems: FileProblem[]): string[] {
  return ids.flatMap((id) => {
    const file = path.join(dir, `${id}${CLIENT_SUFFIX}`);
    if (clientFiles.includes(file)) return [file];
    const named = path.basename(id) === id ? file : dir;
    const otherCase = clientFiles.find((other) => path.basename(other).toLowerCase() === `${id}${CLIENT_SUFFIX}`.toLowerCase());
    const hint = otherCase
      ? ` (${path.basename(otherCase)} differs in case: rename it to ${quoted(`${id.toLowerCase()}${CLIENT_SUFFIX}`)})`
      : '';
    problems.push({ file: named, field: '', message: `no such client file: the selection (OVH_IAC_CLIENTS) names ${quoted(id)}${hint}` });
    return [];
  });
}

/**
 * Checks a file's content against `schema`, after the rules every value follows whatever its field: one line of
 * plain text, no placeholder left from the documentation, nothing that CDK for Terraform would take for its own.
 * One problem per field: the first, and none inside a value already refused as a whole.
 */
function validate<T extends z.ZodType>(yaml: YamlFile, schema: T, problems: FileProblem[]): z.output<T> | undefined {
  const { file, data } = yaml;
  if (data === undefined || data === null || typeof data !== 'object' || Array.isArray(data)) {
    const what = data === undefined || data === null ? 'is empty' : `holds ${describeValue(data)}`;
    problems.push({
      file,
      line: yaml.lineOf([]),
      field: '',
      message: `${what}: it must hold "key: value" lines, like the example files in clients/`,
    });
    return undefined;
  }
  const found = valueRuleProblems(data);
  const result = schema.safeParse(data, { error: plainMessages });
  for (const issue of result.error?.issues ?? []) {
    const fieldPath = issue.path.filter((key): key is string | number => typeof key !== 'symbol');
    if (issue.code !== 'unrecognized_keys') found.push({ fieldPath, message: issue.message });
    else
      for (const key of issue.keys)
        found.push({
          fieldPath: [...fieldPath, key],
          message: key === '<<' ? 'YAML merge keys (<<) are not read: write the keys out' : issue.message,
        });
  }
  const reported: string[] = [];
  const within = (place: string, at: string) => place === at || place.startsWith(`${at}.`) || place.startsWith(`${at}[`);
  for (const { fieldPath, message } of found) {
    const place = formatPath(fieldPath);
    if (reported.some((at) => within(place, at))) continue;
    reported.push(place);
    problems.push({ file, line: yaml.lineOf(fieldPath), field: place, message });
  }
  return found.length === 0 ? result.data : undefined;
}

/** Placeholders from the documentation, like `<flavor id>`, and the example nichandle of the messages. */
const PLACEHOLDER = /<[^<>]*[A-Za-z][^<>]*>|^xx11111-ovh$/;
/** CDK for Terraform reads these as references to its own tokens, wherever they are in a string. */
const CDKTF_TOKEN = /[$#&]\{TfToken\[/;

/**
 * Problems with the values themselves, wherever they are: what every value of a client or agency file follows
 * (one line of plain text, no placeholder left from the documentation, no CDK for Terraform token).
 */
export function valueRuleProblems(data: unknown, at: (string | number)[] = []): { fieldPath: (string | number)[]; message: string }[] {
  if (typeof data === 'string') {
    const problem = NOT_PLAIN_TEXT.test(data)
      ? `must be one line of plain text: it holds ${data.includes('\n') ? 'a line break' : `the character ${codePoint(data[data.search(NOT_PLAIN_TEXT)])}`}`
      : PLACEHOLDER.test(data)
        ? `holds ${quoted(PLACEHOLDER.exec(data)![0])}, a placeholder (or markup): write the real value`
        : CDKTF_TOKEN.test(data)
          ? 'holds "{TfToken[", which CDK for Terraform would take for one of its own references'
          : undefined;
    return problem ? [{ fieldPath: at, message: problem }] : [];
  }
  if (Array.isArray(data)) return data.flatMap((item, i) => valueRuleProblems(item, [...at, i]));
  if (data !== null && typeof data === 'object')
    return Object.entries(data).flatMap(([key, value]) => valueRuleProblems(value, [...at, key]));
  return [];
}
