/**
 * What a plan job leaves behind for each stack (`<results>/stacks/<stack>.json`, written by plan-batch), read back
 * by the jobs after it as data: every file within a size limit and checked against its schema, so that a result
 * can neither exhaust a job nor carry a field the reader does not expect. Also what an approver's decision is bound
 * to: the digest of the plans shown, and the destructions among them.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as z from 'zod';
import { sha256 } from '../core/digest';
import { codeBlock } from '../review/markdown-code';

/** A result holds at most a few capped texts (60,000 characters each) and a digest without values. */
export const MAX_RESULT_BYTES = 4 * 1024 * 1024;

const ResourceChange = z.strictObject({
  address: z.string(),
  type: z.string(),
  action: z.enum(['create', 'update', 'delete', 'replace', 'forget']),
  reason: z.string().optional(),
  replacePaths: z.array(z.string()).optional(),
});

/** Terraform's report of a state lock it could not take (its "Lock Info:" block). */
export const StateLock = z.strictObject({
  id: z.string(),
  path: z.string().optional(),
  operation: z.string().optional(),
  who: z.string().optional(),
  created: z.string().optional(),
});
export type StateLock = z.output<typeof StateLock>;

export const StackRun = z.strictObject({
  stack: z.string().regex(/^[a-z0-9][a-z0-9.-]*$/),
  /** terraform plan -detailed-exitcode: 0 no changes, 2 changes, else an error (init's included). */
  exitcode: z.number().int(),
  /** The plan's output (or why there is none), capped, with the job's secrets blanked out. */
  plan: z.string(),
  digest: z.strictObject({ errored: z.boolean(), changes: z.array(ResourceChange) }).optional(),
  /** A plan saved for a later apply (`--save`): its checksum, and the plan as `terraform show` renders it. */
  saved: z
    .strictObject({
      planSha256: z.string().regex(/^[0-9a-f]{64}$/),
      /** The checksum of the whole rendering: the apply job renders the plan again and compares. */
      shownSha256: z.string().regex(/^[0-9a-f]{64}$/),
      /** The rendering itself, capped, with the job's secrets blanked out: what the approver reads. */
      shown: z.string(),
    })
    .optional(),
  apply: z.strictObject({ exitcode: z.number().int(), output: z.string() }).optional(),
  lock: StateLock.optional(),
  seconds: z.record(z.string(), z.number()),
});
export type StackRun = z.output<typeof StackRun>;

/** Terraform's summary line of a plan (`Plan: 1 to add, ...`, `No changes.`), or why there is no plan. */
export function planLineOf(run: StackRun): string | undefined {
  return run.plan
    .split('\n')
    .find((line) => /^(Plan: |No changes\.|stack removed)/.test(line))
    ?.trim();
}

/** A plan job's failed plan, folded in Markdown under its stack's name, in terraform's own words. */
export function failedPlanDetails(run: StackRun): string[] {
  return [`<details><summary><code>${run.stack}</code>: plan failed</summary>`, '', ...codeBlock(run.plan.trim()), '', '</details>', ''];
}

/** Reads `file` as JSON of `schema`, refusing a file larger than `maxBytes` before reading it. */
export function readDataFile<T extends z.ZodType>(file: string, schema: T, maxBytes: number): z.output<T> {
  const stat = fs.lstatSync(file, { throwIfNoEntry: false });
  if (!stat?.isFile()) throw new Error(`${file}: missing, or not a regular file`);
  if (stat.size > maxBytes) throw new Error(`${file}: ${stat.size} bytes, more than the ${maxBytes} such a file may have`);
  let json: unknown;
  try {
    json = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    throw new Error(`${file}: not valid JSON`);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`${file}: ${issue.path.join('.') || 'the file'}: ${issue.message}`);
  }
  return parsed.data;
}

export interface Results {
  runs: StackRun[];
  /** Results that could not be read, by the stack their file is named after, and why. */
  unreadable: Map<string, string>;
}

/** Every `<dir>/stacks/<stack>.json`; a file whose stack differs from its name is unreadable. */
export function readResults(dir: string): Results {
  const stacksDir = path.join(dir, 'stacks');
  const runs: StackRun[] = [];
  const unreadable = new Map<string, string>();
  const names = fs.existsSync(stacksDir) ? fs.readdirSync(stacksDir).filter((name) => name.endsWith('.json')) : [];
  for (const name of names.sort()) {
    const stack = name.slice(0, -'.json'.length);
    try {
      const run = readDataFile(path.join(stacksDir, name), StackRun, MAX_RESULT_BYTES);
      if (run.stack !== stack) throw new Error(`${name}: holds the result of "${run.stack}"`);
      runs.push(run);
    } catch (error) {
      unreadable.set(stack, (error as Error).message);
    }
  }
  return { runs, unreadable };
}

/**
 * One checksum for a set of plans, as shown: each stack's plan exit code and the checksum of its rendering. The
 * apply job compares it with the one the approver was shown (the show job's output), and the same plans made again
 * for an unchanged commit and state have the same digest (a plan's file differs, its rendering does not).
 */
export function plansDigest(runs: StackRun[]): string {
  const lines = runs.map((run) => `${run.stack} ${run.exitcode} ${run.saved?.shownSha256 ?? '-'}`).sort();
  return sha256(lines.join('\n'));
}

/**
 * The changes of a plan that need a second approval: every deletion, and every replacement but a `terraform_data`'s.
 * Such a record holds nothing at OVH and is replaced whenever what it records changes (a service's desired
 * contacts); what its replacement triggers (an instance rebuilt) is a replacement of its own in the same plan.
 */
export function destructionsOf(run: StackRun): { stack: string; address: string; action: 'delete' | 'replace' }[] {
  return (run.digest?.changes ?? []).flatMap((change) =>
    change.action === 'delete' || (change.action === 'replace' && change.type !== 'terraform_data')
      ? [{ stack: run.stack, address: change.address, action: change.action }]
      : [],
  );
}
