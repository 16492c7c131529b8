/**
 * `npm run drift-report -- --results DIR --stacks-dir cdktf.out [--pending FILE] [--run-url URL] [--json]`:
 * the drift workflow's last step. Reads the plan jobs' results (`DIR/stacks/<stack>.json`, from ci/plan-batch.ts)
 * and the contacts job's (`DIR/contacts.json`), the expected stacks and their readable names from the synthesized
 * stacks, and prints the report: Markdown, or JSON `{"state", "drifted", "marker", "markdown", "issueBody",
 * "stepSummary"}` (the last two cut to GitHub's limits). A missing, empty or unreadable result makes that stack
 * an error; the others are still reported. Progress goes to standard error. Its exit codes are terraform's
 * -detailed-exitcode's and `contacts plan`'s.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as z from 'zod';
import { commandLine, type Command, type CommandContext } from '../cli/command-line';
import { blocksOf } from '../review/diff';
import { ContactsResult, DRIFT_MARKER, driftReport, StackResult, type DriftState } from './drift-report';
import { capText, GITHUB_LIMITS } from './github-limits';
import { progressLine } from '../review/progress';
import { readStackTree, type StackTree } from '../review/stack-tree';
import { describeFailure } from '../core/failures';

const Args = z.object({
  results: z.string({ error: 'is required: the folder of results' }).min(1),
  'stacks-dir': z.string({ error: 'is required: the synthesized stacks (cdktf.out)' }).min(1),
  pending: z.string().min(1).optional(),
  'contacts-parts': z.coerce.number().int().min(1).optional(),
  'run-url': z.url().optional(),
  json: z.boolean().default(false),
});

const EXIT_CODE: Record<DriftState, number> = { clean: 0, pending: 0, drift: 2, error: 1 };
const STATUS_TEXT: Record<DriftState, string> = { clean: 'no changes', pending: 'merged, not applied yet', drift: 'drift', error: 'error' };

function readJson<T extends z.ZodType>(file: string, schema: T): z.output<T> {
  try {
    return schema.parse(JSON.parse(fs.readFileSync(file, 'utf8')));
  } catch (error) {
    throw new Error(`${file} is not a result file: ${(error as Error).message.split('\n')[0]}`);
  }
}

/** The results that can be read, and why each other one cannot (by the stack its file is named after). */
function stackResults(dir: string): { results: StackResult[]; unreadable: Map<string, string> } {
  const stacksDir = path.join(dir, 'stacks');
  const results: StackResult[] = [];
  const unreadable = new Map<string, string>();
  const names = fs.existsSync(stacksDir) ? fs.readdirSync(stacksDir).filter((name) => name.endsWith('.json')) : [];
  for (const name of names) {
    const stack = name.slice(0, -'.json'.length);
    try {
      const result = readJson(path.join(stacksDir, name), StackResult);
      if (result.stack !== stack) throw new Error(`it is the result of "${result.stack}"`);
      results.push(result);
    } catch (error) {
      unreadable.set(stack, (error as Error).message);
    }
  }
  return { results, unreadable };
}

/** No contacts result, or one that cannot be read, means its job died: that is an error, not "in sync". */
function contactsResult(file: string): ContactsResult {
  const missing = (why: string) => ({ exitcode: 1, output: JSON.stringify({ error: `${path.basename(file)}: ${why}` }) });
  if (!fs.existsSync(file)) return missing('no result: its job did not finish');
  try {
    return readJson(file, ContactsResult);
  } catch (error) {
    return missing(`its result cannot be read: ${(error as Error).message}`);
  }
}

/** 1 (error) over 2 (drift) over 0 (in sync); any other code is an error. */
function worstExit(codes: number[]): number {
  const normal = codes.map((code) => (code === 0 || code === 2 ? code : 1));
  return normal.includes(1) ? 1 : normal.includes(2) ? 2 : 0;
}

/**
 * The contacts results of the plan jobs, one per batch (`contacts/part-<k>.json`, k = 1..parts), merged: the
 * agency's shared services, which every part reports, once; the worst exit code; a missing part is an error.
 */
