/**
 * `tsx review/drift-report-cli.ts --results DIR --stacks-dir cdktf.out [--run-url URL] [--json]`: the drift workflow's
 * last step. Reads the plan jobs' results (`stack-<stack>.json`) and the contacts job's (`contacts.json`) from DIR,
 * the expected stacks and their readable names from the synthesized stacks, and prints the report: Markdown, or
 * JSON `{"state": "clean"|"drift"|"error", "drifted": [...], "markdown": "..."}`. Progress goes to standard error.
 * Exit 0 clean, 2 drift, 1 error (as terraform's -detailed-exitcode and `contacts plan`).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { z } from 'zod';
import { processIo, readCommandLine, type Io } from './cli';
import { blocksOf } from './diff';
import { ContactsResult, driftReport, StackResult, type DriftState } from './drift-report';
import { progressLine } from './progress';
import { readStackTree, type StackTree } from './stack-tree';
import { describeFailure } from '../config/failures';

export const USAGE = `Usage: tsx review/drift-report-cli.ts --results DIR --stacks-dir DIR [--run-url URL] [--json]

  --results DIR      the plan jobs' stack-<stack>.json files and the contacts job's contacts.json
  --stacks-dir DIR   the synthesized stacks that were planned (cdktf.out): which stacks to expect, and their names
  --run-url URL      a link to the run, shown in the report
  --json             print {"state", "drifted", "markdown"} instead of Markdown

Exit 0 clean, 2 drift, 1 error.`;

const OPTIONS = { results: { type: 'string' }, 'stacks-dir': { type: 'string' }, 'run-url': { type: 'string' }, json: { type: 'boolean' } } as const;
const Args = z.object({
  results: z.string({ error: 'is required: the folder of results' }).min(1),
  'stacks-dir': z.string({ error: 'is required: the synthesized stacks (cdktf.out)' }).min(1),
  'run-url': z.url().optional(),
  json: z.boolean().default(false),
});

export const EXIT_CODE: Record<DriftState, number> = { clean: 0, drift: 2, error: 1 };
const STATUS_TEXT: Record<DriftState, string> = { clean: 'no changes', drift: 'drift', error: 'error' };

function readJson<T extends z.ZodType>(file: string, schema: T): z.output<T> {
  try {
    return schema.parse(JSON.parse(fs.readFileSync(file, 'utf8')));
  } catch (error) {
    throw new Error(`${file} is not a result file: ${(error as Error).message.split('\n')[0]}`);
  }
}

function stackResults(dir: string): StackResult[] {
  return fs
    .readdirSync(dir)
    .filter((name) => name.startsWith('stack-') && name.endsWith('.json'))
    .map((name) => readJson(path.join(dir, name), StackResult));
}

function labels(tree: StackTree): Map<string, Map<string, string>> {
  return new Map([...tree].map(([stack, json]) => [stack, new Map([...blocksOf(json).values()].map((block) => [block.address, block.label]))]));
}

export function runDriftReport(argv: string[], io: Io): number {
  const line = readCommandLine('drift-report', argv, { options: OPTIONS, schema: Args, usage: USAGE }, io);
  if ('exit' in line) return line.exit;
  const { args } = line;
  try {
    const tree = readStackTree(args['stacks-dir']);
    const contactsFile = path.join(args.results, 'contacts.json');
    // No contacts result means its job died: that is an error, not "in sync".
    const contacts = fs.existsSync(contactsFile) ? readJson(contactsFile, ContactsResult) : { exitcode: 1, output: '{"error": "no result: the contacts job did not finish"}' };
    const report = driftReport(
      { stacks: [...tree.keys()], results: stackResults(args.results), contacts, labels: labels(tree), runUrl: args['run-url'] },
      (drift, n, total) => io.err(progressLine(n, total, drift.stack, drift.state === 'clean' ? STATUS_TEXT.clean : `${STATUS_TEXT[drift.state]}${drift.summary ? ` (${drift.summary})` : ''}`)),
    );
    const drifted = report.stacks.filter((s) => s.state !== 'clean').map((s) => s.stack);
    io.out(args.json ? JSON.stringify({ state: report.state, drifted, markdown: report.markdown }) : report.markdown);
    return EXIT_CODE[report.state];
  } catch (error) {
    for (const message of describeFailure(error)) io.err(`drift-report: ${message}`);
    return 1;
  }
}

if (require.main === module) process.exitCode = runDriftReport(process.argv.slice(2), processIo);
