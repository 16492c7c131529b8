/**
 * A provider stand-in: the protocol's RPCs over a committed schema, the provider facts table, and a table of kinds
 * that say where each object lives at OVH and what OVH fills in. Everything it does to the world is recorded, with
 * the account that did it (known from its credentials, at ConfigureProvider).
 */
import * as fs from 'node:fs';
import * as https from 'node:https';
import { resourceFacts, type ResourceFacts } from '../../provider-schema/facts';
import { planChange, type Defaults } from './planning';
import { diagnosticMessage, dynamic, ProviderError, readDynamic, schemaMessage, type Diagnostic } from './protocol';
import type { Handlers } from './plugin-server';
import { conform, blockType, hasUnknown, isObject, UNKNOWN, type Block, type ObjectValue, type Schema, type Value } from './values';
import type { Action, World, WorldAccount } from './world';

export interface Context {
  world: World;
  /** The account this provider process acts as; undefined for providers without accounts (random). */
  account?: WorldAccount;
}

export interface ResourceKind {
  /** Where the object lives in the OVH API, from its attributes (state, plan, or what an import id sets); none for
   * objects that exist only in Terraform's state (a random password). */
  route?(attributes: ObjectValue): string;
  /** What it lives in: it must exist for the object to be created. */
  parent?(attributes: ObjectValue): string;
  /** What the provider or OVH fills in at creation (ids, names...); unknowns left over become null. */
  created(attributes: ObjectValue, context: Context): ObjectValue;
  /** Values given to arguments the configuration leaves null (SDKv2 `Default`). */
  defaults?: Defaults;
  /** Defaults that only a new object gets (framework defaults of optional+computed arguments). */
  createDefaults?: Defaults;
  /** A billed service: the OVH API stand-in hears of its order (with the ordering account as every contact). */
  billed?: 'service' | 'domain';
  /** What the importer sets besides the attributes from the id. */
  imported?: ObjectValue;
}

export interface DataSourceKind {
  read(config: ObjectValue, context: Context): ObjectValue;
}

export interface ProviderSchemas {
  provider: Schema;
  resource_schemas: Record<string, Schema>;
  data_source_schemas?: Record<string, Schema>;
}

export interface ProviderDefinition {
  schemas: ProviderSchemas;
  resources: Record<string, ResourceKind>;
  dataSources: Record<string, DataSourceKind>;
  /** Checks the provider configuration and says which account it is; throws a ProviderError if it cannot act. */
  configure(config: ObjectValue, world: World | undefined): WorldAccount | undefined;
  world: () => World | undefined;
}

type Request = Record<string, unknown>;
type DynamicMessage = { msgpack?: Uint8Array; json?: Uint8Array };

const NOT_FOUND = 'OVHcloud API error (status code 404): Client::NotFound: "This service does not exist"';

/** `%s` in a fact's wording, filled with the variable parts of a route (every other segment, from the end). */
function formatWithRoute(wording: string, route: string): string {
  const segments = route.split('/');
  const count = (wording.match(/%s/g) ?? []).length;
  const values = Array.from({ length: count }, (_, i) => segments[segments.length - 1 - 2 * (count - 1 - i)] ?? '');
  let i = 0;
  return wording.replace(/%s/g, () => values[i++]);
}

/** Fills what is still unknown after apply: from `fill` where it has a value, else null. */
function settle(value: Value, fill: Value): Value {
  if (value === UNKNOWN) return fill === undefined || fill === UNKNOWN ? null : settle(fill, null);
  if (Array.isArray(value)) return value.map((element, i) => settle(element, Array.isArray(fill) ? (fill[i] ?? null) : null));
  if (isObject(value)) {
    const fillObject = isObject(fill) ? fill : {};
    return Object.fromEntries(Object.entries(value).map(([key, element]) => [key, settle(element, fillObject[key] ?? null)]));
  }
  return value;
}

/** The value without its sensitive attributes (top level): what the world may keep. */
function withoutSensitive(block: Block, value: ObjectValue): ObjectValue {
  return Object.fromEntries(Object.entries(value).filter(([name]) => !block.attributes?.[name]?.sensitive));
}

export class StandinProvider {
  private account?: WorldAccount;

  constructor(private readonly definition: ProviderDefinition) {}

  private get world(): World | undefined {
    return this.definition.world();
  }

