import { TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import type { StateBackend } from '../config/environment';
import type { AgencyFile } from '../config/schema';
import { BackupBucket } from '../constructs/backup-bucket';
import { DnsRecords } from '../constructs/dns-records';
import { Instance } from '../constructs/instance';
import { Mailboxes } from '../constructs/mailboxes';
import { OvhAccounts } from '../constructs/ovh-accounts';
import { OvhService } from '../constructs/ovh-service';
import { mailboxesId, recordsId, type ClientPlan } from '../policy/procedure';
import { useStateBackend } from './state-backend';
import { terraformLiteral } from './terraform-literal';

export interface ClientStackProps {
  plan: ClientPlan;
  ovh: AgencyFile['ovh'];
  state: StateBackend;
}

/** Everything one client has at OVH, in a state of its own. */
export class ClientStack extends TerraformStack {
  constructor(scope: Construct, id: string, props: ClientStackProps) {
    super(scope, id);
    // The one place where the client's data becomes construct input: from here on, every string is literal for Terraform.
    const { plan, ovh } = terraformLiteral({ plan: props.plan, ovh: props.ovh });
    useStateBackend(this, props.state);
    const accounts = new OvhAccounts(this, 'accounts', ovh);
    const client = plan.client.id;

    const ordered = new Map<string, OvhService>();
    for (const service of plan.services) {
      const ovhService = new OvhService(this, service.id, { service, accounts, ovh, client });
      ordered.set(service.id, ovhService);
      const contentOf = { provider: accounts.providerFor(service.managedBy), dependsOn: ovhService.resource && [ovhService.resource] };
      if (service.kind === 'dnsZone' && service.config.records.length > 0) {
        new DnsRecords(this, recordsId(service.id), { zone: service.name, records: service.config.records, ...contentOf });
      }
      if (service.kind === 'emailDomain' && service.config.mailboxes.length > 0) {
        new Mailboxes(this, mailboxesId(service.id), { domain: service.name, mailboxes: service.config.mailboxes, ...contentOf });
      }
    }

    // Asked only by instances and backups, which a decommissioned client's plan does not have.
    const clientProjectId = () => {
      const { project } = plan.cloud;
      return project.shared ? project.id : ordered.get(project.service.id)!.serviceName;
    };
    for (const { id, config } of plan.instances) {
      new Instance(this, id, { projectId: clientProjectId(), config, provider: accounts.providerFor(plan.cloud.managedBy) });
    }
    for (const backup of plan.backups) {
      new BackupBucket(this, backup.id, {
        projectId: typeof backup.projectId === 'string' ? backup.projectId : clientProjectId(),
        region: backup.region,
        bucket: backup.bucket,
        existing: backup.existing,
        provider: accounts.providerFor(backup.managedBy),
      });
    }
  }

  /**
   * cdktf's preparing run resolves the whole stack once more before writing it, only to find references to other
   * stacks: a client stack has none (a test checks it), so the run is skipped, a fifth of the synthesis time.
   */
  override prepareStack(): void {
    this.ensureBackendExists();
  }
}
