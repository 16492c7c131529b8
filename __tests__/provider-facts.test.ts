/**
 * The provider facts table against the committed provider schemas: every type has facts, every path the facts name
 * exists, and the helpers the stand-in and the change review read answer as the provider's source says.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  DATA_SOURCE_FACTS,
  RESOURCE_FACTS,
  argumentPath,
  changeEffect,
  dataSourceFacts,
  forcesReplacement,
  importFacts,
  replacingArguments,
  resourceFacts,
  type ResourceFacts,
  type PlanValidation,
} from '../provider-schema/facts';

interface Attribute {
  nested_type?: { attributes: Record<string, Attribute> };
  required?: boolean;
  optional?: boolean;
  computed?: boolean;
}
interface Block {
  attributes?: Record<string, Attribute>;
  block_types?: Record<string, { block: Block }>;
}
type Schemas = Record<string, { block: Block }>;

const schemaDir = path.join(__dirname, '..', 'provider-schema');
const providers = fs
  .readdirSync(schemaDir)
  .filter((name) => name.endsWith('.json'))
  .flatMap((name) => Object.values(JSON.parse(fs.readFileSync(path.join(schemaDir, name), 'utf8')).provider_schemas)) as {
  resource_schemas?: Schemas;
  data_source_schemas?: Schemas;
}[];
const resourceSchemas: Schemas = Object.assign({}, ...providers.map((provider) => provider.resource_schemas ?? {}));
const dataSourceSchemas: Schemas = Object.assign({}, ...providers.map((provider) => provider.data_source_schemas ?? {}));

type Found = { kind: 'attribute'; attribute: Attribute } | { kind: 'block' };

/** The attribute or block at a dotted path (`plan.configuration.label`), through blocks and nested attributes. */
function lookup(block: Block, dotted: string): Found | undefined {
  const [head, ...rest] = dotted.split('.');
  const attribute = block.attributes?.[head];
  if (attribute) {
    if (rest.length === 0) return { kind: 'attribute', attribute };
    return attribute.nested_type ? lookup({ attributes: attribute.nested_type.attributes }, rest.join('.')) : undefined;
  }
  const nested = block.block_types?.[head];
  if (!nested) return undefined;
  return rest.length === 0 ? { kind: 'block' } : lookup(nested.block, rest.join('.'));
}

const validationPaths = (validation: PlanValidation) =>
  validation.kind === 'exactly one of' ? [...validation.paths, validation.reportedAt] : [validation.path];

/** Every argument or attribute path a resource's facts name. */
function pathsNamed(facts: ResourceFacts): string[] {
  return [
    ...(facts.forcesReplacement === 'every argument' ? [] : facts.forcesReplacement.map((rule) => rule.path)),
    ...facts.validations.flatMap(validationPaths),
    ...(facts.import?.setsFromId ?? []),
    ...(facts.import?.hashedFromId ?? []),
    ...(facts.deleteGuard ? [facts.deleteGuard.attribute] : []),
    ...(facts.computedOnUpdate
      ? [...facts.computedOnUpdate.keepsState, ...facts.computedOnUpdate.becomesUnknown, ...(facts.computedOnUpdate.setByPlan ?? [])]
      : []),
  ];
}

const resourceEntries = Object.entries(RESOURCE_FACTS) as [string, ResourceFacts][];

describe('coverage of the committed schemas', () => {
  test('every resource type of the schemas has facts, and every type with facts is in the schemas', () => {
    expect(Object.keys(RESOURCE_FACTS).sort()).toEqual(Object.keys(resourceSchemas).sort());
  });

  test('every data source type of the schemas has facts, and every type with facts is in the schemas', () => {
    expect(Object.keys(DATA_SOURCE_FACTS).sort()).toEqual(Object.keys(dataSourceSchemas).sort());
  });

  test.each(resourceEntries)('every path the facts of %s name exists in its schema', (type, facts) => {
    const missing = pathsNamed(facts).filter((named) => !lookup(resourceSchemas[type].block, named));
    expect(missing).toEqual([]);
  });

  test.each(Object.entries(DATA_SOURCE_FACTS))('every path the facts of data source %s name exists in its schema', (type, facts) => {
    const named = [...facts.computed, ...(facts.validations as readonly PlanValidation[]).flatMap(validationPaths)];
    expect(named.filter((each) => !lookup(dataSourceSchemas[type].block, each))).toEqual([]);
  });
});

