/**
 * The service kinds' table is complete and agrees with what reads it: every list a client file has is a kind's, every
 * kind's resource has provider facts, and every kind's API route is one the contacts tool asks access for as a route.
 */
import { ClientFile } from '../config/schema';
import { accessRule } from '../contacts';
import { resourceFacts } from '../provider-schema/facts';
import { fileEntry, HOSTING_KINDS, SERVICE_KINDS, type ServiceKind } from '../policy/service-kinds';
import { standardClient } from './support';

const kinds = Object.keys(SERVICE_KINDS) as ServiceKind[];

test('every hosting list of a client file is a kind’s, so that no entry is left unplanned', () => {
  const { hosting } = ClientFile.parse(standardClient);
  expect(HOSTING_KINDS.map((kind) => fileEntry(kind).list[1]).sort()).toEqual(Object.keys(hosting).sort());
});

test('construct ids of two kinds never share a prefix', () => {
  const prefixes = kinds.flatMap((kind) => SERVICE_KINDS[kind].entry?.idPrefix ?? []);
  expect(new Set(prefixes).size).toBe(prefixes.length);
});

test.each(kinds)('%s: its resource type has provider facts, and its route is asked for up to the service name', (kind) => {
  const { resource, apiRoute } = SERVICE_KINDS[kind];
  if (resource) expect(resourceFacts(resource)).toBeDefined();
  expect(accessRule('POST', `${apiRoute}/some-service.example/changeContact`)).toBe(`POST ${apiRoute}/*`);
});

test('a kind ordered by hand has no resource, and one that comes with another names a kind', () => {
  for (const kind of kinds) {
    const { ordering, resource } = SERVICE_KINDS[kind];
    if (ordering.by === 'hand') expect(resource).toBeUndefined();
    if (ordering.by === 'another service') expect(kinds).toContain(ordering.comesWith);
  }
});
