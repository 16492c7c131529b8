/**
 * A provider stand-in: the protocol's RPCs over a committed schema, the provider facts table, and a table of kinds
 * that say where each object lives at OVH and what OVH fills in. Everything it does to the world is recorded, with
 * the account that did it (known from its credentials, at ConfigureProvider).
 */
import * as fs from 'node:fs';
import { randomBytes } from 'node:crypto';
import * as https from 'node:https';
import {
  NOT_IMPORTABLE,
  OVH_API_ERROR,
  resourceFacts,
  type Diagnostic as FactDiagnostic,
  type ResourceFacts,
  type PlanValidation,
} from '../../provider-schema/facts';
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
  /** Values given to arguments the configuration leaves null (SDKv2 `Default`, framework defaults). */
  defaults?: Defaults;
  /** A billed service: the OVH API stand-in hears of its order (with the ordering account as every contact). */
  billed?: 'service' | 'domain';
  /** What the provider's Read (and Update) make of OVH's answer merged into the state, when it is more than that merge. */
  read?(merged: ObjectValue): ObjectValue;
  /** Why OVH refuses to create it, given what exists: the API's error, or undefined when it accepts. */
  refusal?(planned: ObjectValue, world: World): string | undefined;
  /** What OVH delivers with it, in the same order and to the same account (a domain's DNS zone). */
  comesWith?(created: ObjectValue): DeliveredWith[];
}