describe('consistency with the schemas', () => {
  const attributeAt = (type: string, dotted: string) => {
    const found = lookup(resourceSchemas[type].block, dotted);
    return found?.kind === 'attribute' ? found.attribute : undefined;
  };

  test.each(resourceEntries.filter(([, facts]) => facts.framework))(
    '%s: every top-level computed attribute keeps its state, turns unknown or is planned by the provider on update',
    (type, facts) => {
      const listed = [
        ...(facts.computedOnUpdate?.keepsState ?? []),
        ...(facts.computedOnUpdate?.becomesUnknown ?? []),
        ...(facts.computedOnUpdate?.setByPlan ?? []),
      ];
      const computed = Object.entries(resourceSchemas[type].block.attributes ?? {})
        .filter(([, attribute]) => attribute.computed)
        .map(([name]) => name);
      expect(listed.filter((name) => !name.includes('.')).sort()).toEqual(computed.sort());
      expect(listed.filter((name) => !attributeAt(type, name)?.computed)).toEqual([]);
    },
  );

  test.each(resourceEntries.filter(([, facts]) => !facts.framework))(
    '%s (SDKv2) lists no framework-only planning facts',
    (_type, facts) => {
      expect(facts.computedOnUpdate).toBeUndefined();
    },
  );

  test.each(resourceEntries.filter(([, facts]) => facts.forcesReplacement !== 'every argument'))(
    '%s: block rules name blocks, and SDKv2 "changed while set" rules name optional+computed attributes',
    (type, facts) => {
      const rules = facts.forcesReplacement === 'every argument' ? [] : facts.forcesReplacement;
      for (const rule of rules) {
        const found = lookup(resourceSchemas[type].block, rule.path);
        if (rule.when === 'block added or removed') expect({ rule, kind: found?.kind }).toEqual({ rule, kind: 'block' });
        else expect({ rule, kind: found?.kind }).toEqual({ rule, kind: 'attribute' });
        if (!facts.framework && rule.when === 'changed while set') {
          const attribute = attributeAt(type, rule.path);
          expect({ rule, optional: attribute?.optional, computed: attribute?.computed }).toEqual({ rule, optional: true, computed: true });
        }
      }
    },
  );
});

describe('replacement as the provider plans it', () => {
  test('an instance is replaced by a top-level argument, but a change inside a block is an update that fails at apply', () => {
    expect(changeEffect('ovh_cloud_project_instance', 'user_data')).toBe('replacement');
    expect(changeEffect('ovh_cloud_project_instance', 'region')).toBe('replacement');
    expect(changeEffect('ovh_cloud_project_instance', 'flavor')).toBe('replacement');
    expect(changeEffect('ovh_cloud_project_instance', 'flavor[0].flavor_id')).toBe('update fails at apply');
    expect(changeEffect('ovh_cloud_project_instance', 'boot_from.0.image_id')).toBe('update fails at apply');
    expect(changeEffect('ovh_cloud_project_instance', 'auto_backup[0].cron')).toBe('replacement');
  });

  test('a new duration replaces a VPS (its plan is RequiresReplaceIfConfigured), not an SDKv2 order', () => {
    expect(changeEffect('ovh_vps', 'plan[0].duration')).toBe('replacement');
    expect(changeEffect('ovh_vps', 'display_name')).toBe('update in place');
    expect(changeEffect('ovh_vps', 'plan_option[0].plan_code')).toBe('update in place');
    expect(changeEffect('ovh_domain_zone', 'plan[0].duration')).toBe('update fails at apply');
    expect(changeEffect('ovh_cloud_project', 'plan[0].duration')).toBe('update in place');
    expect(changeEffect('ovh_hosting_privatedatabase', 'plan')).toBe('replacement');
  });

  test('a bucket is replaced by a new name or region, while a new project is an update in place', () => {
    expect(forcesReplacement('ovh_cloud_project_storage', 'name')).toBe(true);
    expect(forcesReplacement('ovh_cloud_project_storage', 'region_name')).toBe(true);
    expect(changeEffect('ovh_cloud_project_storage', 'service_name')).toBe('update in place');
    expect(forcesReplacement('ovh_cloud_project_storage', 'object_lock.status')).toBe(true);
    expect(forcesReplacement('ovh_cloud_project_storage', 'object_lock.rule.period')).toBe(false);
  });

  test('types that replace on any change, and the path lists the review reads', () => {
    expect(forcesReplacement('ovh_cloud_project_ssh_key', 'public_key')).toBe(true);
    expect(replacingArguments('ovh_cloud_project_user_s3_credential')).toBe('every argument');
    expect(replacingArguments('ovh_domain_name')).toEqual([
      'domain_name',
      'ovh_subsidiary',
      'plan',
      'plan.plan_code',
      'plan.configuration.label',
      'plan.configuration.value',
    ]);
    expect(() => forcesReplacement('ovh_hosting_web', 'plan')).toThrow('No provider facts for resource type ovh_hosting_web');
  });

  test('argument paths lose their indexes in either notation', () => {
    expect(argumentPath('plan[0].configuration[1].value')).toBe('plan.configuration.value');
    expect(argumentPath('network.0.private.0.ip')).toBe('network.private.ip');
  });
});