  private context(): Context {
    return { world: this.world!, account: this.account };
  }

  private schema(type: string): Schema {
    const schema = this.definition.schemas.resource_schemas[type];
    if (!schema) throw new ProviderError(`unknown resource type ${type}`);
    return schema;
  }

  private kind(type: string): ResourceKind {
    const kind = this.definition.resources[type];
    if (!kind) throw new ProviderError(`the provider stand-in does not implement ${type}`);
    return kind;
  }

  private facts(type: string): ResourceFacts {
    const facts = resourceFacts(type);
    if (!facts) throw new ProviderError(`no provider facts for ${type} in provider-schema/facts.ts`);
    return facts;
  }

  private record(action: Action, type: string, id: string, reason?: string): void {
    this.world?.record({
      action,
      type,
      id,
      ...(this.account ? { account: this.account.key, nichandle: this.account.nichandle } : {}),
      ...(reason ? { reason } : {}),
    });
  }

  /** The RPCs, each answering its errors as diagnostics, as the SDKs do. */
  handlers(): Handlers {
    const guarded =
      (handle: (request: Request) => Promise<Request> | Request) =>
      async (request: Request): Promise<Request> => {
        try {
          return await handle(request);
        } catch (error) {
          if (!(error instanceof ProviderError)) throw error;
          return { diagnostics: [diagnosticMessage(error.diagnostic())] };
        }
      };
    const { schemas } = this.definition;
    const capabilities = { plan_destroy: true, get_provider_schema_optional: true };
    return {
      GetMetadata: () => ({
        server_capabilities: capabilities,
        resources: Object.keys(schemas.resource_schemas).map((type_name) => ({ type_name })),
        data_sources: Object.keys(schemas.data_source_schemas ?? {}).map((type_name) => ({ type_name })),
      }),
      GetProviderSchema: () => ({
        provider: schemaMessage(schemas.provider),
        resource_schemas: Object.fromEntries(Object.entries(schemas.resource_schemas).map(([type, schema]) => [type, schemaMessage(schema)])),
        data_source_schemas: Object.fromEntries(Object.entries(schemas.data_source_schemas ?? {}).map(([type, schema]) => [type, schemaMessage(schema)])),
        server_capabilities: capabilities,
      }),
      GetFunctions: () => ({ functions: {} }),
      StopProvider: () => ({}),
      ValidateProviderConfig: () => ({}),
      ValidateResourceConfig: guarded((request) => ({ diagnostics: this.validate(String(request.type_name), readDynamic(request.config as DynamicMessage)).map(diagnosticMessage) })),
      ValidateDataResourceConfig: () => ({}),
      ConfigureProvider: guarded((request) => {
        const config = readDynamic(request.config as DynamicMessage);
        this.account = this.definition.configure(isObject(config) ? config : {}, this.world);
        return {};
      }),
      UpgradeResourceState: guarded((request) => this.upgrade(String(request.type_name), request.raw_state as { json?: Uint8Array })),
      ReadResource: guarded((request) => this.read(String(request.type_name), readDynamic(request.current_state as DynamicMessage), request.private as Uint8Array)),
      PlanResourceChange: guarded((request) => this.plan(request)),
      ApplyResourceChange: guarded((request) => this.apply(request)),
      ImportResourceState: guarded((request) => this.import(String(request.type_name), String(request.id))),
      ReadDataSource: guarded((request) => this.readData(String(request.type_name), readDynamic(request.config as DynamicMessage))),
    };
  }

  /** The facts' plan-time validations, in the SDK's wording. */
  private validate(type: string, config: Value): Diagnostic[] {
    const facts = resourceFacts(type);
    if (!facts || !isObject(config)) return [];
    return facts.validations.flatMap((validation): Diagnostic[] => {
      const isSet = (name: string) => {
        const value = config[name] ?? null;
        return value !== null && !(Array.isArray(value) && value.length === 0);
      };
      if (validation.attributes.some((name) => config[name] === UNKNOWN)) return [];
      const set = validation.attributes.filter(isSet);
      if (set.length === 1) return [];
      if (set.length === 0) return [{ summary: validation.error, attribute: validation.attributes[0] }];
      const all = [...validation.attributes].sort().join(',');
      return [{ summary: `"${validation.attributes[0]}": only one of \`${all}\` can be specified, but \`${set.join(',')}\` were specified.`, attribute: validation.attributes[0] }];
    });
  }

