/**
 * One construct per kind of OVH service (`policy/service-kinds.ts`), each over the shared order helper
 * (`ovh-service.ts`). A kind without its construct here does not compile.
 */
import type { Construct } from 'constructs';
import type { ServiceKind } from '../../policy/service-kinds';
import { EmailDomainService, WebHostingService } from './by-hand';
import { CloudProjectService } from './cloud-project';
import { DnsZoneService } from './dns-zone';
import { DomainService } from './domain';
import type { IOvhService, OvhServiceProps } from './ovh-service';
import { PrivateDatabaseService } from './private-database';
import { VpsService } from './vps';

export type { IOvhService, OvhServiceProps } from './ovh-service';

const SERVICE_CONSTRUCTS: { readonly [K in ServiceKind]: new (scope: Construct, id: string, props: OvhServiceProps<K>) => IOvhService } = {
  domain: DomainService,
  dnsZone: DnsZoneService,
  vps: VpsService,
  privateDatabase: PrivateDatabaseService,
  emailDomain: EmailDomainService,
  webHosting: WebHostingService,
  cloudProject: CloudProjectService,
};

/** The construct of `props.service`'s kind, at the service's id. */
export function ovhService(scope: Construct, props: OvhServiceProps): IOvhService {
  const ServiceConstruct = SERVICE_CONSTRUCTS[props.service.kind] as new (
    scope: Construct,
    id: string,
    props: OvhServiceProps,
  ) => IOvhService;
  return new ServiceConstruct(scope, props.service.id, props);
}
