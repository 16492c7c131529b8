/**
 * The OVH name of each service, which the API routes need: the plan knows it for what is named after a domain,
 * for what exists already, and for the agency's shared projects; OVH chooses it for what Terraform orders, so it
 * is then read from the stack's Terraform state.
 */
import type { Settings } from '../core/environment';
import type { Service } from '../policy/plan';
import { SERVICE_KINDS } from '../policy/service-kinds';
import { recordedNames, type RecordedNames } from './terraform-state';

/** The name known from the plan (an existing service's own), or undefined when only the state will tell. */
export function plannedName(service: Service): string | undefined {
  return SERVICE_KINDS[service.kind].namedByOvh ? service.existing : service.name;
}

export class ServiceNames {
  private readonly states = new Map<string, Promise<RecordedNames>>();

  constructor(private readonly settings: Pick<Settings, 'state' | 'outdir'>) {}

  /** The service's OVH name; undefined when Terraform has not ordered it yet. */
  async of(target: { stack: string; service: string; name?: string }): Promise<string | undefined> {
    if (target.name) return target.name;
    let names = this.states.get(target.stack);
    if (!names) {
      names = recordedNames(this.settings, target.stack);
      this.states.set(target.stack, names);
    }
    return (await names).get(target.service);
  }
}
