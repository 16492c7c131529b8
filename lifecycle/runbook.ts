/**
 * `npm run runbook -- [--client <id>] [--check]`: per client, the steps of the procedure that no API does,
 * with the exact values to use. With `--check`, the contacts tool's plan reads OVH to mark each step done or to
 * do; a step it could not check stays unmarked with the reason, and the run exits 1. Without it, only what the
 * files tell is marked.
 */
import * as z from 'zod';
import { commandLine, type Command, type CommandContext } from '../cli/command-line';
import { Slug } from '../config/schema';
import { openSession, planServices, validationFor, type RetryPolicy, type ServiceReport } from '../contacts';
import { settingsFrom } from '../core/environment';
import { describeFailure } from '../core/failures';
import { mailboxPasswordsOutput } from '../policy/naming';
import { planFolder } from '../policy/folder';
import type { ClientPlan, Service } from '../policy/plan';
import { PROJECT_CREDIT } from '../policy/public-cloud';
import { orderedByHand, SERVICE_KINDS } from '../policy/service-kinds';
import { markdownText } from './markdown';

export type StepStatus = 'done' | 'to do' | 'unknown';

export interface RunbookStep {
  title: string;
  details: string[];
  status: StepStatus;
}

/** What the contacts tool's plan tells of one service. */
export type ContactsFact = ServiceReport;

/** A service the check could read: never one whose reading failed. */
const checked = (fact: ContactsFact | undefined): fact is ContactsFact => fact !== undefined && fact.state !== 'error';
const unreadable = (fact: ContactsFact | undefined) => (fact?.state === 'error' ? [`could not check: ${fact.error}`] : []);

/**
 * The steps of one client, as Markdown: a name or a description from the files is shown literally (`markdownText`),
 * whatever it holds; ids, nichandles and the tool's own words need no escaping.
 */