function mergedContacts(dir: string, parts: number): ContactsResult {
  const results = Array.from({ length: parts }, (_, k) => contactsResult(path.join(dir, 'contacts', `part-${k + 1}.json`)));
  const services = new Map<string, unknown>();
  const errors: string[] = [];
  for (const result of results) {
    let output: { services?: { stack?: string; service?: string }[]; error?: string };
    try {
      output = JSON.parse(result.output);
    } catch {
      errors.push('a part of the contacts check printed no JSON: see its job log');
      continue;
    }
    if (output.error) errors.push(output.error);
    for (const service of output.services ?? []) services.set(`${service.stack}/${service.service}`, service);
  }
  const output = { services: [...services.values()], ...(errors.length > 0 ? { error: errors.join('; ') } : {}) };
  return { exitcode: worstExit(results.map((result) => result.exitcode)), output: JSON.stringify(output) };
}

function labels(tree: StackTree): Map<string, Map<string, string>> {
  return new Map(
    [...tree].map(([stack, json]) => [stack, new Map([...blocksOf(json).values()].map((block) => [block.address, block.label]))]),
  );
}

export const driftReportCommand: Command<z.output<typeof Args>> = {
  name: 'drift-report',
  usage: `Usage: npm run drift-report -- --results DIR --stacks-dir DIR [--pending FILE] [--contacts-parts N] [--run-url URL] [--json]`,
  exitCodes: {
    0: 'clean, or only merged changes waiting to be applied',
    1: 'a stack or the contacts check could not be read or failed',
    2: 'drift',
  },
  parse: commandLine(
    {
      options: {
        results: { type: 'string', value: 'DIR', help: "the plan jobs' stacks/<stack>.json files and the contacts job's contacts.json" },
        'stacks-dir': {
          type: 'string',
          value: 'DIR',
          help: 'the synthesized stacks that were planned (cdktf.out): which stacks to expect, and their names',
        },
        pending: {
          type: 'string',
          value: 'FILE',
          help: 'stacks with merged changes not applied yet, one a line (npm run changes --affected-only)',
        },
        'contacts-parts': {
          type: 'string',
          value: 'N',
          help: 'the contacts check ran in N parts: DIR/contacts/part-1.json ... part-N.json (else DIR/contacts.json)',
        },
        'run-url': { type: 'string', value: 'URL', help: 'a link to the run, shown in the report' },
        json: { type: 'boolean', help: 'print {"state", "drifted", "marker", "markdown", "issueBody", "stepSummary"} instead of Markdown' },
      },
    },
    Args,
  ),
  run: writeReport,
};

function writeReport(args: z.output<typeof Args>, { io }: CommandContext): number {
  try {
    const tree = readStackTree(args['stacks-dir']);
    const contacts = args['contacts-parts']
      ? mergedContacts(args.results, args['contacts-parts'])
      : contactsResult(path.join(args.results, 'contacts.json'));
    const pending = args.pending
      ? fs
          .readFileSync(args.pending, 'utf8')
          .split('\n')
          .map((line) => line.trim())
          .filter(Boolean)
      : [];
    const report = driftReport(
      { stacks: [...tree.keys()], ...stackResults(args.results), pending, contacts, labels: labels(tree), runUrl: args['run-url'] },
      (drift, n, total) =>
        io.err(
          progressLine(
            n,
            total,
            drift.stack,
            drift.state === 'clean' ? STATUS_TEXT.clean : `${STATUS_TEXT[drift.state]}${drift.summary ? ` (${drift.summary})` : ''}`,
          ),
        ),
    );
    const drifted = report.stacks.filter((s) => s.state === 'drift' || s.state === 'error').map((s) => s.stack);
    const whole = args['run-url']
      ? `the whole report is in the [run](${args['run-url']})'s artifact drift-report`
      : 'the whole report is in the artifact drift-report';
    const issueBody = capText(report.markdown, { max: GITHUB_LIMITS.commentChars, unit: 'chars', whole });
    const stepSummary = capText(report.markdown, { max: GITHUB_LIMITS.stepSummaryBytes, unit: 'bytes', whole });
    io.out(
      args.json
        ? JSON.stringify({ state: report.state, drifted, marker: DRIFT_MARKER, markdown: report.markdown, issueBody, stepSummary })
        : report.markdown,
    );
    return EXIT_CODE[report.state];
  } catch (error) {
    for (const message of describeFailure(error)) io.err(`drift-report: ${message}`);
    return 1;
  }
}
