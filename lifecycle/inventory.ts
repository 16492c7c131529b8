/**
 * `npm run inventory [-- --out inventory.md]`: one Markdown document of every client, its accounts, its
 * services with the account that orders them and their contacts, and a Mermaid diagram per client.
 */
import * as fs from 'node:fs';
import * as z from 'zod';
import { commandLine, type Command, type CommandContext } from '../cli/command-line';
import { settingsFrom } from '../core/environment';
import { describeFailure } from '../core/failures';
import { planFolder } from '../policy/folder';
import type { ClientPlan, Contacts, OvhAccount, Service } from '../policy/plan';
import { SERVICE_KINDS } from '../policy/service-kinds';
import { markdownText } from './markdown';

export function inventoryMarkdown(plans: readonly ClientPlan[]): string {
  const lines = [
    '# Inventory of the agency’s OVHcloud services',
    '',
    `Generated from the client files by \`npm run inventory\`: ${plans.length} client(s). Contacts are the desired ones;`,
    '`npm run contacts -- plan` shows where OVH differs.',
    '',
  ];
  for (const plan of plans) lines.push(...clientSection(plan));
  return `${lines.join('\n')}\n`;
}

function clientSection(plan: ClientPlan): string[] {
  const nameOf = accountNames(plan);
  // Everything from the files is shown literally: a name cannot open a heading, a cell, a link or HTML.
  const text = markdownText;
  const who = (nic: string) => text(nameOf.get(nic) ?? `${nic} (third party)`);
  const cloud = plan.cloud.project.shared
    ? `shared project ${plan.cloud.project.name}`
    : `own project (${plan.cloud.project.service.existing ?? 'ordered by this tool'})`;
  return [
    `## ${text(plan.name)} (\`${plan.id}\`, ${plan.size})`,
    '',
    ...(plan.terminated ? ['**Decommissioned**: the next apply terminates every service.', ''] : []),
    '| account | nichandle | address | credentials |',
    '|---|---|---|---|',
    ...plan.accounts.map(
      (account) => `| ${text(account.description)} | ${account.nichandle} | ${account.email ?? ''} | \`TF_VAR_ovh_${account.key}_*\` |`,
    ),
    '',
    '| service | kind | ordered by | owner | admin | tech | billing | how |',
    '|---|---|---|---|---|---|---|---|',
    ...plan.services.map((service) => {
      const { owner, admin, tech, billing } = service.contacts;
      const how = howOrdered(service);
      return `| ${text(service.name)} | ${SERVICE_KINDS[service.kind].label} | ${who(service.orderedBy.nichandle)} | ${owner ? who(owner) : ''} | ${who(admin)} | ${who(tech)} | ${who(billing)} | ${text(how)} |`;
    }),
    '',
    `Public Cloud: ${text(cloud)}; instances: ${text(list(plan.instances.map((i) => `${i.settings.name} (${i.settings.region})`)))}; backups: ${text(list(plan.backups.map((b) => `${b.bucket} (${b.region})`)))}.`,
    ...(plan.decommissioned.length > 0 && !plan.terminated
      ? [`Being decommissioned: ${text(list(plan.decommissioned.map((d) => d.description)))}.`]
      : []),
    '',
    '```mermaid',
    ...diagram(plan),
    '```',
    '',
  ];
}

function list(items: string[]): string {
  return items.length > 0 ? items.join(', ') : 'none';
}

/** Every nichandle the plan names, with a readable label. */
function accountNames(plan: ClientPlan): Map<string, string> {
  return new Map(plan.accounts.map((account: OvhAccount) => [account.nichandle, `${account.name} (${account.nichandle})`]));
}

/** Accounts → services: who orders (solid) and which contact roles each account holds (dotted). */
function diagram(plan: ClientPlan): string[] {
  const nodeId = (prefix: string, name: string) => `${prefix}_${name.replace(/[^A-Za-z0-9]/g, '_')}`;
  // Inside quotes, with Mermaid's own entity codes for what it would otherwise read: a label is literal text.
  const label = (text: string) => `"${text.replace(/#/g, '#35;').replace(/"/g, '#quot;').replace(/</g, '#lt;').replace(/>/g, '#gt;')}"`;
  const nameOf = accountNames(plan);
  const lines = ['flowchart LR'];
  const accounts = new Set<string>();
  const account = (nic: string) => {
    if (!accounts.has(nic)) lines.push(`  ${nodeId('a', nic)}([${label(nameOf.get(nic) ?? `${nic} (third party)`)}])`);
    accounts.add(nic);
    return nodeId('a', nic);
  };
  for (const service of plan.services) {
    const node = nodeId('s', service.id);
    lines.push(`  ${node}[${label(`${SERVICE_KINDS[service.kind].label} ${service.name}`)}]`);
    lines.push(`  ${account(service.orderedBy.nichandle)} -- ${service.existing ? 'imported' : 'orders'} --> ${node}`);
    for (const [nic, roles] of rolesByAccount(service.contacts)) lines.push(`  ${account(nic)} -. ${roles} .-> ${node}`);
  }
  if (plan.cloud.project.shared) {
    lines.push(`  ${nodeId('s', 'shared')}[${label(`Public Cloud ${plan.cloud.project.name} (shared)`)}]`);
    lines.push(`  ${account(plan.cloud.operatedBy.nichandle)} -- manages --> ${nodeId('s', 'shared')}`);
  }
  return lines;
}

function rolesByAccount(contacts: Contacts): Map<string, string> {
  const roles = new Map<string, string[]>();
  for (const role of ['owner', 'admin', 'tech', 'billing'] as const) {
    const nic = contacts[role];
    if (nic) roles.set(nic, [...(roles.get(nic) ?? []), role]);
  }
  return new Map([...roles].map(([nic, names]) => [nic, names.join(', ')]));
}

const Args = z.object({ out: z.string().min(1).optional() });

export const inventoryCommand: Command<z.output<typeof Args>> = {
  name: 'inventory',
  usage: `Usage: npm run inventory [-- --out FILE]`,
  notes: `The clients are those OVH_IAC_CLIENTS selects (default: every one).`,
  exitCodes: { 0: 'the inventory is written' },
  parse: commandLine(
    { options: { out: { type: 'string', value: 'FILE', help: 'write the inventory, in Markdown, to FILE (default: standard output)' } } },
    Args,
  ),
  run: writeInventory,
};

function writeInventory(args: z.output<typeof Args>, { env, projectRoot, io }: CommandContext): number {
  try {
    const settings = settingsFrom(env, projectRoot);
    const { plans } = planFolder(settings.clientsDir, settings.selectedClients);
    const markdown = inventoryMarkdown(plans.clients);
    if (args.out) {
      fs.writeFileSync(args.out, markdown);
      io.err(`Wrote ${args.out}`);
    } else {
      io.out(markdown.slice(0, -1)); // one line per call: the final line break is io's
    }
    return 0;
  } catch (error) {
    io.err(`Cannot write the inventory:\n  ${describeFailure(error).join('\n  ')}`);
    return 1;
  }
}

/** How a service came to be: one that comes with another's order (a DNS zone) is never ordered nor imported. */
function howOrdered(service: Service): string {
  const { ordering } = SERVICE_KINDS[service.kind];
  if (ordering.by === 'another service')
    return service.existing ? 'exists; used as it is' : `comes with the ${SERVICE_KINDS[ordering.comesWith].noun}’s order`;
  if (service.existing) return `imported (${service.existing})`;
  return ordering.by === 'hand' ? 'declared; ordered by hand' : 'ordered by Terraform';
}
