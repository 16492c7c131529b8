/** Where each kind of service lives in the OVH API: `GET <route>/serviceInfos`, `POST <route>/changeContact`. */
import type { ServiceKind } from './procedure';

const API_ROUTE_PREFIX: Record<ServiceKind, string> = {
  domain: '/domain',
  dnsZone: '/domain/zone',
  vps: '/vps',
  privateDatabase: '/hosting/privateDatabase',
  emailDomain: '/email/domain',
  webHosting: '/hosting/web',
  cloudProject: '/cloud/project',
};

export function apiRoute(kind: ServiceKind, serviceName: string): string {
  return `${API_ROUTE_PREFIX[kind]}/${serviceName}`;
}
