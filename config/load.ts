/**
 * Reads the data files of a clients folder: `agency.yaml` and one `<client id>.yaml` per client.
 * Every problem found is collected, with its file, line and field path, before anything is built,
 * so one bad file means no output at all.
 */
import * as path from 'node:path';
import type { z } from 'zod';
import { claimProblems, claimTerms, type ClaimsInput } from '../policy/claims';
import { CLIENT_ID } from '../policy/naming';
import type { FieldPath } from '../policy/plan';
import { claimCandidates } from './claim-candidates';
import { AGENCY_FILE, CLIENT_SUFFIX, formatPath, listFolder, readYamlFile, type FolderListing, type YamlFile } from './files';
import { ConfigError, type FileProblem } from '../core/failures';
import { codePoint, describeValue, plainMessages, quoted } from './messages';
import { AgencyFile, ClientFile, NOT_PLAIN_TEXT } from './schema';

export { AGENCY_FILE, formatPath } from './files';

export interface LoadedClient {
  file: string;
  client: ClientFile;
}

export interface LoadedConfig {
  agency: AgencyFile;
  clients: LoadedClient[];
}

/** The example agency settings, for a folder that has none. */
const EXAMPLE_AGENCY_FILE = path.join('clients', AGENCY_FILE);

/**
 * Loads the agency settings and the clients of `dir`: all of them, or only `selected` ids. A selection builds only
 * the selected clients and reads only their files in full, so that one client costs about the same whatever the
 * total; yet it checks every claim across the folder: names that derive from file names (credentials, internal
 * addresses) against every file name, and what the selected files claim (domains, nichandles, buckets, imported
 * services) against the files that a text search finds holding one of those names (`claim-candidates.ts`), which are
 * read in full too, for their claims only.
 */
export function loadConfig(dir: string, selected?: string[]): LoadedConfig {
  const problems: FileProblem[] = [];
  const listing = listFolder(dir);
  problems.push(...listing.problems);
  const agency = readAgency(dir, listing, problems);
  const files = selected ? selectedFiles(dir, listing.clients, selected, problems) : listing.clients;
  const clients = files.flatMap((file) => readClient(file, problems));
  if (agency) {
    const read = new Set(files);
    const others = listing.clients.filter((file) => !read.has(file));
    const alike = new Set(claimCandidates(others, idOfFile, others.length > 0 ? clients.map(({ data }) => claimTerms(data)) : []));
    const claimants = [...alike].flatMap((file) => readClient(file, problems));
    const unread = others.filter((file) => !alike.has(file));
    problems.push(...folderProblems(agency, [...clients, ...claimants].sort(byFile), unread));
  }
  if (problems.length > 0 || !agency) throw new ConfigError(problems.sort(byPlace));
  return { agency: agency.data, clients: clients.map(({ yaml, data }) => ({ file: yaml.file, client: data })) };
}

interface Read<T> {
  yaml: YamlFile;
  data: T;
}

function readAgency(dir: string, listing: FolderListing, problems: FileProblem[]): Read<AgencyFile> | undefined {
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

function readClient(file: string, problems: FileProblem[]): Read<ClientFile>[] {
  const yaml = readYamlFile(file, problems);
  const data = yaml && validate(yaml, ClientFile, problems);
  if (!yaml || !data) return [];
  const expected = path.basename(file, CLIENT_SUFFIX);
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

/** What the files claim across the folder (`policy/claims.ts`), at their lines; `unread` files count by their names. */
function folderProblems(agency: Read<AgencyFile>, clients: Read<ClientFile>[], unread: string[]): FileProblem[] {
  const files = new Map([agency, ...clients].map(({ yaml }) => [yaml.file, yaml]));
  const lineOf = (file: string, fieldPath: FieldPath) => files.get(file)?.lineOf(fieldPath);
  const describe: ClaimsInput['describe'] = (file, fieldPath, from) => {
    const line = lineOf(file, fieldPath);
    const field = formatPath(fieldPath);
    if (file === from) return line ? `${field} (line ${line})` : field;
    return `${path.basename(file)}${line ? `:${line}` : ''}${field ? ` (${field})` : ''}`;
  };
  const claims = claimProblems({
    agency: { key: agency.yaml.file, file: agency.data },
    clients: clients.map(({ yaml, data }) => ({ key: yaml.file, client: data })),
    unread: unread.map((file) => ({ key: file, id: path.basename(file, CLIENT_SUFFIX) })),
    describe,
  });
  return claims.map(({ key, path: fieldPath, message }) => ({
    file: key,
    line: lineOf(key, fieldPath),
    field: formatPath(fieldPath),
    message,
  }));
}

const idOfFile = (file: string) => path.basename(file, CLIENT_SUFFIX);

/** Files read in the folder's order: claims across files are reported on the later one, in every mode alike. */
const byFile = (a: Read<ClientFile>, b: Read<ClientFile>) => (a.yaml.file < b.yaml.file ? -1 : a.yaml.file > b.yaml.file ? 1 : 0);

/** Problems in the order of their files, then lines. */
function byPlace(a: FileProblem, b: FileProblem): number {
  return a.file < b.file ? -1 : a.file > b.file ? 1 : (a.line ?? 0) - (b.line ?? 0);
}

/** The selected clients' files, which must be client files of the folder (never a path out of it). */
function selectedFiles(dir: string, clientFiles: string[], ids: string[], problems: FileProblem[]): string[] {
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