export function runbook(plan: ClientPlan, facts?: ContactsFact[]): RunbookStep[] {
  const factOf = (service: { id: string }) => facts?.find((fact) => fact.target.stack === plan.id && fact.target.service === service.id);
  /** A service OVH knows (its contacts could be read) was ordered; one the state does not name was not. */
  const existsAtOvh = (service: Service): StepStatus => {
    if (service.existing) return 'done';
    const fact = factOf(service);
    if (!checked(fact)) return 'unknown';
    return fact.state === 'not-ordered' ? 'to do' : 'done';
  };
  const nameOf = (nic: string) => plan.accounts.find((account) => account.nichandle === nic)?.name ?? `${nic} (third party)`;
  const contactFields = (service: Service) => [
    `Contact > Propriétaire, Administration, Technique: ${service.contacts.admin} (${nameOf(service.contacts.admin)})`,
    `Contact > Facturation: ${service.contacts.billing} (${nameOf(service.contacts.billing)})`,
  ];

  const steps: RunbookStep[] = plan.accounts
    .filter((account) => account.email)
    .map((account) => ({
      title: `Create the OVH account of ${markdownText(account.description.replace(/^account of /, ''))}`,
      details: [`e-mail address: ${account.email}`, `record its nichandle in ${plan.id}.yaml (now: ${account.nichandle})`],
      status: 'done' as const, // the file cannot name a nichandle before the account exists
    }));

  for (const service of plan.services) {
    const { ordering } = SERVICE_KINDS[service.kind];
    if (ordering.by !== 'hand') continue;
    const what = ordering.order({ name: service.name, plan: 'plan' in service.settings ? service.settings.plan : undefined });
    steps.push({
      title: `Order ${what} in the OVH manager, as ${service.orderedBy.name} (${service.orderedBy.nichandle}): Terraform cannot order it`,
      details: [...contactFields(service), ...unreadable(factOf(service))],
      status: existsAtOvh(service),
    });
  }

  const ordered = plan.services.filter((s) => !orderedByHand(s.kind));
  const notOrdered = ordered.filter((service) => factOf(service)?.state === 'not-ordered');
  const unchecked = ordered.filter((service) => !checked(factOf(service)));
  steps.push({
    title: `Apply the stack: cd cdktf.out/stacks/${plan.id} && terraform apply`,
    details: [
      ...(notOrdered.length > 0 ? [`not ordered yet: ${notOrdered.map((s) => s.id).join(', ')}`] : []),
      ...(facts && unchecked.length > 0 ? [`could not check: ${unchecked.map((s) => s.id).join(', ')}`] : []),
      ...beforeApplying(plan),
    ],
    status: notOrdered.length > 0 ? 'to do' : !facts || unchecked.length > 0 ? 'unknown' : 'done',
  });
  const project = plan.cloud.project.shared ? undefined : plan.cloud.project.service;
  if (project) {
    const fact = factOf(project);
    const handedOver = project.existing || fact?.state === 'in-sync' ? 'done' : checked(fact) ? 'to do' : 'unknown';
    steps.push({
      title: `Credit the new Public Cloud project "${markdownText(project.settings.description ?? project.name)}" with ${PROJECT_CREDIT.amount} from ${PROJECT_CREDIT.paypal}`,
      details: [
        `as ${project.orderedBy.name} (${project.orderedBy.nichandle}), before its contacts move to the client`,
        ...unreadable(fact),
      ],
      status: handedOver,
    });
    steps.push({
      title: 'Then move its Administration and Technique contacts to the client',
      details: [
        `admin and tech: ${project.contacts.admin} (${nameOf(project.contacts.admin)}); billing stays ${project.contacts.billing} (${nameOf(project.contacts.billing)})`,
        `npm run contacts -- apply --client ${plan.id} --service ${project.id} (or Project Management > Contacts and Rights)`,
      ],
      status: handedOver,
    });
  }

  steps.push(...contactSteps(plan, facts));

  // Once its contacts follow the file, Terraform must operate it through its admin (policy/contacts.ts operatingAccount);
  // one the client ordered (a domain, the DNS zone its order brings) is the client's from the start.
  for (const service of plan.services.filter((s) => s.orderedBy.nichandle !== s.contacts.admin)) {
    const entry = SERVICE_KINDS[service.kind].handedOverEntry?.(service.name);
    if (!entry) continue;
    const fact = factOf(service);
    const done = service.operatedBy.key !== service.orderedBy.key;
    steps.push({
      title: `Once its contacts follow the file, set handedOver: true on ${entry} in ${plan.id}.yaml`,
      details: [
        `Terraform then operates it through ${service.contacts.admin} (${nameOf(service.contacts.admin)}) instead of ${service.orderedBy.name}`,
        ...unreadable(fact),
      ],
      status: done ? 'done' : checked(fact) ? 'to do' : 'unknown',
    });
  }

  steps.push(...twoStepSteps(plan));
  for (const service of plan.services) {
    if (service.kind === 'emailDomain' && service.settings.mailboxes.some((mailbox) => !mailbox.existing)) {
      steps.push({
        title: `Give ${markdownText(plan.name)} the initial passwords of the ${service.name} mailboxes`,
        details: [`terraform output -json ${mailboxPasswordsOutput(service.name)} (in cdktf.out/stacks/${plan.id}); they change them`],
        status: 'unknown',
      });
    }
  }
  return steps;
}

/**
 * What the engineer must know or do before applying: what the provider cannot do (a key named from a file cannot be
 * created, a mailbox cannot be imported) and what a first apply would otherwise duplicate (records of an existing zone).
 */
function beforeApplying(plan: ClientPlan): string[] {
  const deployKey = plan.instances.find((instance) => instance.usesDeployKey)?.sshKey;
  const byHand = [...new Set(plan.instances.filter((instance) => !instance.usesDeployKey).map((instance) => instance.sshKey))];
  return [
    ...(deployKey && plan.cloud.project.shared
      ? [
          `first the agency's stack (cd cdktf.out/stacks/agency && terraform apply): it registers the deploy key ${deployKey} in the shared project, which the instances name`,
        ]
      : []),
    ...byHand.map(
      (key) =>
        `the SSH key ${key} must be registered in the project first, by hand: an instance names it, and OVH refuses an instance whose key the project lacks`,
    ),
    ...plan.services.flatMap((service) => {
      if (service.kind === 'dnsZone' && service.existing) {
        const created = service.settings.records.filter((record) => record.existing === undefined);
        return created.length > 0
          ? [
              `${created.length} record(s) of the existing zone ${service.name} will be created: if OVH has them already, adopt them with their OVH ids (existing: <id>; GET /domain/zone/${service.name}/record) instead of creating duplicates`,
            ]
          : [];
      }
      if (service.kind !== 'emailDomain') return [];
      return service.settings.mailboxes
        .filter((mailbox) => mailbox.existing)
        .map(
          ({ account }) =>
            `mailbox ${account}@${service.name} exists at OVH and is left as it is: the provider cannot import a mailbox, so Terraform never manages it`,
        );
    }),
  ];
}

