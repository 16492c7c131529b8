/**
 * The drift report: one Markdown document from the results of the scheduled `terraform plan -detailed-exitcode`
 * of every stack and of `contacts plan --json`, for the run's summary and the one open drift issue. Pure: the
 * results are read elsewhere (drift-report-cli.ts).
 */
import { z } from 'zod';

/** What a plan job leaves behind: its exit code (0 clean, 2 changes, else error) and the plan's text output. */
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
        error: z.string().nullable().optional(),
      }),
    )
    .default([]),
  error: z.string().optional(),
});

export type DriftState = 'clean' | 'drift' | 'error';

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
export function stackDrift(stack: string, result: StackResult | undefined, labels: Map<string, string> = new Map()): StackDrift {
  if (!result) return { stack, state: 'error', summary: 'no result: its plan job did not finish', details: [] };
  const state = stateOfExit(result.exitcode);
  const lines = result.plan.split('\n');
  const summary = lines.find((line) => PLAN_LINE.test(line))?.trim() ?? (state === 'error' ? `terraform exited with ${result.exitcode}` : '');
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
  if (!output) return { state: state === 'clean' ? 'clean' : state, details: state === 'clean' ? [] : ['its output could not be read: see the job log'] };
  const details = output.services.flatMap((service) => {
    const where = `\`${service.stack}\` \`${service.service}\``;
    if (service.state === 'error') return [`${where}: error: ${service.error ?? 'unknown'}`];
    if (service.state !== 'drift') return [];
    return service.changes.map((change) => `${where}: ${change.contact} is \`${change.from ?? 'none'}\`, should be \`${change.to ?? 'none'}\``);
  });
  return { state, details: output.error ? [output.error, ...details] : details };
}

const worst = (states: DriftState[]): DriftState => (states.includes('error') ? 'error' : states.includes('drift') ? 'drift' : 'clean');

function headline(stacks: StackDrift[], contacts: DriftReport['contacts']): string {
  const count = (state: DriftState) => stacks.filter((s) => s.state === state).length;
  const contactsText = !contacts ? 'contacts not checked' : contacts.state === 'clean' ? 'contacts in sync' : `contacts: ${contacts.state}`;
  if (count('drift') === 0 && count('error') === 0 && contacts?.state !== 'drift' && contacts?.state !== 'error') {
    return `✅ **No drift**: all ${stacks.length} stack(s) match their client files; ${contactsText}.`;
  }
  return `**Drift in ${count('drift')} of ${stacks.length} stack(s), ${count('error')} error(s)**; ${contactsText}.`;
}

function renderMarkdown(report: Omit<DriftReport, 'markdown'>, runUrl?: string): string {
  const lines = ['## Drift report', '', `_${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC${runUrl ? ` · [run](${runUrl})` : ''}_`, '', headline(report.stacks, report.contacts), ''];
  const notClean = report.stacks.filter((s) => s.state !== 'clean');
  if (notClean.length > 0) {
    lines.push('| stack | state | plan |', '|---|---|---|', ...notClean.map((s) => `| \`${s.stack}\` | ${s.state} | ${s.summary.replace(/\|/g, '\\|')} |`), '');
    for (const s of notClean) lines.push(`### \`${s.stack}\`: ${s.state}`, '', ...s.details.map((d) => `- ${d}`), '');
  }
  if (report.contacts && report.contacts.state !== 'clean') lines.push(`### Contacts: ${report.contacts.state}`, '', ...report.contacts.details.map((d) => `- ${d}`), '');
  return lines.join('\n');
}

/** The report, with `onStack` hearing of each stack in turn (for progress on long runs). */
export function driftReport(input: DriftInput, onStack?: (drift: StackDrift, n: number, total: number) => void): DriftReport {
  const byStack = new Map(input.results.map((result) => [result.stack, result]));
  const stacks = input.stacks.map((stack, i) => {
    const drift = stackDrift(stack, byStack.get(stack), input.labels?.get(stack));
    onStack?.(drift, i + 1, input.stacks.length);
    return drift;
  });
  const contacts = input.contacts ? contactsDrift(input.contacts) : undefined;
  const state = worst([...stacks.map((s) => s.state), ...(contacts ? [contacts.state] : [])]);
  return { state, stacks, contacts, markdown: renderMarkdown({ state, stacks, contacts }, input.runUrl) };
}
