/**
 * Each class of bad files through the main job's command, `npm run synth`, in this process (synthesis.test.ts runs
 * it as a process): exit 1, every problem as
 * `file:line: field: message`, no stack trace, and the output folder exactly as it was. The corpus cases of a class
 * are refused together as they are alone; the legitimate ones synthesize.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { synthCommand } from '../stacks/synth-command';
import { acceptedFiles, corpusFolder, refusedCases } from './client-files-corpus';
import { runForTest } from './command';

const root = path.resolve(__dirname, '..');

async function synth(clientsDir: string, extraEnv: Record<string, string> = {}) {
  const parent = fs.mkdtempSync(path.join(os.tmpdir(), 'synth-out-'));
  const outdir = path.join(parent, 'cdktf.out');
  fs.mkdirSync(path.join(outdir, 'stacks', 'previous'), { recursive: true });
  fs.writeFileSync(path.join(outdir, 'stacks', 'previous', 'cdk.tf.json'), '{}');
  const { code, out, err } = await runForTest(synthCommand, [], {
    env: { OVH_IAC_CLIENTS_DIR: clientsDir, CDKTF_OUTDIR: outdir, ...extraEnv },
  });
  return { status: code, stdout: out.join('\n'), stderr: err.join('\n'), parent, outdir };
}

// The problems as printed: under a heading, one a line, with paths relative to where npm runs (the project).
const printed = (clientsDir: string, problems: string[]) => [
  `The client files have ${problems.length} problem(s); nothing was written:`,
  ...problems.map((problem) => `  ${path.relative(root, clientsDir)}/${problem}`),
];

describe.each(['template', 'dns', 'files', 'message', 'claims'])('%s problems, through npm run synth', (kind) => {
  // Multi-file cases reuse client names between them (one stands for the others), and an agency file of its own
  // would replace everyone's.
  const cases = refusedCases().filter(
    (c) => c.kind === kind && !('agency.yaml' in c.files) && (Object.keys(c.files).length <= 1 || c.name === 'claims-credentials'),
  );
  const clientsDir = corpusFolder(cases);
  let run: Awaited<ReturnType<typeof synth>>;
  beforeAll(async () => {
    run = await synth(clientsDir);
  });
  // One folder of many cases: the problems of each, in the order of their files.
  const expected = cases
    .flatMap((c) => c.expected)
    .sort((a, b) => {
      const [fileA, lineA] = a.split(':');
      const [fileB, lineB] = b.split(':');
      return fileA < fileB ? -1 : fileA > fileB ? 1 : (Number(lineA) || 0) - (Number(lineB) || 0);
    });

  test('exit 1, each problem with its file, line and field, and no stack trace', () => {
    expect(run.status).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr.split('\n')).toEqual(printed(clientsDir, expected));
    expect(run.stderr).not.toMatch(/\n\s+at |Error:/);
  });

  test('the output folder is left as it was', () => {
    expect(fs.readdirSync(run.parent)).toEqual(['cdktf.out']);
    expect(fs.readdirSync(path.join(run.outdir, 'stacks'))).toEqual(['previous']);
  });
});

test('the legitimate odd files synthesize, all together', async () => {
  const files = acceptedFiles();
  const run = await synth(corpusFolder([{ files }]));
  expect(run.stderr).toBe('');
  expect(run.status).toBe(0);
  expect(fs.readdirSync(path.join(run.outdir, 'stacks')).sort()).toEqual(
    ['agency', ...Object.keys(files).map((name) => name.replace(/\.yaml$/, ''))].sort(),
  );
});

test('a selection reads in full only the files that may claim what it claims, and still checks the names that file names give', async () => {
  const cases = refusedCases().filter((c) => c.name === 'claims-product-account');
  const clientsDir = corpusFolder(cases);
  fs.writeFileSync(path.join(clientsDir, 'unread.example.yaml'), 'not: [valid'); // never read in full: it names nothing the selection claims
  const run = await synth(clientsDir, { OVH_IAC_CLIENTS: 'imoov.solutions' });
  expect(run.status).toBe(1);
  expect(run.stderr.split('\n')).toEqual(
    printed(clientsDir, [
      'imoov.solutions.yaml:6: products[0].id: gives its OVH account the credentials TF_VAR_ovh_eshop_imoov_solutions_* and the same internal address, as eshop.imoov.solutions.yaml (id) does: each account needs its own',
    ]),
  );
});