describe('import as the provider accepts it', () => {
  const accepts = (type: string, id: string) => importFacts(type)!.pattern.test(id);

  test('types without an importer', () => {
    for (const type of [
      'ovh_cloud_project_instance',
      'ovh_email_domain_account',
      'ovh_domain_zone_redirection',
      'ovh_cloud_project_ssh_key',
    ]) {
      expect({ type, import: importFacts(type) }).toEqual({ type, import: undefined });
    }
  });

  test('a record id is the record id, a dot, then the zone', () => {
    expect(accepts('ovh_domain_zone_record', '5138712.example.com')).toBe(true);
    expect(accepts('ovh_domain_zone_record', '5138712')).toBe(false);
    expect(importFacts('ovh_domain_zone_record')!.stateFromId('5138712.sub.example.com')).toEqual({
      id: '5138712',
      zone: 'sub.example.com',
    });
    expect(importFacts('ovh_domain_zone_record')!.badIdError).toEqual({ summary: 'Import Id is not OVH_ID.zone formatted' });
  });

  test('a bucket id has exactly three slash-separated parts', () => {
    expect(accepts('ovh_cloud_project_storage', 'abc123/GRA/backups')).toBe(true);
    expect(accepts('ovh_cloud_project_storage', 'abc123/backups')).toBe(false);
    expect(accepts('ovh_cloud_project_storage', 'abc123/GRA/backups/extra')).toBe(false);
    expect(importFacts('ovh_cloud_project_storage')!.stateFromId('abc123/GRA/backups')).toEqual({
      service_name: 'abc123',
      region_name: 'GRA',
      name: 'backups',
    });
  });

  test('users, keys and policies are addressed through their project', () => {
    expect(accepts('ovh_cloud_project_user', 'abc123/4242')).toBe(true);
    expect(accepts('ovh_cloud_project_user', '4242')).toBe(false);
    expect(accepts('ovh_cloud_project_user_s3_credential', 'abc123/4242/AKIA1')).toBe(true);
    expect(accepts('ovh_cloud_project_user_s3_credential', 'abc123/4242')).toBe(false);
    expect(importFacts('ovh_cloud_project_user_s3_credential')!.stateFromId('abc123/4242/AK/x')).toEqual({
      id: 'AK/x',
      service_name: 'abc123',
      user_id: '4242',
    });
    expect(importFacts('ovh_cloud_project_user_s3_policy')!.stateFromId('abc123/4242')).toMatchObject({
      id: 'abc123/4242',
      user_id: '4242',
    });
  });

  test('an imported VPS gets an empty plan, so that its next plan is clean', () => {
    expect(importFacts('ovh_vps')!.stateFromId('vps-1a2b3c.vps.ovh.net')).toEqual({
      id: 'vps-1a2b3c.vps.ovh.net',
      service_name: 'vps-1a2b3c.vps.ovh.net',
      plan: [],
    });
  });

  test.each(resourceEntries.filter(([, facts]) => facts.import))(
    '%s: the state written from an id holds every attribute the importer sets',
    (_type, facts) => {
      const sample = facts.import!.format.replace(/<[^>]+>/g, 'x');
      expect(facts.import!.pattern.test(sample)).toBe(true);
      expect(Object.keys(facts.import!.stateFromId(sample))).toEqual(expect.arrayContaining([...facts.import!.setsFromId]));
    },
  );
});

describe('plan-time validation and failures in the provider’s words', () => {
  test('an instance needs exactly one of ssh_key and ssh_key_create', () => {
    const rule = RESOURCE_FACTS.ovh_cloud_project_instance.validations.find((validation) => validation.kind === 'exactly one of');
    expect(rule).toMatchObject({
      paths: ['ssh_key', 'ssh_key_create'],
      noneSet: { summary: 'Invalid combination of arguments', detail: '"ssh_key": one of `ssh_key,ssh_key_create` must be specified' },
    });
  });

  test('a record TTL is 0 or at least 60', () => {
    const ttl = RESOURCE_FACTS.ovh_domain_zone_record.validations[0];
    expect([0, 59, 60, 3600].map((value) => ttl.accepts(value))).toEqual([true, false, true, true]);
  });

  test('a protected project refuses deletion, and the catalog data source fails when the plan or price is gone', () => {
    expect(resourceFacts('ovh_cloud_project')!.deleteGuard).toMatchObject({ attribute: 'deletion_protection', refusesWhen: true });
    expect(dataSourceFacts('ovh_order_cart_product_plan')!.failures[0].error.summary).toBe(
      'Your query returned no results. Please change your search criteria and try again.',
    );
    expect(dataSourceFacts('ovh_order_cart')!.createsCart).toBe(true);
  });
});
