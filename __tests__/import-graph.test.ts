/**
 * The project's own modules import one another without a cycle, and no file imports an entry script: an entry script
 * (`main.ts`, `cli.ts`, `*-cli.ts`, `scripts/*.ts`) only starts a command that a module defines. Folders import one
 * another one way too, each only the folders below it (`FOLDER_RULES`), so that the flow from the files to the plans
 * to the stacks and the tools never runs back up. Imports are read
 * with TypeScript's own pre-processor (type-only imports, re-exports, `require` and `import()` included), so a cycle
 * through types counts too: it ties the modules together as much for the reader.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';
import { CONTACTS_LAYER_OF, CONTACTS_LAYERS } from './contacts-layers';

const ROOT = path.resolve(__dirname, '..');
/** Installed, generated or written by runs: not the project's own code. */
const NOT_CODE = new Set(['node_modules', '.gen', '.gen.tmp', 'coverage', 'terraform-state']);

function projectFiles(dir = ROOT): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory())
      return NOT_CODE.has(entry.name) || entry.name.startsWith('.') || entry.name.startsWith('cdktf.out') ? [] : projectFiles(file);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [path.relative(ROOT, file)] : [];
  });
}

/** The project file a relative import names, if it is one (an import of `.gen/` or of JSON data is not). */
function resolveImport(from: string, specifier: string, files: Set<string>): string | undefined {
  if (!specifier.startsWith('.')) return undefined;
  const target = path.join(path.dirname(from), specifier);
  return [`${target}.ts`, path.join(target, 'index.ts'), target].find((candidate) => files.has(candidate));
}

function importGraph(): Map<string, string[]> {
  const files = new Set(projectFiles());
  return new Map(
    [...files].sort().map((file) => {
      const { importedFiles } = ts.preProcessFile(fs.readFileSync(path.join(ROOT, file), 'utf8'), true, true);
      const targets = importedFiles
        .map(({ fileName }) => resolveImport(file, fileName, files))
        .filter((target): target is string => target !== undefined);
      return [file, [...new Set(targets)]];
    }),
  );
}

/** The strongly connected components of more than one module (or of one importing itself): Tarjan's algorithm. */
function components(graph: Map<string, string[]>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const found: string[][] = [];
  const visit = (file: string) => {
    index.set(file, index.size);
    low.set(file, index.get(file)!);
    stack.push(file);
    for (const target of graph.get(file) ?? []) {
      if (!index.has(target)) {
        visit(target);
        low.set(file, Math.min(low.get(file)!, low.get(target)!));
      } else if (stack.includes(target)) {
        low.set(file, Math.min(low.get(file)!, index.get(target)!));
      }
    }
    if (low.get(file) !== index.get(file)) return;
    const component: string[] = [];
    let member: string;
    do {
      member = stack.pop()!;
      component.push(member);
    } while (member !== file);
    if (component.length > 1 || graph.get(file)!.includes(file)) found.push(component);
  };
  for (const file of graph.keys()) if (!index.has(file)) visit(file);
  return found;
}

/** One cycle through a component, from its first module in name order and back: the imports to break. */
function cycleOf(component: string[], graph: Map<string, string[]>): string[] {
  const members = new Set(component);
  const start = [...component].sort()[0];
  const seen = new Set<string>();
  const walk = (file: string, trail: string[]): string[] | undefined => {
    for (const target of graph.get(file)!.filter((t) => members.has(t))) {
      if (target === start) return [...trail, start];
      if (seen.has(target)) continue;
      seen.add(target);
      const cycle = walk(target, [...trail, target]);
      if (cycle) return cycle;
    }
    return undefined;
  };
  return walk(start, [start])!;
}

const ENTRY_NAME = /(^|\/)(main|cli|[a-z0-9-]+-cli)\.ts$|^scripts\/[^/]+\.ts$/;
const isEntry = (file: string) => ENTRY_NAME.test(file);

const graph = importGraph();

/** A file's folder at the top of the project; `.` for a file at the root (`main.ts`). */
const folderOf = (file: string) => (file.includes('/') ? file.slice(0, file.indexOf('/')) : '.');

/**
 * The folders each folder may import, from the bottom up. The file format knows nothing of the procedure; the
 * procedure, nothing of the stacks or the tools that read its plans; the stacks, nothing of the tools that run them.
 * Tests may import anything.
 */
const FOLDER_RULES: Record<string, readonly string[]> = {
  /** The process environment, failures, credentials' names, child processes, git. */
  core: [],
  /** The provider schema check, on its own. */
  validation: [],
  /** The file format: the files' schemas, reading and validating them. */
  config: ['core'],
  /** The command-line frame every command runs in (its zod messages are the files'). */
  cli: ['config'],
  'provider-schema': ['cli'],
  schemas: ['cli', 'config'],
  /** The procedure: plans made from valid files, and the checks across the folder. */
  policy: ['core', 'config', 'provider-schema'],
  constructs: ['core', 'policy'],
  stacks: ['core', 'config', 'cli', 'policy', 'constructs'],
  contacts: ['core', 'config', 'cli', 'policy'],
  standins: ['core'],
  review: ['core', 'config', 'cli', 'policy', 'provider-schema', 'validation', 'stacks'],
  lifecycle: ['core', 'config', 'cli', 'policy', 'schemas', 'contacts'],
  verify: ['core', 'cli', 'policy', 'provider-schema', 'contacts', 'standins'],
  ci: ['core', 'config', 'cli', 'policy', 'provider-schema', 'stacks', 'review', 'lifecycle'],
  bench: ['core', 'config', 'cli', 'stacks', 'review', 'ci'],
  scripts: ['cli', 'provider-schema', 'schemas'],
  '.': ['cli', 'stacks'],
  __tests__: [],
};

