/**
 * Between the protocol's messages and plain values: schemas from the committed `provider-schema/*.json` as
 * `tfplugin6.Schema` messages, DynamicValues, diagnostics and attribute paths.
 */
import { blockType, fromMsgpack, toMsgpack, type Attribute, type Block, type CtyType, type Schema, type Value } from './values';

type Message = Record<string, unknown>;

const NESTING: Record<string, string> = { single: 'SINGLE', group: 'GROUP', list: 'LIST', set: 'SET', map: 'MAP' };

function attributeMessage(name: string, attribute: Attribute): Message {
  const flags = {
    name,
    required: attribute.required ?? false,
    optional: attribute.optional ?? false,
    computed: attribute.computed ?? false,
    sensitive: attribute.sensitive ?? false,
  };
  if (attribute.type) return { ...flags, type: Buffer.from(JSON.stringify(attribute.type)) };
  const nested = attribute.nested_type!;
  return {
    ...flags,
    nested_type: {
      attributes: Object.entries(nested.attributes).map(([n, a]) => attributeMessage(n, a)),
      nesting: NESTING[nested.nesting_mode],
    },
  };
}

function blockMessage(block: Block): Message {
  return {
    attributes: Object.entries(block.attributes ?? {}).map(([name, attribute]) => attributeMessage(name, attribute)),
    block_types: Object.entries(block.block_types ?? {}).map(([name, nested]) => ({
      type_name: name,
      block: blockMessage(nested.block),
      nesting: NESTING[nested.nesting_mode],
      min_items: nested.min_items ?? 0,
      max_items: nested.max_items ?? 0,
    })),
  };
}

export function schemaMessage(schema: Schema): Message {
  return { version: schema.version, block: blockMessage(schema.block) };
}

/** A DynamicValue's content: msgpack as Terraform sends it, or JSON (never with unknowns). */
export function readDynamic(dynamic: { msgpack?: Uint8Array; json?: Uint8Array } | undefined | null): Value {
  if (!dynamic) return null;
  if (dynamic.msgpack && dynamic.msgpack.length > 0) return fromMsgpack(dynamic.msgpack);
  if (dynamic.json && dynamic.json.length > 0) return JSON.parse(Buffer.from(dynamic.json).toString('utf8')) as Value;
  return null;
}

export function dynamic(value: Value, schema: Schema | CtyType): { msgpack: Buffer } {
  const type = isSchema(schema) ? blockType(schema.block) : schema;
  return { msgpack: Buffer.from(toMsgpack(value, type)) };
}

const isSchema = (schema: Schema | CtyType): schema is Schema => typeof schema === 'object' && !Array.isArray(schema);

/** A problem for Terraform to show: an error unless said otherwise; `attribute` as a dotted path (`plan.0.plan_code`). */
export interface Diagnostic {
  summary: string;
  detail?: string;
  severity?: 'ERROR' | 'WARNING';
  attribute?: string;
}

export function diagnosticMessage({ summary, detail = '', severity = 'ERROR', attribute }: Diagnostic): Message {
  return { severity, summary, detail, ...(attribute ? { attribute: attributePath(attribute) } : {}) };
}

/** `a.0.b` as protocol steps: names for attributes, integer keys for list elements. */
export function attributePath(dotted: string): Message {
  return {
    steps: dotted.split('.').map((step) => (/^\d+$/.test(step) ? { element_key_int: Number(step) } : { attribute_name: step })),
  };
}

/** An error that becomes an error diagnostic, as the real provider reports a failed call. */
export class ProviderError extends Error {
  constructor(
    readonly summary: string,
    readonly detail = '',
    readonly attribute?: string,
  ) {
    super(detail ? `${summary}: ${detail}` : summary);
  }

  diagnostic(): Diagnostic {
    return { summary: this.summary, detail: this.detail, attribute: this.attribute };
  }
}
