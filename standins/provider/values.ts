/**
 * Terraform's values as they cross the plugin protocol, and the schemas that type them.
 *
 * Values travel as msgpack (hashicorp/terraform, docs/plugin-protocol/object-wire-format.md): objects and maps as
 * msgpack maps, lists, sets and tuples as arrays, null as nil, and a value not yet known as the msgpack extension 0
 * (cty's own encoding; a refined unknown, which carries what is already known of it, is extension 12). Objects must
 * carry every attribute of their type, null or not: `conform` makes a value fit its type before it is sent.
 */
import { decode, encode, ExtensionCodec } from '@msgpack/msgpack';

/** A value Terraform does not know yet (known after apply). */
export class Unknown {
  private constructor() {}
  static readonly value = new Unknown();
}
export const UNKNOWN = Unknown.value;

export type Value = null | string | number | boolean | Unknown | Value[] | { [name: string]: Value };
export type ObjectValue = { [name: string]: Value };

/** Types in cty's JSON notation, as `terraform providers schema -json` writes them. */
export type CtyType =
  'string' | 'number' | 'bool' | 'dynamic' | ['list' | 'set' | 'map', CtyType] | ['object', Record<string, CtyType>] | ['tuple', CtyType[]];

/** A schema block, in the format of `terraform providers schema -json` (the committed `provider-schema/*.json`). */
export interface Block {
  attributes?: Record<string, Attribute>;
  block_types?: Record<string, NestedBlock>;
}

export interface Attribute {
  type?: CtyType;
  nested_type?: { attributes: Record<string, Attribute>; nesting_mode: 'single' | 'list' | 'set' | 'map' };
  required?: boolean;
  optional?: boolean;
  computed?: boolean;
  sensitive?: boolean;
}

export interface NestedBlock {
  nesting_mode: 'single' | 'group' | 'list' | 'set' | 'map';
  block: Block;
  min_items?: number;
  max_items?: number;
}

export interface Schema {
  version: number;
  block: Block;
}

const UNKNOWN_EXTENSION = 0;
const REFINED_UNKNOWN_EXTENSION = 12;

const extensions = new ExtensionCodec();
extensions.register({
  type: UNKNOWN_EXTENSION,
  encode: (value) => (value === UNKNOWN ? Uint8Array.of(0) : null),
  decode: () => UNKNOWN,
});
extensions.register({ type: REFINED_UNKNOWN_EXTENSION, encode: () => null, decode: () => UNKNOWN });

export function fromMsgpack(bytes: Uint8Array | undefined): Value {
  if (!bytes || bytes.length === 0) return null;
  return decode(bytes, { extensionCodec: extensions }) as Value;
}

export function toMsgpack(value: Value, type: CtyType): Uint8Array {
  return encode(conform(value, type), { extensionCodec: extensions });
}

export const isObject = (value: Value | undefined): value is ObjectValue =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Unknown);

/** Makes `value` fit `type`: every object attribute present, extra ones dropped, primitives converted as cty does. */
export function conform(value: Value | undefined, type: CtyType): Value {
  if (value === undefined || value === null) return null;
  if (value === UNKNOWN) return UNKNOWN;
  if (type === 'string') return typeof value === 'object' ? JSON.stringify(value) : String(value);
  if (type === 'number') return typeof value === 'number' ? value : Number(value);
  if (type === 'bool') return value === true || value === 'true';
  if (type === 'dynamic') throw new Error('the provider stand-in does not handle attributes of dynamic type');
  const [kind, inner] = type;
  switch (kind) {
    case 'list':
    case 'set':
      return Array.isArray(value) ? value.map((item) => conform(item, inner)) : null;
    case 'tuple':
      return Array.isArray(value) ? inner.map((itemType, i) => conform(value[i], itemType)) : null;
    case 'map':
      return isObject(value) ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, conform(v, inner)])) : null;
    case 'object':
      return isObject(value) ? Object.fromEntries(Object.entries(inner).map(([k, t]) => [k, conform(value[k], t)])) : null;
  }
}

export function blockType(block: Block): CtyType {
  const attributes = Object.entries(block.attributes ?? {}).map(([name, attribute]) => [name, attributeType(attribute)] as const);
  const blocks = Object.entries(block.block_types ?? {}).map(([name, nested]) => {
    const object = blockType(nested.block);
    const type: CtyType = nested.nesting_mode === 'single' || nested.nesting_mode === 'group' ? object : [nested.nesting_mode, object];
    return [name, type] as const;
  });
  return ['object', Object.fromEntries([...attributes, ...blocks])];
}

export function attributeType(attribute: Attribute): CtyType {
  if (attribute.type) return attribute.type;
  const { attributes, nesting_mode } = attribute.nested_type!;
  const object = blockType({ attributes });
  return nesting_mode === 'single' ? object : [nesting_mode, object];
}

/** Deep equality of two values; unknown equals nothing, not even unknown. */
export function sameValue(a: Value | undefined, b: Value | undefined): boolean {
  if (a === UNKNOWN || b === UNKNOWN) return false;
  if (a === undefined || a === null || b === undefined || b === null) return (a ?? null) === (b ?? null);
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((item, i) => sameValue(item, b[i]));
  }
  if (isObject(a) || isObject(b)) {
    if (!isObject(a) || !isObject(b)) return false;
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    return [...keys].every((key) => sameValue(a[key], b[key]));
  }
  return a === b;
}

/** Whether any part of `value` is unknown. */
export function hasUnknown(value: Value | undefined): boolean {
  if (value === UNKNOWN) return true;
  if (Array.isArray(value)) return value.some(hasUnknown);
  if (isObject(value)) return Object.values(value).some(hasUnknown);
  return false;
}
