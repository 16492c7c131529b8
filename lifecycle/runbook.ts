/**
 * `npm run runbook -- [--client <id>] [--check]`: per client, the steps of the procedure that no API does,
 * with the exact values to use. With `--check`, the contacts tool reads OVH to mark each step done or to do;
 * without it, only what the files tell is marked.
 */
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { runContacts } from '../contacts/cli';
import type { reportJson } from '../contacts/report';
import { settingsFrom } from '../config/environment';
import { describeFailure } from '../config/failures';
import { loadConfig } from '../config/load';
import { clientPlan, mailboxPasswordsOutput, type ClientPlan, type Service } from '../policy/procedure';

/** The agency's PayPal account that credits a large client's new Public Cloud project. */
export const PROJECT_CREDIT = { amount: '10 EUR', paypal: 'paypal@yesbabylon.com' };

/** The services Terraform orders through an internal account and then operates through the client's, by file entry. */
const HANDED_OVER_ENTRIES: Partial<Record<Service['kind'], string>> = {
  dnsZone: 'the domains entry (for its DNS zone)',
  vps: 'hosting.vps',
  privateDatabase: 'hosting.privateDatabases',
  cloudProject: 'cloudProject',
};
const HANDED_OVER_KINDS = Object.keys(HANDED_OVER_ENTRIES);

export type StepStatus = 'done' | 'to do' | 'unknown';

export interface RunbookStep {
  title: string;
  details: string[];
  status: StepStatus;
}

/** What `contacts plan --json` says of one service. */
export type ContactsFact = ReturnType<typeof reportJson>['services'][number];

export function runbook(plan: ClientPlan, facts?: ContactsFact[]): RunbookStep[] {
  const factOf = (service: { id: string }) => facts?.find((fact) => fact.stack === plan.client.id && fact.service === service.id);
  /** A service OVH knows (its contacts could be read) was ordered; one it does not know was not. */
  const existsAtOvh = (service: Service): StepStatus => {
    if (service.existing) return 'done';
    const fact = factOf(service);
    if (!fact) return 'unknown';
    return fact.state === 'in-sync' || fact.state === 'drift' ? 'done' : 'to do';
  };
  const nameOf = (nic: string) => plan.accounts.find((account) => account.nichandle === nic)?.name ?? `${nic} (third party)`;
  const contactFields = (service: Service) => [
    `Contact > Propriétaire, Administration, Technique: ${service.contacts.admin} (${nameOf(service.contacts.admin)})`,
    `Contact > Facturation: ${service.contacts.billing} (${nameOf(service.contacts.billing)})`,
  ];

  const steps: RunbookStep[] = plan.accounts
    .filter((account) => account.email)
    .map((account) => ({
      title: `Create the OVH account of ${account.description.replace(/^account of /, '')}`,
      details: [`e-mail address: ${account.email}`, `record its nichandle in ${plan.client.id}.yaml (now: ${account.nichandle})`],
      status: 'done' as const, // the file cannot name a nichandle before the account exists
    }));

  for (const service of plan.services.filter((s) => s.kind === 'webHosting' || s.kind === 'emailDomain')) {
    const what = service.kind === 'webHosting' ? `web hosting ${service.config.plan} for ${service.name}` : `the e-mail offer of ${service.name}`;
    steps.push({
      title: `Order ${what} in the OVH manager, as ${service.orderedBy.name} (${service.orderedBy.nichandle}): Terraform cannot order it`,
      details: contactFields(service),
      status: existsAtOvh(service),
    });
  }

  const ordered = plan.services.filter((s) => s.kind !== 'webHosting' && s.kind !== 'emailDomain');
  const notOrdered = ordered.filter((service) => factOf(service)?.state === 'not-ordered');
  steps.push({
    title: `Apply the stack: cd cdktf.out/stacks/${plan.client.id} && terraform apply`,
    details: notOrdered.length > 0 ? [`not ordered yet: ${notOrdered.map((s) => s.id).join(', ')}`] : [],
    status: !facts ? 'unknown' : notOrdered.length > 0 ? 'to do' : 'done',
  });
  const project = plan.cloud.project.shared ? undefined : plan.cloud.project.service;
  if (project) {
    const fact = factOf(project);
    const handedOver = project.existing || fact?.state === 'in-sync' ? 'done' : fact ? 'to do' : 'unknown';
    steps.push({
      title: `Credit the new Public Cloud project "${project.config.description}" with ${PROJECT_CREDIT.amount} from ${PROJECT_CREDIT.paypal}`,
      details: [`as ${project.orderedBy.name} (${project.orderedBy.nichandle}), before its contacts move to the client`],
      status: handedOver,
    });
    steps.push({
      title: 'Then move its Administration and Technique contacts to the client',
      details: [
        `admin and tech: ${project.contacts.admin} (${nameOf(project.contacts.admin)}); billing stays ${project.contacts.billing} (${nameOf(project.contacts.billing)})`,
        `npm run contacts -- apply --client ${plan.client.id} --service ${project.id} (or Project Management > Contacts and Rights)`,
      ],
      status: handedOver,
    });
  }

  steps.push(...contactSteps(plan, facts));

  // Once its contacts follow the file, the ordering account only sees its bills: Terraform must switch to the admin.
  for (const service of plan.services.filter((s) => HANDED_OVER_KINDS.includes(s.kind))) {
    const fact = factOf(service);
    const done = service.managedBy.key !== service.orderedBy.key;
    steps.push({
      title: `Once its contacts follow the file, set handedOver: true on ${HANDED_OVER_ENTRIES[service.kind]}${service.kind === 'cloudProject' ? '' : ` ${service.name}`} in ${plan.client.id}.yaml`,
      details: [`Terraform then operates it through ${service.contacts.admin} (${nameOf(service.contacts.admin)}) instead of ${service.orderedBy.name}`],
      status: done ? 'done' : fact ? 'to do' : 'unknown',
    });
  }

  for (const service of plan.services) {
    if (service.kind === 'emailDomain' && service.config.mailboxes.length > 0) {
      steps.push({
        title: `Give ${plan.client.name} the initial passwords of the ${service.name} mailboxes`,
        details: [`terraform output -json ${mailboxPasswordsOutput(service.name)} (in cdktf.out/stacks/${plan.client.id}); they change them`],
        status: 'unknown',
      });
    }
  }
  return steps;
}

