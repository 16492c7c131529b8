/**
 * The ids of the agency's shared stack that the contacts tool needs too, in a module of their own so that the
 * tool finds them without loading the stack's constructs and provider bindings.
 */
import type { AgencyPlan } from '../policy/procedure';

export const AGENCY_STACK = 'agency';

/** The id of a shared project in the agency stack: its construct ids, and its service id for the contacts tool. */
export function sharedProjectServiceId(project: AgencyPlan['sharedProjects'][number]): string {
  return `project-${project.name.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`;
}
