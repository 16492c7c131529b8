/**
 * The provider stand-in's planning against the facts table's rules, on the committed schemas: the cases where the two
 * SDKs differ, which the scenario tests do not all reach.
 */
import { resourceFacts } from '../provider-schema/facts';
import { planChange } from '../standins/provider/planning';
import { blockType, conform, UNKNOWN, type ObjectValue, type Schema } from '../standins/provider/values';
import ovhSchemas from '../provider-schema/ovh.json';

const schemas = ovhSchemas.provider_schemas['registry.terraform.io/ovh/ovh'].resource_schemas as unknown as Record<string, Schema>;

/** A full object of `type` from a few attributes, as Terraform sends it. */
const full = (type: string, attributes: ObjectValue) => conform(attributes, blockType(schemas[type].block)) as ObjectValue;

function plan(type: string, prior: ObjectValue | null, config: ObjectValue) {
  const block = schemas[type].block;
  const configured = full(type, config);
  // Terraform's proposed new state: the configuration, with the prior values of computed attributes it leaves null.
  const proposed = Object.fromEntries(
    Object.entries(configured).map(([name, value]) => [
      name,
      value === null && prior && block.attributes?.[name]?.computed ? (prior[name] ?? null) : value,
    ]),
  );
  return planChange({ block, facts: resourceFacts(type)!, prior: prior && full(type, prior), proposed, config: configured });
}

const order = (planCode: string, configuration = [{ label: 'zone', value: 'alpha.be' }]) => [
  { plan_code: planCode, duration: 'P1M', pricing_mode: 'default', configuration },
];

test('SDKv2 order: a plan code changed inside the plan block is an update (ForceNew on a block counts blocks only)', () => {
  const prior = { id: 'alpha.be', name: 'alpha.be', plan: order('zone') };
  expect(plan('ovh_domain_zone', prior, { plan: order('zone-2') }).requiresReplace).toEqual([]);
  expect(plan('ovh_domain_zone', prior, {}).requiresReplace).toEqual(['plan']);
});

test('framework order: a new plan code replaces the VPS; computed attributes turn unknown on any update', () => {
  const vpsPlan = order('vps-2025-model1', [{ label: 'vps_os', value: 'Debian 12' }]);
  const prior = { id: 'vps-1.vps.ovh.net', service_name: 'vps-1.vps.ovh.net', display_name: 'web', plan: vpsPlan };
  expect(plan('ovh_vps', prior, { plan: [{ ...vpsPlan[0], plan_code: 'vps-2025-model2' }], display_name: 'web' }).requiresReplace).toEqual([
    'plan',
  ]);
  const renamed = plan('ovh_vps', prior, { plan: vpsPlan, display_name: 'shop' });
  expect(renamed.requiresReplace).toEqual([]);
  expect((renamed.planned as ObjectValue).service_name).toBe(UNKNOWN);
});

test('an imported VPS (plan set to [] by its importer) is not replaced by a configuration without plan', () => {
  const imported = { id: 'vps-1.vps.ovh.net', service_name: 'vps-1.vps.ovh.net', display_name: 'vps-1.vps.ovh.net', plan: [] };
  expect(plan('ovh_vps', imported, { display_name: 'web' }).requiresReplace).toEqual([]);
});

test('a bucket moved to another project is updated in place; renamed, it is replaced', () => {
  const prior = { service_name: 'a'.repeat(32), region_name: 'GRA', name: 'alpha-be-files' };
  expect(plan('ovh_cloud_project_storage', prior, { ...prior, service_name: 'b'.repeat(32) }).requiresReplace).toEqual([]);
  expect(plan('ovh_cloud_project_storage', prior, { ...prior, name: 'alpha-be-site' }).requiresReplace).toEqual(['name']);
});

test('a new object plans every computed attribute the configuration leaves null as unknown', () => {
  const created = plan('ovh_cloud_project_user_s3_credential', null, { service_name: 'p', user_id: '1' }).planned as ObjectValue;
  expect([created.access_key_id, created.secret_access_key, created.service_name]).toEqual([UNKNOWN, UNKNOWN, 'p']);
});
