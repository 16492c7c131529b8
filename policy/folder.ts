/**
 * The one way from a clients folder to plans: read the files, validate each (its schema, and what its size allows),
 * plan every client once, then check what the files and plans claim across the folder. What the commands get is the
 * validated files and their plans, `{ files, plans }`: none of them reads a file or plans a client again.
 *
 * A selection builds only the selected clients and reads only their files in full, so that one client costs about the
 * same whatever the total; yet it checks every claim across the folder: names that derive from file names
 * (credentials, internal addresses, buckets) against every file name, and what the selected files claim (domains,
 * nichandles, imported services) against the files that a text search finds holding one of those names
 * (`config/claim-candidates.ts`), which are read in full and planned too, for their claims only.
 */
import * as path from 'node:path';
import { claimCandidates } from '../config/claim-candidates';
import { clientIdOf, formatPath, type FieldPath } from '../config/files';
import { byPlace, readFolder, type LoadedConfig, type ValidFile } from '../config/load';
import type { AgencyFile, ClientFile } from '../config/schema';
import { ConfigError, type FileProblem } from '../core/failures';
import { claimProblems, claimTerms, type ClaimsInput } from './claims';
import { sizeProblems } from './client-size';
import { bucketName } from './naming';
import type { AgencyPlan, ClientPlan } from './plan';
import { agencyPlan, clientPlan } from './procedure';

/** The plans of a folder: the agency's, and each selected client's in the folder's order. */
export interface FolderPlans {
  readonly agency: AgencyPlan;
  readonly clients: readonly ClientPlan[];
}

export interface PlannedFolder {
  /** The validated files: the agency's settings, and each selected client's file in the folder's order. */
  readonly files: LoadedConfig;
  /** Their plans, in the same order. */
  readonly plans: FolderPlans;
}

/**
 * The agency settings and the clients of `dir` (all of them, or only the `selected` ids), validated and planned; a
 * `ConfigError` naming every problem found, in the order of their files and lines, if any file has one.
 */
export function planFolder(dir: string, selected?: readonly string[]): PlannedFolder {
  const folder = readFolder(dir, selected, sizeProblems);
  const { agency, clients, problems } = folder;
  const plans = new Map<string, ClientPlan>();
  if (agency) {
    const claims = folder.others.length > 0 ? clients.map(({ data }) => claimTerms(data)) : [];
    const alike = new Set(claimCandidates(folder.others, claims));
    const buckets = claims.flatMap((claim) => claim.buckets);
    const candidates = new Set(folder.others.filter((file) => alike.has(file) || (buckets.length > 0 && givesBucketOf(file, buckets))));
    const claimants = folder.read([...candidates]);
    const unread = folder.others.filter((file) => !candidates.has(file));
    const planned = [...clients, ...claimants].sort(byFile);
    for (const { yaml, data } of planned) plans.set(yaml.file, clientPlan(agency.data, data));
    problems.push(...folderProblems(agency, planned, plans, unread));
  }
  if (problems.length > 0 || !agency) throw new ConfigError(problems.sort(byPlace));
  return {
    files: { agency: agency.data, clients: clients.map(({ yaml, data }) => ({ file: yaml.file, client: data })) },
    plans: { agency: agencyPlan(agency.data), clients: clients.map(({ yaml }) => plans.get(yaml.file)!) },
  };
}

/** One of the selected clients' `buckets` that the id of `file`'s client would give too: that file is read for its claims. */
function givesBucketOf(file: string, buckets: readonly string[]): boolean {
  const prefix = bucketName(clientIdOf(file), '');
  return buckets.some((bucket) => bucket.startsWith(prefix));
}

/** What the files and their plans claim across the folder (`claims.ts`), at their lines; `unread` files count by their names. */
function folderProblems(
  agency: ValidFile<AgencyFile>,
  clients: ValidFile<ClientFile>[],
  plans: Map<string, ClientPlan>,
  unread: string[],
): FileProblem[] {
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
    clients: clients.map(({ yaml, data }) => ({ key: yaml.file, client: data, plan: plans.get(yaml.file)! })),
    unread: unread.map((file) => ({ key: file, id: clientIdOf(file) })),
    describe,
  });
  return claims.map(({ key, path: fieldPath, message }) => ({
    file: key,
    line: lineOf(key, fieldPath),
    field: formatPath(fieldPath),
    message,
  }));
}

/** Files read in the folder's order: claims across files are reported on the later one, in every mode alike. */
const byFile = (a: ValidFile<ClientFile>, b: ValidFile<ClientFile>) => (a.yaml.file < b.yaml.file ? -1 : a.yaml.file > b.yaml.file ? 1 : 0);
