/**
 * The change summary a reviewer reads on a pull request, in GitHub Markdown: what would be destroyed or replaced
 * first and loudly, then per client what is added, changed (argument by argument) and removed, the desired-contact
 * moves, and the stacks to plan.
 */
import { contactChanges, type DesiredContactChange } from './contact-changes';
import { affectedStacks, type ArgumentChange, type BlockChange, type StackDiff } from './diff';
import { argumentEffect, type ArgumentEffect, type DestructiveChange } from './destructive';
import { inlineCode as code } from './markdown-code';
import type { Scope } from './scope';
import { isJsonObject, type Json, type JsonObject } from './stack-tree';

export interface BaseDescription {
  /** The git ref as given (`origin/main`), and the commit it named. */
  ref: string;
  commit?: string;
  /** The base's clients folder, relative to its repository. */
  clientsPath: string;
  /** Set when the base's client files could not be synthesized: why. The base is then compared as empty. */
  problems?: string[];
  /** What was synthesized, and why; unset for two trees given as they are. */
  scope?: Scope;
}

export interface SummaryInput {
  base: BaseDescription;
  diffs: StackDiff[];
  destructive: DestructiveChange[];
  /** Destructions and replacements the client files ask for (`decommission: true`, `replace: true`): shown as such. */
  intended?: DestructiveChange[];
  /** Stacks not synthesized because they are provably the same on both sides. */
  unchangedElsewhere?: number;
}

/** Longer values are cut: a cloud-init script or a policy document would drown the arguments around it. */
const MAX_VALUE = 120;
const ACTION_TITLE = { added: 'new stack', removed: 'stack removed', changed: 'changed' } as const;
const BLOCK_MARK = { added: '➕ add', changed: '✏️ change', removed: '➖ remove' } as const;

function value(json: Json | undefined): string {
  if (json === undefined) return '_(none)_';
  const text = JSON.stringify(json);
  return code(text.length > MAX_VALUE ? `${text.slice(0, MAX_VALUE - 1)}…` : text);
}

const cell = (text: string) => text.replace(/\|/g, '\\|');

function argumentLine({ argument, before, after }: ArgumentChange, action: BlockChange['action']): string {
  const name = argument ? code(argument) : 'value';
  if (action === 'added') return `${name}: ${value(after)}`;
  if (action === 'removed') return `${name}: ${value(before)}`;
  return `${name}: ${value(before)} → ${value(after)}`;
}

/** Why Terraform leaves an existing resource as it is when one of these arguments changes (`ignore_changes`). */
const IGNORED_BECAUSE: Record<string, string> = {
  user_data: 'cloud-init runs at the first boot only: applies to new instances only',
  plan: 'an order’s plan is read when ordering: an existing service changes offer through an upgrade at OVH',
  plan_option: 'an order’s options are read when ordering',
  ovh_subsidiary: 'an order’s subsidiary is read when ordering',
};