/** What the file asks for that takes a later change: a replacement let through, a protection turned off, a zone left behind. */
function twoStepSteps(plan: ClientPlan): RunbookStep[] {
  const file = `${plan.id}.yaml`;
  const replaceable = plan.replaceable.map(({ description }) => ({
    title: `Once applied, remove replace: true from ${description} in ${file}`,
    details: ['until then nothing protects the new instance from the next change that replaces it'],
    status: 'to do' as const,
  }));
  const project = plan.cloud.project.shared ? undefined : plan.cloud.project.service;
  const unprotected =
    project && !project.settings.deletionProtection
      ? [
          {
            title: `Apply the project's deletion protection turned off, alone; then set decommission: true in ${file} in a later change`,
            details: ['OVH terminates the project only once its state is unprotected: two applies, in two reviewed changes'],
            status: 'to do' as const,
          },
        ]
      : [];
  // A zone OVH added to a domain's order is not Terraform's: terminating the domain leaves it.
  const zones = plan.zonesLeft.map((domain) => ({
    title: `Once the domain ${domain} is terminated, terminate its DNS zone in the OVH manager if it is no longer needed`,
    details: ['the zone came with the domain: Terraform never ordered it, so it never terminates it'],
    status: 'to do' as const,
  }));
  return [...replaceable, ...unprotected, ...zones];
}

/** Contact changes: requested by the tool, validated by their validators with the tokens OVH e-mails them. */
function contactSteps(plan: ClientPlan, facts: ContactsFact[] | undefined): RunbookStep[] {
  const validate =
    'npm run contacts -- tasks --client ' + plan.id + ', then: npm run contacts -- accept --from-links <file of the e-mailed links>';
  if (!facts) {
    return [
      {
        title: 'Bring every service’s contacts in line, then have each change validated with its e-mailed tokens',
        details: [`npm run contacts -- apply --client ${plan.id}`, validate],
        status: 'unknown',
      },
    ];
  }
  const mine = facts.filter((fact) => fact.target.stack === plan.id && fact.state !== 'not-ordered');
  const unreadableSteps = mine
    .filter((fact) => fact.state === 'error')
    .map((fact): RunbookStep => ({ title: `Check the contacts of ${fact.target.service}`, details: unreadable(fact), status: 'unknown' }));
  const changes = mine.flatMap((fact) => fact.changes.map((change) => ({ fact, change })));
  if (changes.length === 0 && unreadableSteps.length === 0)
    return [{ title: 'Every service’s contacts follow the client file', details: [], status: 'done' }];
  return [
    ...unreadableSteps,
    ...changes.map(({ fact, change }): RunbookStep => {
      const what = `${fact.target.service} ${change.contact}: ${change.from} → ${change.to}`;
      const { status } = change;
      const validation = validationFor(change);
      if (status.kind === 'pending' || status.kind === 'requested') {
        const ids = status.kind === 'pending' ? status.tasks.map((task) => task.id) : status.taskIds;
        return {
          title: `Validate task${ids.length > 1 ? 's' : ''} ${ids.map((id) => `#${id}`).join(', ')} (${what})`,
          details: [`with the tokens e-mailed to ${validation?.validators.join(' and ') ?? 'its validators'}: ${validate}`],
          status: 'to do',
        };
      }
      if (status.kind === 'manual')
        return { title: `Have ${status.who.join(' or ')} request ${what} from their own OVH account`, details: [], status: 'to do' };
      if (status.kind === 'blocked') return { title: `Unblock ${what}`, details: [status.reason], status: 'to do' };
      if (status.kind === 'unknown' || status.kind === 'waiting') {
        return {
          title: `Find out what became of the request for ${what}`,
          details: [`npm run contacts -- apply --client ${plan.id} looks for its task; or check the OVH manager's contact requests`],
          status: 'to do',
        };
      }
      return {
        title: `Request ${what}`,
        details: [`npm run contacts -- apply --client ${plan.id} --service ${fact.target.service}`],
        status: 'to do',
      };
    }),
  ];
}

