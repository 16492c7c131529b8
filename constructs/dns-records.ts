import type { ITerraformDependable, TerraformProvider } from 'cdktf';
import { Construct } from 'constructs';
import { DomainZoneRecord } from '../.gen/providers/ovh/domain-zone-record';
import type { DomainSettings } from '../policy/plan';

export interface DnsRecordsProps {
  /** The zone's name, its domain. */
  readonly zone: string;
  readonly records: DomainSettings['records'];
  /** The provider of the account that operates the zone. */
  readonly provider: TerraformProvider;
  /**
   * What the records wait for: the order that brings the zone.
   * @default nothing
   */
  readonly dependsOn?: ITerraformDependable[];
}

/**
 * The records of one DNS zone. A record that exists already (its OVH id in the file) is adopted: imported as
 * `<record id>.<zone>`, the id the provider's importer takes (ovh/terraform-provider-ovh v2.19.0,
 * ovh/resource_domain_zone_record.go), instead of being created a second time.
 */
export class DnsRecords extends Construct {
  constructor(scope: Construct, id: string, props: DnsRecordsProps) {
    super(scope, id);
    // Ids from the record's name and type (not its position), so that reordering the file changes nothing.
    const seen = new Map<string, number>();
    for (const record of props.records) {
      const key = `${record.subdomain || 'apex'}-${record.type}`;
      const count = (seen.get(key) ?? 0) + 1;
      seen.set(key, count);
      const resource = new DomainZoneRecord(this, count === 1 ? key : `${key}-${count}`, {
        provider: props.provider,
        dependsOn: props.dependsOn,
        zone: props.zone,
        subdomain: record.subdomain,
        fieldtype: record.type,
        target: record.target,
        ttl: record.ttl,
      });
      if (record.existing !== undefined) resource.importFrom(`${record.existing}.${props.zone}`, props.provider);
    }
  }
}
