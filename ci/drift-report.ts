/**
 * The drift report: one Markdown document from the results of the scheduled `terraform plan -detailed-exitcode`
 * of every stack and of `contacts plan --json`, for the run's summary and the one open drift issue. Pure: the
 * results are read elsewhere (drift-report-cli.ts).
 */
import * as z from 'zod';

/**
 * What a plan job leaves behind for a stack (ci/plan-batch.ts): its exit code (0 clean, 2 changes, else error) and
 * the plan's text output; the rest of the result is not read here.
 */
export const StackResult = z.object({ stack: z.string().min(1), exitcode: z.number().int(), plan: z.string().default('') });
export type StackResult = z.output<typeof StackResult>;

/** What the contacts job leaves behind: `contacts plan --json`'s exit code (0 in sync, 2 drift, else error) and output. */
export const ContactsResult = z.object({ exitcode: z.number().int(), output: z.string().default('') });
export type ContactsResult = z.output<typeof ContactsResult>;

/** Only what the report shows of `contacts plan --json`; the rest of its output is free to grow. */
const ContactsOutput = z.object({
  services: z
    .array(
      z.object({
        stack: z.string(),
        service: z.string(),
        state: z.string(),
        changes: z.array(z.object({ contact: z.string(), from: z.string().nullable(), to: z.string().nullable() })).default([]),
        /** A domain whose owner (registrant) is not one of the client's contacts: only a trade changes it. */
        owner: z
          .object({ contactId: z.union([z.string(), z.number()]), expected: z.string() })
          .nullable()
          .optional(),
        error: z.string().nullable().optional(),
      }),
    )
    .default([]),
  error: z.string().optional(),
});

/** `pending`: changes that were merged but not applied yet, not drift (see `DriftInput.pending`). */
export type DriftState = 'clean' | 'pending' | 'drift' | 'error';

/** The hidden line by which the workflow finds its own issue again (a label alone can be put on any issue). */
export const DRIFT_MARKER = '<!-- ovh-iac-drift-report -->';

export interface StackDrift {
  stack: string;
  state: DriftState;
  /** Terraform's `Plan: …` line, or why there is no plan. */
  summary: string;
  /** One line per resource Terraform would touch or found changed, or per error. */
  details: string[];
}

export interface DriftInput {
  /** Every stack expected to have been planned, so that a job that died without a result is not taken for clean. */
  stacks: string[];
  results: StackResult[];
  /** Stacks whose result could not be read, and why: each is an error, the others are still reported. */
  unreadable?: Map<string, string>;
  /**
   * Stacks that merged changes have not been applied to yet (between the last applied commit and the default
   * branch): a plan with changes there is that change waiting, not drift.
   */
  pending?: string[];
  contacts?: ContactsResult;
  /** Readable names: stack → Terraform address → construct path. */
  labels?: Map<string, Map<string, string>>;
  /** A link back to the run, shown in the report. */
  runUrl?: string;
}

export interface DriftReport {
  state: DriftState;
  stacks: StackDrift[];
  contacts?: { state: DriftState; details: string[] };
  markdown: string;
}

const stateOfExit = (exitcode: number): DriftState => (exitcode === 0 ? 'clean' : exitcode === 2 ? 'drift' : 'error');

/** `  # ovh_vps.x will be updated in-place`, `  # ovh_vps.x has changed` (changed outside of Terraform)... */
const RESOURCE_LINE = /^\s+# (\S+) ((?:will|must|has|is) .+)$/;
const PLAN_LINE = /^(Plan: .+|No changes\..*)$/;
const ERROR_LINE = /^[│\s]*Error: (.+)$/;
/** Enough to see what drifted; the job log has the whole plan. */
const MAX_DETAILS = 30;

