/**
 * Checks a synthesized stack (`cdk.tf.json`) against the committed provider schemas, offline: unknown resource
 * or data source types, unknown arguments, missing required ones, computed-only attributes set, wrong types.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

type SchemaType = string | [string, SchemaType] | [string, Record<string, SchemaType>];
interface Attribute {
  type?: SchemaType;
  nested_type?: { attributes: Record<string, Attribute>; nesting_mode: string };
  required?: boolean;
  optional?: boolean;
  computed?: boolean;
}
interface Block {
  attributes?: Record<string, Attribute>;
  block_types?: Record<string, { nesting_mode: string; block: Block; min_items?: number; max_items?: number }>;
}
interface ProviderSchemas {
  provider_schemas: Record<
    string,
    { resource_schemas?: Record<string, { block: Block }>; data_source_schemas?: Record<string, { block: Block }> }
  >;
}

export interface SchemaProblem {
  /** e.g. `resource.ovh_vps.vps-staging_order_2B924BA5.plan[0].plan_code` */
  where: string;
  message: string;
}

/** Terraform's own meta-arguments, valid on every resource or data source. */
const META_ARGUMENTS = new Set(['//', 'provider', 'depends_on', 'lifecycle', 'count', 'for_each', 'provisioner', 'connection']);
/** Types that Terraform itself provides. */
const BUILT_IN = new Set(['terraform_data', 'terraform_remote_state']);

export class ProviderSchemaIndex {
  private readonly resources = new Map<string, Block>();
  private readonly dataSources = new Map<string, Block>();

  constructor(schemas: ProviderSchemas[]) {
    for (const schema of schemas) {
      for (const provider of Object.values(schema.provider_schemas)) {
        for (const [name, { block }] of Object.entries(provider.resource_schemas ?? {})) this.resources.set(name, block);
        for (const [name, { block }] of Object.entries(provider.data_source_schemas ?? {})) this.dataSources.set(name, block);
      }
    }
  }

  /** Every `*.json` schema in `dir` (the project's `provider-schema/`). */
  static fromDirectory(dir: string): ProviderSchemaIndex {
    const files = fs.readdirSync(dir).filter((name) => name.endsWith('.json'));
    return new ProviderSchemaIndex(files.map((name) => JSON.parse(fs.readFileSync(path.join(dir, name), 'utf8'))));
  }

  validateStack(stack: {
    resource?: Record<string, Record<string, unknown>>;
    data?: Record<string, Record<string, unknown>>;
  }): SchemaProblem[] {
    const problems: SchemaProblem[] = [];
    const sections = [
      ['resource', stack.resource, this.resources],
      ['data', stack.data, this.dataSources],
    ] as const;
    for (const [section, byType, known] of sections) {
      for (const [type, instances] of Object.entries(byType ?? {})) {
        if (BUILT_IN.has(type)) continue;
        const block = known.get(type);
        if (!block) {
          problems.push({ where: `${section}.${type}`, message: `unknown ${section === 'data' ? 'data source' : 'resource'} type` });
          continue;
        }
        for (const [name, body] of Object.entries(instances)) {
          checkBlock(block, body, `${section}.${type}.${name}`, problems, META_ARGUMENTS);
        }
      }
    }
    return problems;
  }
}

function checkBlock(block: Block, body: unknown, where: string, problems: SchemaProblem[], ignored = new Set<string>()): void {
  if (!isObject(body)) {
    problems.push({ where, message: 'expected an object' });
    return;
  }
  const attributes = block.attributes ?? {};
  const blocks = block.block_types ?? {};
  for (const [key, value] of Object.entries(body)) {
    if (ignored.has(key)) continue;
    const at = `${where}.${key}`;
    const attribute = attributes[key];
    const nested = blocks[key];
    if (attribute) {
      if (attribute.computed && !attribute.optional && !attribute.required)
        problems.push({ where: at, message: 'is computed by the provider and cannot be set' });
      else if (attribute.nested_type)
        checkNested(attribute.nested_type.nesting_mode, value, at, problems, (item, itemAt) =>
          checkBlock({ attributes: attribute.nested_type!.attributes }, item, itemAt, problems),
        );
      else if (attribute.type !== undefined) checkType(attribute.type, value, at, problems);
    } else if (nested) {
      checkNested(nested.nesting_mode, value, at, problems, (item, itemAt) => checkBlock(nested.block, item, itemAt, problems));
    } else {
      problems.push({ where: at, message: 'is not an argument of this type in the provider schema' });
    }
  }
  for (const [key, attribute] of Object.entries(attributes)) {
    if (attribute.required && !(key in body)) problems.push({ where: `${where}.${key}`, message: 'is required' });
  }
  for (const [key, nested] of Object.entries(blocks)) {
    if ((nested.min_items ?? 0) > 0 && !(key in body)) problems.push({ where: `${where}.${key}`, message: 'is a required block' });
  }
}

/** A block or nested attribute: an object, or (list and set nesting) an array of objects. */
function checkNested(
  mode: string,
  value: unknown,
  where: string,
  problems: SchemaProblem[],
  checkItem: (item: unknown, at: string) => void,
): void {
  if (isReference(value)) return;
  if (mode === 'single' || mode === 'group' || !Array.isArray(value)) {
    if (mode !== 'single' && mode !== 'group' && !isObject(value)) problems.push({ where, message: 'expected a list of objects' });
    else checkItem(value, where);
    return;
  }
  value.forEach((item, i) => checkItem(item, `${where}[${i}]`));
}

const JS_TYPES: Record<string, string> = { string: 'string', number: 'number', bool: 'boolean' };

function checkType(type: SchemaType, value: unknown, where: string, problems: SchemaProblem[]): void {
  if (isReference(value) || value === null || type === 'dynamic') return;
  const mismatch = (what: string) => problems.push({ where, message: `expected ${what}, got ${JSON.stringify(value)}` });
  if (typeof type === 'string') {
    if (typeof value !== JS_TYPES[type]) mismatch(`a ${type}`);
    return;
  }
  const [kind, inner] = type;
  if (kind === 'list' || kind === 'set') {
    if (!Array.isArray(value)) return void mismatch(`a ${kind}`);
    value.forEach((item, i) => checkType(inner as SchemaType, item, `${where}[${i}]`, problems));
    return;
  }
  if (!isObject(value)) return void mismatch(`a ${kind}`);
  for (const [key, item] of Object.entries(value)) {
    const itemType = kind === 'map' ? (inner as SchemaType) : (inner as Record<string, SchemaType>)[key];
    if (itemType === undefined) problems.push({ where: `${where}.${key}`, message: 'is not a field of this object type' });
    else checkType(itemType, item, `${where}.${key}`, problems);
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A whole-value Terraform expression, e.g. `${var.x}`: its type is only known to Terraform. */
function isReference(value: unknown): boolean {
  return typeof value === 'string' && value.startsWith('${') && value.endsWith('}');
}