const MARKS: Record<StepStatus, string> = { done: '- [x]', 'to do': '- [ ]', unknown: '- [ ] (?)' };

export function runbookMarkdown(plan: ClientPlan, steps: RunbookStep[]): string[] {
  return [
    `## ${markdownText(plan.name)} (\`${plan.id}\`)`,
    '',
    ...steps.flatMap((step) => [`${MARKS[step.status]} ${step.title}`, ...step.details.map((detail) => `  - ${detail}`)]),
    '',
  ];
}

/** What the contacts tool's plan reads at OVH for the client (or every client), and what it could not read. */
export interface RunbookOutput {
  markdown: string[];
  /** What the check could not read, one line per service, with the reason: the runbook then exits 1. */
  unchecked: string[];
}

/** The runbook of the selected clients; with `check`, marked from what the contacts tool's plan reads at OVH. */
export async function writeRunbook(
  options: { client?: string; check?: boolean; retry?: RetryPolicy },
  env: NodeJS.ProcessEnv,
  projectRoot: string,
): Promise<RunbookOutput> {
  const settings = settingsFrom(env, projectRoot);
  const { plans } = planFolder(settings.clientsDir, options.client ? [options.client] : settings.selectedClients);
  const facts = options.check
    ? await planServices(openSession(env, projectRoot, { client: options.client, plans, retry: options.retry }))
    : undefined;
  const markdown = [
    '# Runbook: the manual steps of the procedure',
    '',
    `[x] done, [ ] to do, (?) ${facts ? 'could not be checked (the reason is below it)' : 'not checked: run with --check'}.`,
    '',
  ];
  for (const plan of plans.clients) markdown.push(...runbookMarkdown(plan, runbook(plan, facts)));
  const unchecked = (facts ?? [])
    .filter((fact) => fact.state === 'error')
    .map((fact) => `${fact.target.stack} ${fact.target.service}: ${fact.error}`);
  return { markdown, unchecked };
}

const Args = z.object({ client: Slug.optional(), check: z.boolean().default(false) });

export const runbookCommand: Command<z.output<typeof Args>> = {
  name: 'runbook',
  usage: `Usage: npm run runbook -- [--client ID] [--check]`,
  notes: `Prints the runbook, in Markdown, on standard output.`,
  exitCodes: { 0: 'the runbook is printed', 1: 'with --check, a service could not be checked: its steps are left unmarked' },
  parse: commandLine(
    {
      options: {
        client: { type: 'string', value: 'ID', help: 'one client (default: those OVH_IAC_CLIENTS selects, else every one)' },
        check: {
          type: 'boolean',
          help: "mark each step done or to do from what the contacts tool's plan reads at OVH (its credentials\nas for npm run contacts); without it, only what the files tell is marked",
        },
      },
    },
    Args,
  ),
  run: printRunbook,
};

async function printRunbook(args: z.output<typeof Args>, { env, projectRoot, io }: CommandContext): Promise<number> {
  try {
    const { markdown, unchecked } = await writeRunbook(args, env, projectRoot);
    io.out(markdown.join('\n'));
    if (unchecked.length === 0) return 0;
    io.err(`The runbook could not check ${unchecked.length} service(s) at OVH; their steps are left unmarked:`);
    for (const line of unchecked) io.err(`  ${line}`);
    return 1;
  } catch (error) {
    io.err(`Cannot write the runbook:\n  ${describeFailure(error).join('\n  ')}`);
    return 1;
  }
}