/** A service OVH adds to an order: where it lives, the resource type that would manage it, what OVH fills in. */
export interface DeliveredWith {
  route: string;
  type: string;
  attributes: ObjectValue;
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

/** go-ovh's words for an API error (the facts' `OVH_API_ERROR`), as the provider passes them on. */
export function apiError(code: number, errorClass: string, message: string): string {
  return fill(OVH_API_ERROR, { code: String(code), class: errorClass, message, queryId: `EU.ext-standin.${process.pid}` });
}

export const NOT_FOUND = apiError(404, 'Client::NotFound', 'This service does not exist');

/** A fact's wording with its `{name}` placeholders filled where `values` has them. */
export function fill(text: string, values: Record<string, Value | undefined>): string {
  return text.replace(/\{([a-z_A-Z]+)\}/g, (whole, name: string) => {
    const value = values[name];
    return value === undefined || value === null || typeof value === 'object' ? whole : String(value);
  });
}

export function factError(diagnostic: FactDiagnostic, values: Record<string, Value | undefined>, attribute?: string): ProviderError {
  return new ProviderError(fill(diagnostic.summary, values), fill(diagnostic.detail ?? '', values), attribute);
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
        resource_schemas: Object.fromEntries(
          Object.entries(schemas.resource_schemas).map(([type, schema]) => [type, schemaMessage(schema)]),
        ),
        data_source_schemas: Object.fromEntries(
          Object.entries(schemas.data_source_schemas ?? {}).map(([type, schema]) => [type, schemaMessage(schema)]),
        ),
        server_capabilities: capabilities,
      }),
      GetFunctions: () => ({ functions: {} }),
      StopProvider: () => ({}),
      ValidateProviderConfig: () => ({}),
      ValidateResourceConfig: guarded((request) => ({
        diagnostics: this.validate(String(request.type_name), readDynamic(request.config as DynamicMessage)).map(diagnosticMessage),
      })),
      ValidateDataResourceConfig: () => ({}),
      ConfigureProvider: guarded((request) => {
        const config = readDynamic(request.config as DynamicMessage);
        this.account = this.definition.configure(isObject(config) ? config : {}, this.world);
        return {};
      }),
      UpgradeResourceState: guarded((request) => this.upgrade(String(request.type_name), request.raw_state as { json?: Uint8Array })),
      ReadResource: guarded((request) =>
        this.read(String(request.type_name), readDynamic(request.current_state as DynamicMessage), request.private as Uint8Array),
      ),
      PlanResourceChange: guarded((request) => this.plan(request)),
      ApplyResourceChange: guarded((request) => this.apply(request)),
      ImportResourceState: guarded((request) => this.import(String(request.type_name), String(request.id))),
      ReadDataSource: guarded((request) => this.readData(String(request.type_name), readDynamic(request.config as DynamicMessage))),
    };
  }

  /** The facts' plan-time validations, in the provider's (or its SDK's) wording; unknown values are not judged. */
  private validate(type: string, config: Value): Diagnostic[] {
    const facts = resourceFacts(type);
    if (!facts || !isObject(config)) return [];
    return facts.validations.flatMap((validation) => validationProblems(validation, config, facts.framework));
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
      if (gone === 'keeps state') return { new_state: dynamic(state, schema), private: privateData };
      throw factError(gone.error, { ...state, apiError: NOT_FOUND });
    }
    // What OVH knows wins; what it never returns (secrets, order arguments) stays as in the state.
    const merged = { ...state, ...found.attributes };
    return { new_state: dynamic(kind.read ? kind.read(merged) : merged, schema), private: privateData };
  }

  /** What a plan or apply request is about: the type, its schema, facts and kind, and the prior state. */
  private subject(request: Request) {
    const type = String(request.type_name);
    return {
      type,
      schema: this.schema(type),
      facts: this.facts(type),
      kind: this.kind(type),
      prior: readDynamic(request.prior_state as DynamicMessage),
    };
  }

  private plan(request: Request): Request {
    const { schema, facts, kind, prior } = this.subject(request);
    const config = readDynamic(request.config as DynamicMessage);
    const { planned, requiresReplace } = planChange({
      block: schema.block,
      facts,
      prior,
      proposed: readDynamic(request.proposed_new_state as DynamicMessage),
      config,
      defaults: kind.defaults,
    });
    return {
      planned_state: dynamic(planned, schema),
      requires_replace: requiresReplace.map((name) => ({ steps: [{ attribute_name: name }] })),
      planned_private: request.prior_private,
      legacy_type_system: !facts.framework,
    };
  }

  private async apply(request: Request): Promise<Request> {
    const { type, schema, facts, kind, prior } = this.subject(request);
    const planned = readDynamic(request.planned_state as DynamicMessage);
    const answer = (state: Value) => ({
      new_state: dynamic(state, schema),
      private: request.planned_private,
      legacy_type_system: !facts.framework,
    });

    if (!isObject(planned)) {
      if (isObject(prior)) await this.delete(type, kind, facts, prior);
      return answer(null);
    }
    if (!isObject(prior)) return answer(await this.create(type, schema, kind, planned));
    // An update ends as the provider's Read does (the storage's Update, too, hides its objects).
    const settled = settle(planned, prior) as ObjectValue;
    const updated = kind.read ? kind.read(settled) : settled;
    if (facts.update !== 'in place') {
      // The SDK still writes the planned values to the state (terraform-plugin-sdk#1314): the next plan is clean.
      this.record('refuse', type, kind.route?.(prior) ?? String(prior.id ?? ''), facts.update.unsupported.summary);
      return { ...answer(updated), diagnostics: [diagnosticMessage(factError(facts.update.unsupported, updated).diagnostic())] };
    }
    if (kind.route) {
      const route = kind.route(updated);
      const existing = this.world!.get(route);
      this.world!.put({
        route,
        type,
        attributes: withoutSensitive(schema.block, updated),
        account: existing?.account ?? this.account?.key ?? '',
      });
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
      throw new ProviderError(
        `calling Post ${route.slice(0, route.lastIndexOf('/'))}`,
        `OVHcloud API error (status code 404): Client::NotFound: "${parent} does not exist"`,
      );
    }
    const refusal = kind.refusal?.(created, this.world!);
    if (refusal) {
      this.record('refuse', type, route, refusal);
      throw new ProviderError(`calling Post ${route.slice(0, route.lastIndexOf('/'))}`, refusal);
    }
    if (this.world!.get(route)) {
      this.record('refuse', type, route, 'already exists');
      throw new ProviderError(
        `calling Post ${route.slice(0, route.lastIndexOf('/'))}`,
        `OVHcloud API error (status code 409): Client::Conflict::AlreadyExists: "${route.split('/').pop()} already exists"`,
      );
    }
    this.world!.put({ route, type, attributes: withoutSensitive(schema.block, created), account: context.account?.key ?? '' });
    this.record('create', type, route);
    if (kind.billed)
      await this.tellOvhApi('POST', {
        route,
        contacts: this.accountAsContacts(),
        ...(kind.billed === 'domain' ? { whoisOwner: context.account?.contactIds[0] } : {}),
      });
    for (const delivered of kind.comesWith?.(created) ?? []) {
      this.world!.put({ ...delivered, account: context.account?.key ?? '' });
      this.record('create', delivered.type, delivered.route);
      await this.tellOvhApi('POST', { route: delivered.route, contacts: this.accountAsContacts() });
    }
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
      const refusal = factError(guard.error, prior);
      this.record('refuse', type, route, refusal.summary);
      throw refusal;
    }
    this.world!.delete(route);
    this.record('delete', type, route);
    if (kind.billed) await this.tellOvhApi('DELETE', undefined, route);
  }

  /** The importer of the facts: its id format, its error for a bad id, the state it writes from the id. */
  private import(type: string, id: string): Request {
    const schema = this.schema(type);
    const facts = this.facts(type);
    const kind = this.kind(type);
    if (!facts.import) {
      const refusal = factError(facts.framework ? NOT_IMPORTABLE.framework : NOT_IMPORTABLE.sdk, { type });
      this.record('refuse', type, id, refusal.summary);
      throw refusal;
    }
    if (!facts.import.pattern.test(id)) {
      const refusal = factError(facts.import.badIdError ?? { summary: `cannot import ${type} from "${id}"` }, { id });
      this.record('refuse', type, id, refusal.summary);
      throw refusal;
    }
    const fromId = facts.import.stateFromId(id) as ObjectValue;
    // Hashed from the id by bcrypt (random_password's bcrypt_hash): shaped alike, never read by the stacks.
    const hashed = Object.fromEntries((facts.import.hashedFromId ?? []).map((name) => [name, bcryptShaped()]));
    const state = { ...fromId, ...hashed };
    this.record('import', type, kind.route ? kind.route(state) : String(state.id ?? id));
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
          response.on('end', () =>
            response.statusCode && response.statusCode < 300
              ? resolve()
              : reject(new Error(`the OVH API stand-in answered ${response.statusCode}`)),
          );
        },
      );
      request.on('error', reject);
      request.end(payload);
    });
  }
}