/** What a changed argument does to the existing resource, when a reviewer could take it for something else. */
function effectNote(effect: ArgumentEffect | undefined, argument: string): string | undefined {
  switch (effect) {
    case 'ignored': {
      const why = IGNORED_BECAUSE[argument.split(/[.[]/)[0]];
      return `not applied to the existing resource${why ? `: ${why}` : ' (Terraform ignores it once created; a change that needs a new one replaces it)'}`;
    }
    case 'replacement':
      return 'replaces it';
    case 'update fails at apply':
      return 'the provider cannot update it: the apply fails';
    default:
      return undefined;
  }
}

function changedArgumentLine(change: BlockChange, arg: ArgumentChange): string {
  const note =
    change.section === 'resource' ? effectNote(argumentEffect(change.type, arg.argument, change.after), arg.argument) : undefined;
  return `${argumentLine(arg, change.action)}${note ? ` _(${note})_` : ''}`;
}

/** A block and its argument changes; a new block's arguments are folded, so the list of what is added stays readable. */
function blockLines(change: BlockChange, foldNew = true, imported?: Json, intended?: DestructiveChange): string[] {
  // An existing service adopted through an `import` block is not ordered: the reviewer must tell the two apart.
  const mark = imported !== undefined ? `📥 import ${value(imported)} as` : BLOCK_MARK[change.action];
  const head = `- ${mark} ${code(change.label)} (${code(change.type)})${intended ? ` _(${intendedBy(intended)})_` : ''}`;
  if (change.action === 'removed' || (change.action === 'added' && !foldNew)) return [head];
  const args = change.arguments.map(
    (arg) => `  - ${change.action === 'changed' ? changedArgumentLine(change, arg) : argumentLine(arg, change.action)}`,
  );
  if (change.action === 'added') return [head, '  <details><summary>arguments</summary>', '', ...args, '', '  </details>'];
  return [head, ...args];
}

function contactTable(contacts: DesiredContactChange[]): string[] {
  if (contacts.length === 0) return [];
  const who = (nic: string | undefined) => (nic ? code(nic) : '—');
  return [
    '**Desired contacts**',
    '',
    '| service | contact | before | after |',
    '|---|---|---|---|',
    ...contacts.map((c) => `| ${cell(`${code(c.service)} (${c.kind})`)} | ${c.role} | ${who(c.before)} | ${who(c.after)} |`),
    '',
  ];
}

function counts(changes: BlockChange[]): string {
  const count = (action: BlockChange['action']) => changes.filter((change) => change.action === action).length;
  return `${count('added')} to add, ${count('changed')} to change, ${count('removed')} to remove`;
}

/** A stack's resources to add, change and remove, as its section of the summary counts them (and its progress line). */
export function resourceCounts(diff: StackDiff): string {
  return counts(diff.changes.filter((change) => change.section === 'resource'));
}

/** Resource address → the OVH id an `import` block the change adds adopts it from. */
function importedIds(diff: StackDiff): Map<string, Json> {
  const imports = diff.changes.filter((change) => change.section === 'import' && change.action === 'added' && isJsonObject(change.after));
  return new Map(imports.map((change) => [(change.after as JsonObject).to as string, (change.after as JsonObject).id]));
}

/**
 * Resources in full; data sources, providers, variables, outputs and backend settings folded: they follow from the
 * resources, and what matters in them (a new plan code, an account) is also named where it replaces something.
 */
function stackSection(diff: StackDiff, intended: DestructiveChange[]): string[] {
  const resources = diff.changes.filter((change) => change.section === 'resource');
  const rest = diff.changes.filter((change) => change.section !== 'resource');
  const newImports = importedIds(diff);
  const lines = [
    `### ${code(diff.stack)}: ${ACTION_TITLE[diff.action as keyof typeof ACTION_TITLE]}`,
    '',
    ...contactTable(contactChanges(diff)),
  ];
  lines.push(
    `**Resources**: ${resourceCounts(diff)}`,
    '',
    ...resources.flatMap((change) =>
      blockLines(
        change,
        true,
        newImports.get(change.address),
        intended.find((d) => d.stack === diff.stack && d.address === change.address),
      ),
    ),
    '',
  );
  if (rest.length > 0) {
    lines.push(`<details><summary>Data sources and stack settings: ${counts(rest)}</summary>`, '');
    lines.push(...rest.flatMap((change) => blockLines(change, false)), '', '</details>', '');
  }
  return lines;
}

const EFFECT_TEXT = {
  'stack removed': 'its whole stack is removed',
  destroyed: 'removed from its stack',
  replaced: 'replaced, because of',
} as const;

function destructiveLine(d: DestructiveChange): string {
  const forcedBy = d.forcedBy.map((arg) => argumentLine(arg, 'changed')).join('; ');
  const refused = d.refusedAtApply ? `; **fails at apply**: ${d.refusedAtApply}` : '';
  return `> - **${d.effect === 'replaced' ? 'REPLACED' : 'DESTROYED'}** ${code(d.label)} (${code(d.type)}, stack ${code(d.stack)}): ${EFFECT_TEXT[d.effect]}${forcedBy ? ` ${forcedBy}` : ''}${refused}`;
}

/** What in the client file lets an intended destruction or replacement go. */
function intendedBy(d: DestructiveChange): string {
  return `intended: ${code(d.effect === 'replaced' ? 'replace: true' : 'decommission: true')} in the client file`;
}

/** What the client files ask to terminate or replace, listed apart from the caution: a reviewer sees it goes, on purpose. */
function intendedSection(intended: DestructiveChange[]): string[] {
  if (intended.length === 0) return [];
  return [
    '> [!NOTE]',
    `> **Intended: ${intended.length} protected resource(s) destroyed or replaced as the client files ask.** The next apply terminates what is marked \`decommission: true\` and rebuilds what is marked \`replace: true\` (README, "Lifecycle").`,
    '>',
    ...intended.map((d) => `${destructiveLine(d)}; ${intendedBy(d)}`),
    '',
  ];
}

function destructiveSection(destructive: DestructiveChange[], diffs: StackDiff[]): string[] {
  if (destructive.length === 0) return [];
  const lines = [
    '> [!CAUTION]',
    `> **DESTRUCTIVE: ${destructive.length} protected resource(s) would be destroyed or replaced.** A destroyed service ends (a domain can be lost); a replaced one is ordered or built again, and an instance's disk is lost. To remove a service or a client on purpose, first mark it \`decommission: true\` in its client file; to let an instance be replaced, \`replace: true\` (README, "Lifecycle").`,
    '>',
    ...destructive.map(destructiveLine),
  ];
  const removed = diffs.filter((diff) => diff.action === 'removed').map((diff) => code(diff.stack));
  const added = diffs.filter((diff) => diff.action === 'added').map((diff) => code(diff.stack));
  if (removed.length > 0 && added.length > 0) {
    lines.push(
      '>',
      `> Stacks removed (${removed.join(', ')}) and added (${added.join(', ')}): if a client was renamed, its services would be destroyed and ordered again under the new id. Keep the id, or move the state (\`terraform state mv\`) before applying.`,
    );
  }
  return [...lines, ''];
}

function scopeLines(scope: Scope | undefined): string[] {
  if (!scope) return [];
  if (scope.mode === 'full') return [`_Each side was synthesized whole, with its own code: ${scope.reason}._`, ''];
  return [`_Each side with its own code, which is the same: ${scope.reason}._`, ''];
}

function headerLines(base: BaseDescription): string[] {
  const commit = base.commit ? ` (${code(base.commit.slice(0, 12))})` : '';
  const lines = [`## Client changes against ${code(base.ref)}${commit}`, '', ...scopeLines(base.scope)];
  if (base.problems) {
    lines.push(
      '> [!WARNING]',
      "> The base's client files could not be synthesized, so every stack is compared with nothing: all show as added, and all are affected.",
      '>',
      ...base.problems.map((problem) => `> - ${code(problem)}`),
      '',
    );
  }
  return lines;
}

function totalsLine(diffs: StackDiff[], unchangedElsewhere: number): string {
  const count = (action: StackDiff['action']) => diffs.filter((diff) => diff.action === action).length;
  const affected = affectedStacks(diffs).length;
  const total = diffs.length + unchangedElsewhere;
  return `**${affected} of ${total} stack(s) affected**: ${count('added')} added, ${count('removed')} removed, ${count('changed')} changed, ${count('unchanged') + unchangedElsewhere} unchanged.`;
}

export function renderSummary({ base, diffs, destructive, intended = [], unchangedElsewhere = 0 }: SummaryInput): string {
  const affected = affectedStacks(diffs);
  const lines = [
    ...headerLines(base),
    ...destructiveSection(destructive, diffs),
    ...intendedSection(intended),
    totalsLine(diffs, unchangedElsewhere),
    '',
  ];
  for (const diff of diffs) if (diff.action !== 'unchanged') lines.push(...stackSection(diff, intended));
  lines.push(
    '### Affected stacks (to plan)',
    '',
    ...(affected.length > 0 ? affected.map((stack) => `- ${code(stack)}`) : ['_None: no stack changes._']),
    '',
  );
  return lines.join('\n');
}