  private upgrade(type: string, raw: { json?: Uint8Array } | undefined): Request {
    const schema = this.schema(type);
    const state = raw?.json && raw.json.length > 0 ? (JSON.parse(Buffer.from(raw.json).toString('utf8')) as Value) : null;
    return { upgraded_state: dynamic(conform(state, blockType(schema.block)), schema) };
  }

  private read(type: string, state: Value, privateData: Uint8Array | undefined): Request {
    const schema = this.schema(type);
    const kind = this.kind(type);
    if (!isObject(state) || !kind.route) return { new_state: dynamic(state, schema), private: privateData };
    const route = kind.route(state);
    const found = this.world!.get(route);
    this.record('read', type, route);
    if (!found) {
      const gone = this.facts(type).readWhenGone;
      if (gone === 'removes from state') return { new_state: dynamic(null, schema) };
      throw new ProviderError(formatWithRoute(gone.error, route), NOT_FOUND);
    }
    // What OVH knows wins; what it never returns (secrets, order arguments) stays as in the state.
    return { new_state: dynamic({ ...state, ...found.attributes }, schema), private: privateData };
  }

  private plan(request: Request): Request {
    const type = String(request.type_name);
    const schema = this.schema(type);
    const facts = this.facts(type);
    const kind = this.kind(type);
    const prior = readDynamic(request.prior_state as DynamicMessage);
    const config = readDynamic(request.config as DynamicMessage);
    const defaults = { ...kind.defaults, ...(isObject(prior) ? {} : kind.createDefaults) };
    const { planned, requiresReplace } = planChange({
      block: schema.block,
      facts,
      prior,
      proposed: readDynamic(request.proposed_new_state as DynamicMessage),
      config,
      defaults,
    });
    return {
      planned_state: dynamic(planned, schema),
      requires_replace: requiresReplace.map((name) => ({ steps: [{ attribute_name: name }] })),
      planned_private: request.prior_private,
      legacy_type_system: !facts.framework,
    };
  }

  private async apply(request: Request): Promise<Request> {
    const type = String(request.type_name);
    const schema = this.schema(type);
    const facts = this.facts(type);
    const kind = this.kind(type);
    const prior = readDynamic(request.prior_state as DynamicMessage);
    const planned = readDynamic(request.planned_state as DynamicMessage);
    const answer = (state: Value) => ({ new_state: dynamic(state, schema), private: request.planned_private, legacy_type_system: !facts.framework });

    if (!isObject(planned)) {
      if (isObject(prior)) await this.delete(type, kind, facts, prior);
      return answer(null);
    }
    if (!isObject(prior)) return answer(await this.create(type, schema, kind, planned));
    const updated = settle(planned, prior) as ObjectValue;
    if (kind.route) {
      const route = kind.route(updated);
      const existing = this.world!.get(route);
      this.world!.put({ route, type, attributes: withoutSensitive(schema.block, updated), account: existing?.account ?? this.account?.key ?? '' });
      this.record('update', type, route);
    }
    return answer(updated);
  }

  private async create(type: string, schema: Schema, kind: ResourceKind, planned: ObjectValue): Promise<ObjectValue> {
    const context = this.context();
    const created = settle(planned, kind.created(planned, context)) as ObjectValue;
    if (!kind.route) {
      this.record('create', type, String(created.id ?? ''));
      return created;
    }
    const route = kind.route(created);
    const parent = kind.parent?.(created);
    if (parent && !this.world!.get(parent)) {
      this.record('refuse', type, route, `${parent} does not exist`);
      throw new ProviderError(`calling Post ${route.slice(0, route.lastIndexOf('/'))}`, `OVHcloud API error (status code 404): Client::NotFound: "${parent} does not exist"`);
    }
    if (this.world!.get(route)) {
      this.record('refuse', type, route, 'already exists');
      throw new ProviderError(`calling Post ${route.slice(0, route.lastIndexOf('/'))}`, `OVHcloud API error (status code 409): Client::Conflict::AlreadyExists: "${route.split('/').pop()} already exists"`);
    }
    this.world!.put({ route, type, attributes: withoutSensitive(schema.block, created), account: context.account?.key ?? '' });
    this.record('create', type, route);
    if (kind.billed) await this.tellOvhApi('POST', { route, contacts: this.accountAsContacts(), ...(kind.billed === 'domain' ? { whoisOwner: context.account?.contactIds[0] } : {}) });
    return created;
  }