/** A string shaped like a bcrypt hash (cost 10). */
export function bcryptShaped(): string {
  return `$2a$10$${randomBytes(40)
    .toString('base64')
    .replace(/[^A-Za-z0-9]/g, '')
    .slice(0, 53)}`;
}

/** The values at a dotted path with their indexed paths (`rules[0].status`), through lists, sets and maps. */
function valuesWithPaths(value: Value, steps: string[], prefix = ''): { path: string; value: Value }[] {
  if (value === null || value === undefined) return [];
  if (Array.isArray(value)) return value.flatMap((element, i) => valuesWithPaths(element, steps, `${prefix}[${i}]`));
  if (steps.length === 0) return [{ path: prefix, value }];
  if (!isObject(value)) return [];
  return valuesWithPaths(value[steps[0]] ?? null, steps.slice(1), prefix ? `${prefix}.${steps[0]}` : steps[0]);
}

/** One validation of the facts against a configuration. Rules the facts state in words only are not judged. */
function validationProblems(validation: PlanValidation, config: ObjectValue, framework: boolean): Diagnostic[] {
  const shown = (value: Value) => (framework && typeof value === 'string' ? JSON.stringify(value) : String(value));
  const problem = (diagnostic: FactDiagnostic, path: string, value: Value) =>
    factError(diagnostic, { value: shown(value), path }, path.replace(/\[(\d+)\]/g, '.$1')).diagnostic();
  switch (validation.kind) {
    case 'exactly one of': {
      const values = validation.paths.map((path) => config[path] ?? null);
      if (values.some((value) => value === UNKNOWN)) return [];
      const set = values.filter((value) => value !== null && !(Array.isArray(value) && value.length === 0)).length;
      if (set === 1) return [];
      return [{ ...(set === 0 ? validation.noneSet : validation.severalSet), attribute: validation.reportedAt }];
    }
    case 'one of values':
      return valuesWithPaths(config, validation.path.split('.'))
        .filter(({ value }) => typeof value === 'string')
        .filter(({ value }) => !validation.values.includes(validation.ignoresCase ? (value as string).toLowerCase() : (value as string)))
        .map(({ path, value }) => problem(validation.error, path, validation.ignoresCase ? (value as string).toLowerCase() : value));
    case 'matches':
      return valuesWithPaths(config, validation.path.split('.'))
        .filter(({ value }) => typeof value === 'string' && !validation.pattern.test(value))
        .map(({ path, value }) => problem(validation.error, path, value));
    case 'number':
      return valuesWithPaths(config, validation.path.split('.'))
        .filter(({ value }) => typeof value === 'number' && !validation.accepts(value))
        .map(({ path, value }) => problem(validation.error, path, value));
    case 'across attributes':
      return [];
  }
}

/** The data source's answer with every attribute of its schema, null where it said nothing. */
function conformed(schema: Schema, value: ObjectValue): ObjectValue {
  return conform(value, blockType(schema.block)) as ObjectValue;
}
