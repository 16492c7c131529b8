/**
 * The provider facts table against the committed provider schemas: every resource type has facts, every path the facts
 * name exists, and the helpers the change review reads answer as the provider's source says.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { RESOURCE_FACTS, argumentPath, changeEffect, forcesReplacement, resourceFacts, type ResourceFacts } from '../provider-schema/facts';

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
}[];
const resourceSchemas: Schemas = Object.assign({}, ...providers.map((provider) => provider.resource_schemas ?? {}));

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

/** Every argument or attribute path a resource's facts name. */
function pathsNamed(facts: ResourceFacts): string[] {
  return [
    ...(facts.forcesReplacement === 'every argument' ? [] : facts.forcesReplacement.map((rule) => rule.path)),
    ...(facts.deleteGuard ? [facts.deleteGuard.attribute] : []),
  ];
}

const resourceEntries = Object.entries(RESOURCE_FACTS) as [string, ResourceFacts][];

describe('coverage of the committed schemas', () => {
  test('every resource type of the schemas has facts, and every type with facts is in the schemas', () => {
    expect(Object.keys(RESOURCE_FACTS).sort()).toEqual(Object.keys(resourceSchemas).sort());
  });

  test.each(resourceEntries)('every path the facts of %s name exists in its schema', (type, facts) => {
    const missing = pathsNamed(facts).filter((named) => !lookup(resourceSchemas[type].block, named));
    expect(missing).toEqual([]);
  });
});

describe('consistency with the schemas', () => {
  const attributeAt = (type: string, dotted: string) => {
    const found = lookup(resourceSchemas[type].block, dotted);
    return found?.kind === 'attribute' ? found.attribute : undefined;
  };

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

  test('types that replace on any change, and the arguments that replace a domain name', () => {
    expect(forcesReplacement('ovh_cloud_project_ssh_key', 'public_key')).toBe(true);
    expect(resourceFacts('ovh_cloud_project_user_s3_credential')!.forcesReplacement).toBe('every argument');
    const domain = resourceFacts('ovh_domain_name')!.forcesReplacement;
    expect(domain !== 'every argument' && domain.map((rule) => rule.path)).toEqual([
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

describe('delete as the provider refuses it', () => {
  test('a protected project refuses deletion while its state says so', () => {
    expect(resourceFacts('ovh_cloud_project')!.deleteGuard).toMatchObject({ attribute: 'deletion_protection', refusesWhen: true });
  });
});
