/**
 * Reads the data files of a clients folder: `agency.yaml` and one `<client id>.yaml` per client.
 * Every problem found is collected, with its file, line and field path, before anything is built,
 * so one bad file means no output at all.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Document } from 'yaml';
import type { z } from 'zod';
import { AgencyFile, ClientFile } from './schema';

export const AGENCY_FILE = 'agency.yaml';
const CLIENT_SUFFIX = '.yaml';

export interface ConfigProblem {
  file: string;
  line?: number;
  /** Dotted field path, e.g. `domains[0].records[1].type`; empty for the whole file. */
  field: string;
  message: string;
}

export class ConfigError extends Error {
  constructor(readonly problems: ConfigProblem[]) {
    super(problems.map(formatProblem).join('\n'));
    this.name = 'ConfigError';
  }
}

export function formatProblem({ file, line, field, message }: ConfigProblem): string {
  const where = line ? `${file}:${line}` : file;
  return field ? `${where}: ${field}: ${message}` : `${where}: ${message}`;
}

export interface LoadedClient {
  file: string;
  client: ClientFile;
}

export interface LoadedConfig {
  agency: AgencyFile;
  clients: LoadedClient[];
}

/**
 * Loads the agency settings and the clients of `dir`: all of them, or only `selected` ids
 * (only those files are read, so one client costs the same whatever the total).
 */
export function loadConfig(dir: string, selected?: string[]): LoadedConfig {
  const problems: ConfigProblem[] = [];
  const agency = parseFile(path.join(dir, AGENCY_FILE), AgencyFile, problems);
  const files = selected ? selectedFiles(dir, selected, problems) : allClientFiles(dir, problems);
  const clients: LoadedClient[] = [];
  for (const file of files) {
    const client = parseFile(file, ClientFile, problems);
    if (!client) continue;
    const expected = path.basename(file, CLIENT_SUFFIX);
    if (client.id !== expected) {
      problems.push({ file, field: 'id', message: `must match the file name: expected "${expected}", got "${client.id}"` });
    }
    clients.push({ file, client });
  }
  problems.push(...crossClientProblems(clients));
  if (problems.length > 0 || !agency) throw new ConfigError(problems);
  return { agency, clients };
}

function allClientFiles(dir: string, problems: ConfigProblem[]): string[] {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    problems.push({ file: dir, field: '', message: 'is not a readable folder of client files' });
    return [];
  }
  return names
    .filter((name) => name.endsWith(CLIENT_SUFFIX) && name !== AGENCY_FILE)
    .sort()
    .map((name) => path.join(dir, name));
}

function selectedFiles(dir: string, ids: string[], problems: ConfigProblem[]): string[] {
  return ids.flatMap((id) => {
    const file = path.join(dir, `${id}${CLIENT_SUFFIX}`);
    if (fs.existsSync(file)) return [file];
    problems.push({ file, field: '', message: `no such client file: the selection names "${id}"` });
    return [];
  });
}

function parseFile<T extends z.ZodType>(file: string, schema: T, problems: ConfigProblem[]): z.output<T> | undefined {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    problems.push({ file, field: '', message: 'cannot be read' });
    return undefined;
  }
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false });
  if (doc.errors.length > 0) {
    for (const error of doc.errors) {
      problems.push({ file, line: lineCounter.linePos(error.pos[0]).line, field: '', message: `is not valid YAML: ${error.message.split('\n')[0]}` });
    }
    return undefined;
  }
  const result = schema.safeParse(doc.toJS() ?? {});
  if (result.success) return result.data;
  for (const issue of result.error.issues) {
    const fieldPath = issue.path.filter((key): key is string | number => typeof key !== 'symbol');
    const keys = issue.code === 'unrecognized_keys' ? issue.keys : [undefined];
    for (const key of keys) {
      const full = key === undefined ? fieldPath : [...fieldPath, key];
      problems.push({
        file,
        line: lineOf(doc, lineCounter, full),
        field: formatPath(full),
        message: key === undefined ? issue.message : 'unknown key (check its spelling and its place in the file)',
      });
    }
  }
  return undefined;
}

/** The line of the deepest part of `fieldPath` present in the file: a key's own line, or its parent's when it is missing. */
function lineOf(doc: Document, lineCounter: LineCounter, fieldPath: (string | number)[]): number | undefined {
  for (let depth = fieldPath.length; depth > 0; depth--) {
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

export function formatPath(fieldPath: (string | number)[]): string {
  return fieldPath.map((key, i) => (typeof key === 'number' ? `[${key}]` : i === 0 ? key : `.${key}`)).join('');
}

/** Problems that only show across files or services: a domain claimed twice, a name used twice. */
function crossClientProblems(clients: LoadedClient[]): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const domainOwner = new Map<string, string>();
  for (const { file, client } of clients) {
    const seen = (kind: string, names: string[], field: string) => {
      const unique = new Set<string>();
      names.forEach((name, i) => {
        if (unique.has(name)) problems.push({ file, field: `${field}[${i}]`, message: `${kind} "${name}" is declared twice` });
        unique.add(name);
      });
    };
    const scopes = [{ field: '', services: client }, ...client.products.map((product, i) => ({ field: `products[${i}].`, services: product }))];
    for (const { field, services } of scopes) {
      services.domains.forEach((domain, i) => {
        const other = domainOwner.get(domain.name);
        if (other) {
          problems.push({ file, field: `${field}domains[${i}].name`, message: `domain "${domain.name}" is already declared in ${other}` });
        } else {
          domainOwner.set(domain.name, file);
        }
      });
      seen('VPS', services.hosting.vps.map((v) => v.name), `${field}hosting.vps`);
      seen('private database', services.hosting.privateDatabases.map((d) => d.name), `${field}hosting.privateDatabases`);
      seen('e-mail domain', services.hosting.emailDomains.map((e) => e.domain), `${field}hosting.emailDomains`);
      seen('web hosting', services.hosting.webHostings.map((w) => w.domain), `${field}hosting.webHostings`);
    }
    seen('product', client.products.map((p) => p.id), 'products');
    seen('instance', client.instances.map((i) => i.name), 'instances');
    seen('backup', client.backups.map((b) => b.name), 'backups');
  }
  return problems;
}
