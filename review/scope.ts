/**
 * What a change review must synthesize. Both sides are synthesized with their own code; when the change touches
 * nothing but client files (the code, the lock file and `agency.yaml` the same on both sides), every other stack is
 * provably the same on both sides, and only the changed clients need synthesizing. Pure: paths in, decision out.
 */
import * as path from 'node:path';
import { AGENCY_FILE, CLIENT_SUFFIX, clientIdOf } from '../config/files';

/**
 * Paths that are no input of the synthesis: documentation, tests, CI definitions. Anything else that differs
 * (code, package.json, the lock file, provider schemas, cdktf.json, tsconfig.json, `agency.yaml`...) may change any
 * stack, so the review then compares everything.
 */
const NOT_SYNTHESIS_INPUTS: readonly RegExp[] = [/\.md$/i, /^__tests__\//, /^\.github\//, /^\.ci\//, /^LICENSE/];

/** Ids that can be passed through `OVH_IAC_CLIENTS` as they are (no comma, no space, no path). */
const PLAIN_ID = /^[a-z0-9][a-z0-9.-]*$/;
/** How many changed paths a reason names before "and N more". */
const NAMED = 5;

export type Scope = { mode: 'selective'; clients: string[]; reason: string } | { mode: 'full'; reason: string };

export interface ScopeInput {
  /** Paths that differ between base and head, relative to the repository's top. */
  changed: string[];
  /** The project folder, relative to the repository's top (`.` for the top itself). */
  projectPath: string;
  /** The clients folder, relative to the repository's top. */
  clientsPath: string;
}

const inside = (dir: string, file: string) => dir === '.' || file.startsWith(`${dir}/`);

function listed(files: string[]): string {
  const shown = files
    .slice(0, NAMED)
    .map((file) => `\`${file}\``)
    .join(', ');
  return files.length > NAMED ? `${shown} and ${files.length - NAMED} more` : shown;
}

/** Whether `file` (relative to the repository's top) is in the clients folder itself. */
const inClientsFolder = (clientsPath: string, file: string) =>
  inside(clientsPath, file) && path.posix.dirname(file) === (clientsPath === '.' ? '.' : clientsPath);

/** The changed paths that are code or settings of the project: inputs of the synthesis other than the clients folder. */
export function codeChanges({ changed, projectPath, clientsPath }: ScopeInput): string[] {
  return changed.filter((file) => {
    // Outside the project (another folder of a larger repository) nothing is read by its synthesis.
    if (inClientsFolder(clientsPath, file) || !inside(projectPath, file)) return false;
    const inProject = projectPath === '.' ? file : file.slice(projectPath.length + 1);
    return !NOT_SYNTHESIS_INPUTS.some((pattern) => pattern.test(inProject));
  });
}

/** Selective when every changed input is a client file of the clients folder; else full, saying why. */
export function comparisonScope(input: ScopeInput): Scope {
  const { changed, clientsPath } = input;
  const clients: string[] = [];
  const settings: string[] = [];
  for (const file of changed.filter((file) => inClientsFolder(clientsPath, file))) {
    const name = path.posix.basename(file);
    const id = clientIdOf(name);
    if (name === AGENCY_FILE) settings.push(file);
    else if (name.endsWith(CLIENT_SUFFIX) && PLAIN_ID.test(id)) clients.push(id);
    else settings.push(file);
  }
  const code = codeChanges(input);
  if (code.length > 0) return { mode: 'full', reason: `the code differs (${listed(code)}), so any stack may change` };
  if (settings.length > 0)
    return { mode: 'full', reason: `${listed(settings)} differ${settings.length === 1 ? 's' : ''}, which may change every stack` };
  return {
    mode: 'selective',
    clients,
    reason:
      clients.length === 0
        ? 'no client file, no code, lock file or agency.yaml differs: no stack can change'
        : `only client files differ; the code, the lock file and agency.yaml are the same on both sides, so only ${clients.length === 1 ? 'that client is' : `those ${clients.length} clients are`} synthesized, on both sides`,
  };
}