/** What a plan's text says, one stack: its summary line and the resources it names, with their readable names. */
export function stackDrift(
  stack: string,
  result: StackResult | undefined,
  labels: Map<string, string> = new Map(),
  pending = false,
): StackDrift {
  if (!result) return { stack, state: 'error', summary: 'no result: its plan job did not finish', details: [] };
  const exitState = stateOfExit(result.exitcode);
  const state = exitState === 'drift' && pending ? 'pending' : exitState;
  const lines = result.plan.split('\n');
  const summary =
    lines.find((line) => PLAN_LINE.test(line))?.trim() ?? (state === 'error' ? `terraform exited with ${result.exitcode}` : '');
  const pattern = state === 'error' ? ERROR_LINE : RESOURCE_LINE;
  const details = lines.flatMap((line) => {
    const match = pattern.exec(line);
    if (!match) return [];
    if (state === 'error') return [match[1].trim()];
    const label = labels.get(match[1]);
    return [`${label ? `\`${label}\` (\`${match[1]}\`)` : `\`${match[1]}\``} ${match[2]}`];
  });
  const shown = state === 'clean' ? [] : details.slice(0, MAX_DETAILS);
  if (details.length > shown.length && state !== 'clean') shown.push(`… and ${details.length - shown.length} more (see the job log)`);
  return { stack, state, summary, details: shown };
}

/** The services whose contacts drifted or could not be read, from `contacts plan --json`. */
export function contactsDrift(result: ContactsResult): { state: DriftState; details: string[] } {
  const state = stateOfExit(result.exitcode);
  let output: z.output<typeof ContactsOutput> | undefined;
  try {
    output = ContactsOutput.parse(JSON.parse(result.output));
  } catch {
    output = undefined;
  }
  if (!output)
    return {
      state: state === 'clean' ? 'clean' : state,
      details: state === 'clean' ? [] : ['its output could not be read: see the job log'],
    };
  const details = output.services.flatMap((service) => {
    const where = `\`${service.stack}\` \`${service.service}\``;
    if (service.state === 'error') return [`${where}: error: ${service.error ?? 'unknown'}`];
    const owner = service.owner
      ? [
          `${where}: the domain's owner is contact \`${service.owner.contactId}\`, not one of ${service.owner.expected}'s: only a trade changes it (OVH manager)`,
        ]
      : [];
    if (service.state !== 'drift') return owner;
    return [
      ...service.changes.map(
        (change) => `${where}: ${change.contact} is \`${change.from ?? 'none'}\`, should be \`${change.to ?? 'none'}\``,
      ),
      ...owner,
    ];
  });
  return { state, details: output.error ? [output.error, ...details] : details };
}

const worst = (states: DriftState[]): DriftState => (states.includes('error') ? 'error' : states.includes('drift') ? 'drift' : 'clean');

function headline(stacks: StackDrift[], contacts: DriftReport['contacts']): string {
  const count = (state: DriftState) => stacks.filter((s) => s.state === state).length;
  const contactsText = !contacts ? 'contacts not checked' : contacts.state === 'clean' ? 'contacts in sync' : `contacts: ${contacts.state}`;
  const pending = count('pending') > 0 ? ` ${count('pending')} stack(s) wait for a merged change to be applied (not drift).` : '';
  if (count('drift') === 0 && count('error') === 0 && contacts?.state !== 'drift' && contacts?.state !== 'error') {
    const others = count('pending') > 0 ? `${stacks.length - count('pending')} other` : `${stacks.length}`;
    return `✅ **No drift**: all ${others} stack(s) match their client files; ${contactsText}.${pending}`;
  }
  return `**Drift in ${count('drift')} of ${stacks.length} stack(s), ${count('error')} error(s)**; ${contactsText}.${pending}`;
}

function renderMarkdown(report: Omit<DriftReport, 'markdown'>, runUrl?: string): string {
  const lines = [
    DRIFT_MARKER,
    '## Drift report',
    '',
    `_${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC${runUrl ? ` · [run](${runUrl})` : ''}_`,
    '',
    headline(report.stacks, report.contacts),
    '',
  ];
  const drifted = report.stacks.filter((s) => s.state === 'drift' || s.state === 'error');
  const pending = report.stacks.filter((s) => s.state === 'pending');
  if (drifted.length > 0) {
    lines.push(
      '| stack | state | plan |',
      '|---|---|---|',
      ...drifted.map((s) => `| \`${s.stack}\` | ${s.state} | ${s.summary.replace(/\|/g, '\\|')} |`),
      '',
    );
    for (const s of drifted) lines.push(`### \`${s.stack}\`: ${s.state}`, '', ...s.details.map((d) => `- ${d}`), '');
  }
  if (pending.length > 0) {
    lines.push(
      '### Merged, not applied yet',
      '',
      'These stacks differ only by changes merged since the last apply; the apply workflow applies them.',
      '',
    );
    lines.push(...pending.map((s) => `- \`${s.stack}\`: ${s.summary}`), '');
  }
  if (report.contacts && report.contacts.state !== 'clean')
    lines.push(`### Contacts: ${report.contacts.state}`, '', ...report.contacts.details.map((d) => `- ${d}`), '');
  return lines.join('\n');
}

/** The report, with `onStack` hearing of each stack in turn (for progress on long runs). */
export function driftReport(input: DriftInput, onStack?: (drift: StackDrift, n: number, total: number) => void): DriftReport {
  const byStack = new Map(input.results.map((result) => [result.stack, result]));
  const pending = new Set(input.pending ?? []);
  const stacks = input.stacks.map((stack, i) => {
    const why = input.unreadable?.get(stack);
    const drift = why
      ? { stack, state: 'error' as const, summary: `its result cannot be read: ${why}`, details: [] }
      : stackDrift(stack, byStack.get(stack), input.labels?.get(stack), pending.has(stack));
    onStack?.(drift, i + 1, input.stacks.length);
    return drift;
  });
  const contacts = input.contacts ? contactsDrift(input.contacts) : undefined;
  const state = worst([...stacks.map((s) => s.state), ...(contacts ? [contacts.state] : [])]);
  return { state, stacks, contacts, markdown: renderMarkdown({ state, stacks, contacts }, input.runUrl) };
}