/** Contact changes: requested by the tool, validated by both accounts with the tokens OVH e-mails them. */
function contactSteps(plan: ClientPlan, facts: ContactsFact[] | undefined): RunbookStep[] {
  if (!facts) {
    return [
      {
        title: 'Bring every service’s contacts in line, then validate each change with the two e-mailed tokens',
        details: [`npm run contacts -- apply --client ${plan.client.id}`, 'npm run contacts -- tasks, then: npm run contacts -- accept <task id> --token <token from the e-mail>'],
        status: 'unknown',
      },
    ];
  }
  const mine = facts.filter((fact) => fact.stack === plan.client.id && fact.state !== 'not-ordered');
  const changes = mine.flatMap((fact) => fact.changes.map((change) => ({ fact, change })));
  if (changes.length === 0) return [{ title: 'Every service’s contacts follow the client file', details: [], status: 'done' }];
  return changes.map(({ fact, change }) => {
    const what = `${fact.service} ${change.contact}: ${change.from} → ${change.to}`;
    const { status, taskIds: ids, who } = change;
    if (status === 'pending') {
      return {
        title: `Validate task${ids.length > 1 ? 's' : ''} ${ids.map((id) => `#${id}`).join(', ')} (${what})`,
        details: [`with the tokens e-mailed to ${change.from} and ${change.to}: npm run contacts -- accept ${ids[0]} --token <token>`],
        status: 'to do',
      };
    }
    if (status === 'manual') return { title: `Have ${who.join(' or ')} request ${what} from their own OVH account`, details: [], status: 'to do' };
    return { title: `Request ${what}`, details: [`npm run contacts -- apply --client ${plan.client.id} --service ${fact.service}`], status: 'to do' };
  });
}

const MARKS: Record<StepStatus, string> = { done: '- [x]', 'to do': '- [ ]', unknown: '- [ ] (?)' };

export function runbookMarkdown(plan: ClientPlan, steps: RunbookStep[]): string[] {
  return [
    `## ${plan.client.name} (\`${plan.client.id}\`)`,
    '',
    ...steps.flatMap((step) => [`${MARKS[step.status]} ${step.title}`, ...step.details.map((detail) => `  - ${detail}`)]),
    '',
  ];
}

/** Runs `contacts plan --json` in this process and keeps its services. */
async function contactsFacts(client: string | undefined, projectRoot: string): Promise<ContactsFact[]> {
  let json = '';
  const errors: string[] = [];
  await runContacts(['plan', '--json', ...(client ? ['--client', client] : [])], {
    env: process.env,
    projectRoot,
    out: (line) => (json += line),
    err: (line) => errors.push(line),
  });
  const report = JSON.parse(json) as { services?: ContactsFact[]; error?: string };
  if (!report.services) throw new Error(`cannot check with the contacts tool: ${report.error ?? errors.join('; ')}`);
  return report.services;
}

async function main(): Promise<number> {
  try {
    const { values } = parseArgs({ options: { client: { type: 'string' }, check: { type: 'boolean' } }, strict: true });
    const projectRoot = path.resolve(__dirname, '..');
    const settings = settingsFrom(process.env, projectRoot);
    const { agency, clients } = loadConfig(settings.clientsDir, values.client ? [values.client] : settings.selectedClients);
    const facts = values.check ? await contactsFacts(values.client, projectRoot) : undefined;
    const lines = ['# Runbook: the manual steps of the procedure', '', `[x] done, [ ] to do, (?) ${facts ? 'cannot be told' : 'not checked: run with --check'}.`, ''];
    for (const { client } of clients) {
      const plan = clientPlan(agency, client);
      lines.push(...runbookMarkdown(plan, runbook(plan, facts)));
    }
    process.stdout.write(`${lines.join('\n')}\n`);
    return 0;
  } catch (error) {
    console.error(`Cannot write the runbook:\n  ${describeFailure(error).join('\n  ')}`);
    return 1;
  }
}

if (require.main === module) main().then((code) => (process.exitCode = code));
