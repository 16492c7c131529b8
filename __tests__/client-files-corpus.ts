/**
 * The corpus of bad, hostile and odd client files (`__tests__/fixtures/client-files/`), for the corpus and synth tests.
 *
 * - `refused/<id>.yaml` (or another name): one file, whose `# expect: ` lines at its end are the problems it must get;
 * - `refused/<case>/`: several files, whose problems are in its `expect.txt`;
 * - `accepted/*.yaml`: legitimate files, odd as they are, that must load and synthesize, all together;
 * - the cases below, made here because their bytes are the point (binary, Latin-1, UTF-16, links, sizes).
 * Every case gets the test agency file (`support.ts`), unless it is the case of a missing one.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { stringify } from 'yaml';
import { planFolder } from '../policy/folder';
import { ConfigError, formatProblem } from '../core/failures';
import { agencyFile } from './support';

export const CORPUS = path.join(__dirname, 'fixtures', 'client-files');

export interface CorpusCase {
  name: string;
  /** The part of the issue it belongs to: template, dns, files, message or claims. */
  kind: string;
  files: Record<string, string | Buffer>;
  /** Symbolic links to create: name → target. */
  links?: Record<string, string>;
  folders?: string[];
  withoutAgency?: boolean;
  /** The problems, as `npm run synth` prints them with file names relative to the folder. */
  expected: string[];
}

const kindOf = (name: string) => name.split('-')[0];

export function refusedCases(): CorpusCase[] {
  const dir = path.join(CORPUS, 'refused');
  const fromFixtures = fs.readdirSync(dir).map((name): CorpusCase => {
    const at = path.join(dir, name);
    if (fs.statSync(at).isDirectory()) {
      const files = Object.fromEntries(
        fs
          .readdirSync(at)
          .filter((file) => file !== 'expect.txt')
          .map((file) => [file, fs.readFileSync(path.join(at, file), 'utf8')]),
      );
      return { name, kind: kindOf(name), files, expected: fs.readFileSync(path.join(at, 'expect.txt'), 'utf8').trim().split('\n') };
    }
    const text = fs.readFileSync(at, 'utf8');
    return {
      name,
      kind: kindOf(name),
      files: { [name]: text },
      expected: [...text.matchAll(/^# expect: (.*)$/gm)].map((match) => match[1]),
    };
  });
  return [...fromFixtures, ...generatedCases()];
}

export function acceptedFiles(): Record<string, string> {
  const dir = path.join(CORPUS, 'accepted');
  return Object.fromEntries(fs.readdirSync(dir).map((name) => [name, fs.readFileSync(path.join(dir, name), 'utf8')]));
}

const head = (id: string) => `id: ${id}\nname: Generated\nsize: standard\nnichandle: gn${id.length}${id.charCodeAt(6)}-ovh\n`;

function generatedCases(): CorpusCase[] {
  const outside = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'outside-')), 'secret.yaml');
  fs.writeFileSync(outside, head('files-symlink.test'));
  const big = `${head('files-too-big.test')}${'# padding\n'.repeat(30 * 1024)}`;
  return [
    {
      name: 'files-binary.test.yaml',
      kind: 'files',
      files: { 'files-binary.test.yaml': Buffer.from('id: files-binary.test\n\0\0\0\u0001binary') },
      expected: ['files-binary.test.yaml:2: is a binary file, not YAML text'],
    },
    {
      name: 'files-latin1.test.yaml',
      kind: 'files',
      files: { 'files-latin1.test.yaml': Buffer.from(`id: files-latin1.test\nname: Lumière\n`, 'latin1') },
      expected: ['files-latin1.test.yaml:2: is not UTF-8 text (byte 0xE8): it looks saved as Latin-1 or Windows-1252; save it as UTF-8'],
    },
    {
      name: 'files-utf16.test.yaml',
      kind: 'files',
      files: { 'files-utf16.test.yaml': Buffer.from(`\ufeff${head('files-utf16.test')}`, 'utf16le') },
      expected: ['files-utf16.test.yaml: is UTF-16 text: save it as UTF-8'],
    },
    {
      name: 'files-symlink.test.yaml',
      kind: 'files',
      files: {},
      links: { 'files-symlink.test.yaml': outside },
      expected: [
        'files-symlink.test.yaml: is a symbolic link: client files must be regular files of the folder itself (a link may point anywhere); copy the file instead',
      ],
    },
    {
      name: 'archive (a folder)',
      kind: 'files',
      files: {},
      folders: ['archive'],
      expected: ['archive: is a folder: client files sit directly in the clients folder, one <client id>.yaml each'],
    },
    {
      name: 'files-too-big.test.yaml',
      kind: 'files',
      files: { 'files-too-big.test.yaml': big },
      expected: ['files-too-big.test.yaml: is 301 KiB: a client file holds at most 256 KiB'],
    },
    {
      name: 'files-deep.test.yaml',
      kind: 'files',
      files: { 'files-deep.test.yaml': `${head('files-deep.test')}domains: ${'['.repeat(100)}${']'.repeat(100)}\n` },
      expected: ['files-deep.test.yaml:5: nests lists or mappings more than 64 levels deep'],
    },
    {
      name: 'files-bidi.test.yaml',
      kind: 'files',
      files: { 'files-bidi.test.yaml': `${head('files-bidi.test')}# the reviewer reads "admin" here: \u202enimda\n` },
      expected: [
        'files-bidi.test.yaml:5: contains the invisible or text-direction character U+202E, which makes the file read differently from what it holds: remove it',
      ],
    },
    {
      name: 'missing agency.yaml',
      kind: 'message',
      files: { 'betterfinance.eu.yaml': head('betterfinance.eu') },
      withoutAgency: true,
      expected: [
        "agency.yaml: is missing: it holds the agency's own settings (mail domain, internal OVH accounts, shared Public Cloud project, backup space); start from the example clients/agency.yaml of this project",
      ],
    },
  ];
}

/** A new clients folder holding `cases` (their files, links and folders), and the agency file unless one lacks it. */
export function corpusFolder(cases: Pick<CorpusCase, 'files' | 'links' | 'folders' | 'withoutAgency'>[]): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'corpus-'));
  if (!cases.some((c) => c.withoutAgency)) fs.writeFileSync(path.join(dir, 'agency.yaml'), stringify(agencyFile));
  for (const { files, links = {}, folders = [] } of cases) {
    for (const [name, content] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), content);
    for (const [name, target] of Object.entries(links)) fs.symlinkSync(target, path.join(dir, name));
    for (const name of folders) fs.mkdirSync(path.join(dir, name));
  }
  return dir;
}

/** The problems of a folder, as printed (file names relative to the folder); none when it loads. */
export function problemsIn(dir: string, selected?: string[]): string[] {
  try {
    planFolder(dir, selected);
    return [];
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return error.problems.map((problem) => formatProblem({ ...problem, file: path.relative(dir, problem.file) || '.' }));
  }
}
