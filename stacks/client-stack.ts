import { Aspects, TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import type { StateBackend } from '../core/environment';
import { BackupBucket } from '../constructs/backup-bucket';
import { DeployKey } from '../constructs/deploy-key';
import { DnsRecords } from '../constructs/dns-records';
import { Instance } from '../constructs/instance';
import { Mailboxes } from '../constructs/mailboxes';
import { OvhAccounts } from '../constructs/ovh-accounts';
import { Protection } from '../constructs/protection';
import { ovhService, type IOvhService } from '../constructs/services';
import { DEPLOY_KEY_ID, mailboxesId, recordsId } from '../policy/naming';
import type { ClientPlan, OvhEndpoint } from '../policy/plan';
import { SERVICE_KINDS } from '../policy/service-kinds';
import { useStateBackend } from './state-backend';
import { terraformLiteral } from './terraform-literal';

export interface ClientStackProps {
  readonly plan: ClientPlan;
  /** The OVH API its providers reach by default. */
  readonly endpoint: OvhEndpoint;
  readonly state: StateBackend;
}

/** Everything one client has at OVH, in a state of its own. */
export class ClientStack extends TerraformStack {
  constructor(scope: Construct, id: string, props: ClientStackProps) {
    super(scope, id);
    // The one place where the client's data becomes construct input: from here on, every string is literal for Terraform.
    const { plan, endpoint } = terraformLiteral({ plan: props.plan, endpoint: props.endpoint });
    useStateBackend(this, props.state);
    Aspects.of(this).add(new Protection({ replaceable: plan.replaceable.map((item) => item.path) }));
    const accounts = new OvhAccounts(this, 'accounts', { endpoint });
    const client = plan.id;

    const built = new Map<string, IOvhService>();
    /** Services by kind and name: a service that comes with another (a DNS zone with its domain) is ready with it. */
    const byKindAndName = new Map<string, IOvhService>();
    for (const service of plan.services) {
      const { ordering } = SERVICE_KINDS[service.kind];
      const comesWith = ordering.by === 'another service' ? byKindAndName.get(`${ordering.comesWith} ${service.name}`) : undefined;
      const construct = ovhService(this, { service, accounts, endpoint, client, comesWith });
      built.set(service.id, construct);
      byKindAndName.set(`${service.kind} ${service.name}`, construct);
      const contentOf = {
        provider: accounts.providerFor(service.operatedBy),
        dependsOn: construct.ready.length > 0 ? construct.ready : undefined,
      };
      if (service.kind === 'dnsZone' && service.settings.records.length > 0) {
        new DnsRecords(this, recordsId(service.id), { zone: service.name, records: service.settings.records, ...contentOf });
      }
      // Existing mailboxes are left as they are: the provider cannot import them (the runbook lists them).
      const newMailboxes = service.kind === 'emailDomain' ? service.settings.mailboxes.filter((mailbox) => !mailbox.existing) : [];
      if (newMailboxes.length > 0)
        new Mailboxes(this, mailboxesId(service.id), { domain: service.name, mailboxes: newMailboxes, ...contentOf });
    }

    // Asked only by instances and backups, which a decommissioned client's plan does not have.
    const clientProjectId = () => {
      const { project } = plan.cloud;
      return project.shared ? project.id : built.get(project.service.id)!.serviceName;
    };
    const cloudProvider = () => accounts.providerFor(plan.cloud.operatedBy);
    // The client's own project gets the agency's deploy key from this stack; the shared project, from the agency's.
    const deployKey =
      plan.deployKey &&
      new DeployKey(this, DEPLOY_KEY_ID, { projectId: clientProjectId(), key: plan.deployKey, provider: cloudProvider() });
    for (const { id, settings, sshKey, usesDeployKey } of plan.instances) {
      if (!sshKey) throw new Error(`instance ${settings.name} of ${client} has no SSH key: the loader should have refused it`);
      const key = deployKey && usesDeployKey ? deployKey.name : sshKey;
      new Instance(this, id, { projectId: clientProjectId(), config: settings, sshKey: key, provider: cloudProvider() });
    }
    for (const backup of plan.backups) {
      new BackupBucket(this, backup.id, {
        projectId: typeof backup.projectId === 'string' ? backup.projectId : clientProjectId(),
        region: backup.region,
        bucket: backup.bucket,
        existing: backup.existing,
        credentials: backup.credentials,
        keepOldVersionsDays: backup.keepOldVersionsDays,
        provider: accounts.providerFor(backup.operatedBy),
      });
    }
    // What the file decommissions is destroyed, and what an earlier version held is forgotten, through the provider
    // configuration its state names: keep them all.
    for (const account of [...plan.decommissioned.flatMap((item) => item.accounts), ...plan.formerHolders]) accounts.providerFor(account);
  }

  /**
   * cdktf's preparing run resolves the whole stack once more before writing it, only to find references to other
   * stacks: a client stack has none (a test checks it), so the run is skipped, a fifth of the synthesis time.
   */
  override prepareStack(): void {
    this.ensureBackendExists();
  }
}