test("no import cycle among the project's modules", () => {
  // Each cycle is shown as one path through it, the imports to break.
  expect(components(graph).map((component) => cycleOf(component, graph).join(' → '))).toEqual([]);
});

test('each folder imports only the folders below it, and every folder has its rule', () => {
  const folders = [...new Set([...graph.keys()].map(folderOf))];
  expect(folders.filter((folder) => !(folder in FOLDER_RULES))).toEqual([]);
  const upward = [...graph]
    .filter(([file]) => folderOf(file) !== '__tests__')
    .flatMap(([file, targets]) =>
      targets
        .filter((target) => folderOf(target) !== folderOf(file) && !FOLDER_RULES[folderOf(file)].includes(folderOf(target)))
        .map((target) => `${file} → ${target}`),
    );
  expect(upward).toEqual([]);
});

test('the folders, as a graph of their imports, hold no cycle', () => {
  // The folder graph itself, not only the rules: a rule added both ways would still be found here.
  const folders = new Map<string, string[]>();
  for (const [file, targets] of graph) {
    if (folderOf(file) === '__tests__') continue;
    const from = folders.get(folderOf(file)) ?? [];
    from.push(...targets.map(folderOf).filter((folder) => folder !== folderOf(file) && !from.includes(folder)));
    folders.set(folderOf(file), from);
  }
  for (const folder of new Set([...folders.values()].flat())) if (!folders.has(folder)) folders.set(folder, []);
  expect(components(folders).map((component) => cycleOf(component, folders).join(' → '))).toEqual([]);
});

test('no file imports an entry script, and entry scripts export nothing', () => {
  const importsOfEntries = [...graph].flatMap(([file, targets]) => targets.filter(isEntry).map((entry) => `${file} imports ${entry}`));
  expect(importsOfEntries).toEqual([]);
  const exporting = [...graph.keys()].filter(isEntry).filter((file) => /^export\s/m.test(fs.readFileSync(path.join(ROOT, file), 'utf8')));
  expect(exporting).toEqual([]);
});

test('what starts a process is an entry script, and every command runs one', () => {
  // A module reading the process's arguments or asking whether it is the main module is an entry script by another name.
  const code = [...graph.keys()].filter((file) => !file.startsWith('__tests__/') && file !== 'cli/command-line.ts');
  const starting = code.filter((file) => /process\.argv|require\.main|startCommand\(/.test(fs.readFileSync(path.join(ROOT, file), 'utf8')));
  expect(starting.filter((file) => !isEntry(file))).toEqual([]);
  // The files the npm scripts, the cdktf CLI and the workflows run.
  const texts = [
    ...Object.values(JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).scripts as Record<string, string>),
    JSON.parse(fs.readFileSync(path.join(ROOT, 'cdktf.json'), 'utf8')).app as string,
    ...fs
      .readdirSync(path.join(ROOT, '.github', 'workflows'))
      .map((name) => fs.readFileSync(path.join(ROOT, '.github', 'workflows', name), 'utf8')),
  ];
  const run = [...new Set(texts.flatMap((text) => [...text.matchAll(/[\w./-]+\.ts\b/g)].map(([file]) => path.normalize(file))))];
  expect(run.length).toBeGreaterThan(10);
  expect(run.filter((file) => !graph.has(file) || !isEntry(file))).toEqual([]);
});

/**
 * contacts/ is a second application, with an inside and an outside: other folders reach it through its entry alone,
 * and an entry script of another folder only starts a command, so it imports none of contacts/. Its own tests
 * (`__tests__/contacts-*`) test its inside.
 */
const CONTACTS_ENTRY = 'contacts/index.ts';
const inContacts = (file: string) => file.startsWith('contacts/');
const contactsOwnTest = (file: string) => file.startsWith('__tests__/contacts-');

test('other folders import contacts/ through its entry only, and their entry scripts not at all', () => {
  const outside = [...graph].filter(([file]) => !inContacts(file));
  const reachingIn = outside
    .filter(([file]) => !contactsOwnTest(file))
    .flatMap(([file, targets]) =>
      targets.filter((target) => inContacts(target) && target !== CONTACTS_ENTRY).map((target) => `${file} imports ${target}`),
    );
  expect(reachingIn).toEqual([]);
  const fromEntryScripts = outside
    .filter(([file]) => isEntry(file))
    .flatMap(([file, targets]) => targets.filter(inContacts).map((target) => `${file} imports ${target}`));
  expect(fromEntryScripts).toEqual([]);
  // The rule is about something: the entry exists, and other folders use it.
  expect(outside.filter(([, targets]) => targets.includes(CONTACTS_ENTRY)).length).toBeGreaterThan(2);
});

/**
 * Inside contacts/, the walk goes one way, from the command line down to the OVH API and the store: each file imports
 * only files of the layers below its own, so that no call comes back up into a module it has left.
 */
test('inside contacts/, each file imports only files of the layers below its own', () => {
  // Every file of contacts/ has its layer, once.
  expect([...CONTACTS_LAYER_OF.keys()].sort()).toEqual([...graph.keys()].filter(inContacts).sort());
  expect(CONTACTS_LAYER_OF.size).toBe(CONTACTS_LAYERS.flat().length);
  const upOrAcross = [...CONTACTS_LAYER_OF].flatMap(([file, layer]) =>
    graph
      .get(file)!
      .filter((target) => inContacts(target) && CONTACTS_LAYER_OF.get(target)! <= layer)
      .map((target) => `${file} imports ${target}`),
  );
  expect(upOrAcross).toEqual([]);
});