  private async delete(type: string, kind: ResourceKind, facts: ResourceFacts, prior: ObjectValue): Promise<void> {
    if (!kind.route) {
      this.record('delete', type, String(prior.id ?? ''));
      return;
    }
    const route = kind.route(prior);
    const guard = facts.deleteGuard;
    if (guard && prior[guard.attribute] === guard.refusesWhen) {
      const reason = formatWithRoute(guard.error, route);
      this.record('refuse', type, route, reason);
      throw new ProviderError(reason);
    }
    this.world!.delete(route);
    this.record('delete', type, route);
    if (kind.billed) await this.tellOvhApi('DELETE', undefined, route);
  }

  private import(type: string, id: string): Request {
    const schema = this.schema(type);
    const facts = this.facts(type);
    const kind = this.kind(type);
    if (!facts.import) {
      const refusal = facts.framework
        ? new ProviderError('Resource Import Not Implemented', 'This resource does not support import. Please contact the provider developer for additional information.')
        : new ProviderError(`resource ${type} doesn't support import`);
      this.record('refuse', type, id, refusal.summary);
      throw refusal;
    }
    const match = facts.import.pattern.exec(id);
    if (!match) {
      this.record('refuse', type, id, facts.import.badIdError);
      const [summary, ...detail] = facts.import.badIdError.split(': ');
      throw new ProviderError(summary, detail.join(': '));
    }
    const parts = match.length > 1 ? match.slice(1) : [id];
    const fromId = Object.fromEntries(facts.import.setsFromId.map((name, i) => [name, parts[i] ?? id]));
    // The SDK's importers always set the resource's id to the import id unless they set it themselves.
    const state = { ...(facts.framework ? {} : { id }), ...kind.imported, ...fromId };
    this.record('import', type, kind.route ? kind.route(state) : id);
    return { imported_resources: [{ type_name: type, state: dynamic(state, schema) }] };
  }

  private readData(type: string, config: Value): Request {
    const schema = this.definition.schemas.data_source_schemas?.[type];
    const kind = this.definition.dataSources[type];
    if (!schema || !kind) throw new ProviderError(`the provider stand-in does not implement data source ${type}`);
    if (!isObject(config) || hasUnknown(config)) throw new ProviderError(`data source ${type} read with unknown configuration`);
    const read = kind.read(config, this.context());
    this.record('read-data', type, String(read.id ?? ''));
    // What the configuration sets stays as set; the rest is what was read.
    const state = Object.fromEntries(Object.entries(conformed(schema, read)).map(([name, value]) => [name, config[name] ?? value]));
    return { state: dynamic(settle(state, null), schema) };
  }

  private accountAsContacts() {
    const nichandle = this.account?.nichandle ?? '';
    return { admin: nichandle, tech: nichandle, billing: nichandle };
  }

  /** Tells the OVH API stand-in (when the world links one) of a service ordered or terminated. */
  private async tellOvhApi(method: 'POST' | 'DELETE', body?: unknown, route?: string): Promise<void> {
    const link = this.world?.ovhApi();
    if (!link) return;
    const url = new URL(`${link.url.replace(/\/+$/, '')}/standin/services${route ? `?route=${encodeURIComponent(route)}` : ''}`);
    const payload = body === undefined ? undefined : JSON.stringify(body);
    await new Promise<void>((resolve, reject) => {
      const request = https.request(
        url,
        {
          method,
          ca: fs.readFileSync(link.certificateFile),
          headers: { 'X-Standin-Token': link.adminToken, ...(payload ? { 'Content-Type': 'application/json' } : {}) },
        },
        (response) => {
          response.resume();
          response.on('end', () => (response.statusCode && response.statusCode < 300 ? resolve() : reject(new Error(`the OVH API stand-in answered ${response.statusCode}`))));
        },
      );
      request.on('error', reject);
      request.end(payload);
    });
  }
}

/** The data source's answer with every attribute of its schema, null where it said nothing. */
function conformed(schema: Schema, value: ObjectValue): ObjectValue {
  return conform(value, blockType(schema.block)) as ObjectValue;
}
