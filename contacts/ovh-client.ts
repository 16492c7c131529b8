/**
 * One OVH account's API access through the official `@ovhcloud/node-ovh` client, made dependable: every call
 * signed whatever its path, a deadline per attempt, retries with backoff where a retry cannot repeat an effect,
 * answers checked with zod, and errors that keep OVH's status, errorCode, message and query id, never a credential.
 */
import { getSystemErrorName } from 'node:util';
import ovh from '@ovhcloud/node-ovh';
import * as z from 'zod';
import { credentialEnvironment, type ApiCredentials } from '../core/credentials';
import type { OvhEndpoint } from '../policy/plan';
import type { OvhAccount } from '../policy/plan';
import { SERVICE_KINDS } from '../policy/service-kinds';
import { exchange, type Exchange } from './http-exchange';
import { backoffDelay, DeadlineExceeded, timersOf, type RetryPolicy } from './retry';

export type ApiLocation = Pick<ovh.Options, 'endpoint' | 'host' | 'port' | 'basePath'>;

const ApiUrl = z
  .url({ error: 'expected a URL like https://127.0.0.1:8443/1.0' })
  .refine((url) => url.startsWith('https://'), { error: 'expected an https:// URL: the official OVH client speaks HTTPS only' });

/**
 * Where the API is: the agency's endpoint, unless `OVH_IAC_API_URL` points elsewhere (a stand-in in tests).
 * The URL's path is the API's base path; an empty one means node-ovh's default, `/1.0`.
 */
export function apiLocation(endpoint: OvhEndpoint, env: NodeJS.ProcessEnv): ApiLocation {
  const override = env.OVH_IAC_API_URL?.trim();
  if (!override) return { endpoint };
  const parsed = ApiUrl.safeParse(override);
  if (!parsed.success) throw new Error(`environment variable OVH_IAC_API_URL: ${parsed.error.issues[0].message}`);
  const url = new URL(parsed.data);
  return { host: url.hostname, port: Number(url.port || 443), basePath: url.pathname.replace(/\/+$/, '') };
}

/**
 * How a call that failed may be tried again: `idempotent` calls (reads, resending an e-mail) after any transient
 * failure; `once` calls (changeContact, accept, refuse) only when OVH surely did not process them (429, or no
 * connection); otherwise the caller gets an `uncertain` error and decides.
 */
export type Repeat = 'idempotent' | 'once';

/** OVH's error codes about the API key and its signature, as python-ovh's client.py (v1.2.0) tells them apart. */
const AUTHENTICATION_CODES = new Set(['INVALID_KEY', 'INVALID_CREDENTIAL', 'INVALID_SIGNATURE', 'NOT_CREDENTIAL']);
/** The key is valid but its access rules do not cover the route (python-ovh: NotGrantedCall). */
export const NOT_GRANTED = 'NOT_GRANTED_CALL';

export interface Failure {
  /** The HTTP status of OVH's answer; undefined when no answer came. */
  status?: number;
  errorCode?: string;
  ovhMessage?: string;
  queryId?: string;
  /** What came instead of OVH's JSON, or what happened to the connection. */
  detail?: string;
  /** Worth another attempt. */
  transient: boolean;
  /** OVH may have processed the request. */
  reached: boolean;
  /** The connection closed after the request left, before an answer (unlike a deadline, after which it is still open). */
  cut?: boolean;
}

/** `unsent`: a step the call needs first (reading OVH's clock) failed, so the call itself never left. */
export type CallOutcome = 'refused' | 'unavailable' | 'uncertain' | 'unsent';

function describe(failure: Failure): string {
  if (failure.status === undefined) return failure.detail ?? 'no answer';
  const parts = [`HTTP ${failure.status}`, failure.errorCode, failure.ovhMessage ? `"${failure.ovhMessage}"` : failure.detail].filter(
    Boolean,
  );
  return `${parts.join(' ')}${failure.queryId ? ` (OVH query id ${failure.queryId})` : ''}`;
}

/**
 * The access rule a key needs for a route: its static segments, then `*` from the first name or id on
 * (`POST /vps/*` for `POST /vps/vps-1.ovh.net/changeContact`).
 */
const STATIC_SEGMENTS = new Set([
  ...Object.values(SERVICE_KINDS).flatMap((row) => row.apiRoute.split('/').filter(Boolean)),
  // The account's own routes the tool calls (contacts/ovh-api.ts).
  ...['me', 'task', 'contactChange', 'debtAccount', 'contact'],
]);
export function accessRule(method: string, path: string): string {
  const segments = path.split('?')[0].split('/').slice(1);
  const dynamic = segments.findIndex((segment) => !STATIC_SEGMENTS.has(segment));
  return `${method} /${dynamic < 0 ? segments.join('/') : [...segments.slice(0, dynamic), '*'].join('/')}`;
}

export class OvhCallError extends Error {
  readonly status?: number;
  readonly errorCode?: string;
  readonly ovhMessage?: string;
  readonly queryId?: string;
  /** An HTTP answer came (a server error); false when the answer was lost. */
  readonly answered: boolean;
  /** OVH's end of the exchange is over: an answer came, or the connection was cut (not a deadline of ours). */
  readonly ended: boolean;
  /** What happened, without the route and the account the message starts with. */
  readonly explanation: string;

  constructor(
    readonly method: string,
    readonly path: string,
    readonly account: OvhAccount,
    readonly outcome: CallOutcome,
    failure: Failure,
    attempts: number,
  ) {
    const variables = credentialEnvironment(account.key);
    let hint = '';
    if (failure.errorCode === NOT_GRANTED) {
      hint = `; the API key of ${account.key} lacks the right ${accessRule(method, path)}: create a consumer key whose access rules include it, and set ${variables.consumerKey}`;
    } else if (failure.errorCode && AUTHENTICATION_CODES.has(failure.errorCode)) {
      hint = `; check ${Object.values(variables).join(', ')}`;
    }
    const explanations: Record<CallOutcome, string> = {
      refused: `OVH refused it: ${describe(failure)}${hint}`,
      unavailable: `still failing after ${attempts} attempt(s): ${describe(failure)}`,
      uncertain: `${describe(failure)}; it may or may not have been taken into account`,
      unsent: `not sent: ${describe(failure)}`,
    };
    super(`${method} ${path} as ${account.nichandle}: ${explanations[outcome]}`);
    this.name = 'OvhCallError';
    this.explanation = explanations[outcome];
    this.status = failure.status;
    this.errorCode = failure.errorCode;
    this.ovhMessage = failure.ovhMessage;
    this.queryId = failure.queryId;
    this.answered = failure.status !== undefined;
    this.ended = this.answered || failure.cut === true;
  }
}

/** OVH's answer to an account about a service or a task it has no part in (or that does not exist). */
export function isNotTheirs(error: unknown): error is OvhCallError {
  if (!(error instanceof OvhCallError) || error.outcome !== 'refused') return false;
  const aboutTheKey = error.errorCode === NOT_GRANTED || (error.errorCode !== undefined && AUTHENTICATION_CODES.has(error.errorCode));
  return error.status === 404 || (error.status === 403 && !aboutTheKey && !isInvalidToken(error));
}

/** OVH's 403 "Invalid token" is about the e-mailed token, not the API credentials. */
export function isInvalidToken(error: unknown): error is OvhCallError {
  return error instanceof OvhCallError && error.status === 403 && /invalid token/i.test(error.ovhMessage ?? '');
}

/** Connection failures that happen before the request is sent, so that it cannot have been processed. */
const UNSENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

/** OVH's error body: `{message, errorCode?, httpCode?}` or `{class, message}`; anything else is described. */
const ErrorBody = z.object({ message: z.string().optional(), errorCode: z.string().optional() });

function answerFailure(exchange: Exchange): Failure {
  const status = exchange.status!;
  let body: z.output<typeof ErrorBody> | undefined;
  try {
    body = ErrorBody.parse(JSON.parse(exchange.body));
  } catch {
    body = undefined;
  }
  const detail = body
    ? undefined
    : /html/i.test(exchange.contentType ?? '')
      ? "an HTML page instead of OVH's JSON (a proxy or gateway answered)"
      : "an answer that is not OVH's JSON";
  return {
    status,
    errorCode: body?.errorCode,
    ovhMessage: body?.message,
    queryId: exchange.queryId,
    detail,
    transient: status === 429 || status >= 500,
    reached: status !== 429,
  };
}

/**
 * Sorts out what a call to `server` (host and port) ended with: OVH's answer when one came, else node-ovh's
 * rejection (see node-ovh.d.ts).
 */
function classify(rejection: unknown, exchange: Exchange, server: string): Failure {
  if (rejection instanceof DeadlineExceeded) return { detail: rejection.message, transient: true, reached: true };
  if (exchange.status !== undefined && (exchange.status < 200 || exchange.status > 299)) return answerFailure(exchange);
  const { error } = (rejection ?? {}) as Partial<ovh.Rejection>;
  const connection = (code: string): Failure => ({
    detail: `connection failure with ${server} (${code})`,
    transient: true,
    reached: !UNSENT.has(code),
    cut: !UNSENT.has(code),
  });
  if (typeof error === 'number' && error < 0) return connection(getSystemErrorName(error));
  // Node's own errors, whose class may come from another realm (a test runner's), so not checked with instanceof.
  if (typeof error === 'object' && error !== null && 'message' in error)
    return connection((error as { code?: string }).code ?? String(error.message));
  if (typeof error === 'string' && exchange.status !== undefined)
    return { status: exchange.status, detail: 'an answer that is not JSON', queryId: exchange.queryId, transient: false, reached: true };
  throw rejection;
}

/**
 * OVH's clock, which node-ovh signs every call with: OVH's time (`GET /auth/time`, the one call sent unsigned) minus
 * the machine's, in whole seconds as node-ovh counts it. Read once per run and shared by every account's client: one
 * API, one clock. The tool reads it itself rather than leave it to node-ovh, whose failure to read it says only
 * "Unable to fetch OVH API time"; and it dates its own requests by it, to compare them with OVH's task dates.
 */
export class ApiClock {
  private seconds?: Promise<number>;

  /** OVH's clock minus ours, in seconds; `readApiTime` (OVH's time, in seconds) runs when no client has read it yet. */
  difference(readApiTime: () => Promise<number>): Promise<number> {
    if (!this.seconds) {
      this.seconds = readApiTime().then((time) => time - Math.round(Date.now() / 1000));
      this.seconds.catch(() => (this.seconds = undefined));
    }
    return this.seconds;
  }
}

/**
 * A node-ovh client for `location`. node-ovh signs the URL without its port, which is right for OVH's own port (443)
 * only: elsewhere (a stand-in, a proxy) the URL the request goes to holds the port, and the signature must cover that URL
 * (go-ovh signs the URL as it sends it: vendor/github.com/ovh/go-ovh/ovh/ovh.go NewRequest, in the provider v2.19.0).
 */
export function nodeOvhClient(location: ApiLocation, credentials: ApiCredentials): ovh.Client {
  const { applicationKey: appKey, applicationSecret: appSecret, consumerKey } = credentials;
  const client = ovh({ ...location, appKey, appSecret, consumerKey });
  if (client.port !== 443) {
    const sign = client.signRequest.bind(client);
    const origin = `https://${client.host}`;
    client.signRequest = (method, url, body, timestamp) => sign(method, url.replace(origin, `${origin}:${client.port}`), body, timestamp);
  }
  return client;
}

export class OvhClient {
  private readonly main: ovh.Client;
  /** Clients for paths that contain "/auth", by the part of the path moved into their base path. */
  private readonly forAuthPaths = new Map<string, ovh.Client>();

  constructor(
    private readonly account: OvhAccount,
    private readonly credentials: ApiCredentials,
    location: ApiLocation,
    private readonly policy: RetryPolicy,
    private readonly clock: ApiClock = new ApiClock(),
  ) {
    this.main = this.node(location);
  }

  get<T>(path: string, schema: z.ZodType<T>, query: Record<string, string> = {}): Promise<T> {
    return this.call('GET', path, query, schema, 'idempotent');
  }

  post<T>(path: string, body: Record<string, unknown>, schema: z.ZodType<T>, repeat: Repeat): Promise<T> {
    return this.call('POST', path, body, schema, repeat);
  }

  /** The instant `local` (by the machine's clock) by OVH's clock, as OVH dates its tasks. */
  async ovhTime(local: Date): Promise<Date> {
    return new Date(local.getTime() + (await this.clock.difference(() => this.apiTime())) * 1000);
  }

  private node(location: ApiLocation): ovh.Client {
    return nodeOvhClient(location, this.credentials);
  }

  /**
   * node-ovh signs a call only when its path does not contain "/auth" (lib/ovh.js, `path.indexOf('/auth') < 0`;
   * upstream issue ovh/node-ovh#20), so a service named `authentique.be` would be sent unsigned. It signs the
   * full URL, base path included, and looks at the path alone: such a path is sent through a client whose base
   * path holds everything up to the "/a". Every client signs with OVH's clock as the tool read it: node-ovh then
   * reads no `/auth/time` of its own (which, for such a client, it would look for under that base path).
   */
  private route(path: string, timeDifference: number): { client: ovh.Client; path: string } {
    const at = path.lastIndexOf('/auth');
    const moved = at < 0 ? '' : path.slice(0, at + 2);
    let client = at < 0 ? this.main : this.forAuthPaths.get(moved);
    if (!client) {
      client = this.node({ host: this.main.host, port: this.main.port, basePath: `${this.main.basePath}${moved}` });
      this.forAuthPaths.set(moved, client);
    }
    // Set after construction: the constructor reads `apiTimeDiff || null`, which would lose a difference of 0.
    client.apiTimeDiff = timeDifference;
    return { client, path: path.slice(moved.length) };
  }

  /** OVH's time, in seconds. node-ovh sends `/auth/time` unsigned, as OVH's API wants it. */
  private async apiTime(): Promise<number> {
    const time = await this.attempts('GET', '/auth/time', 'idempotent', { client: this.main, path: '/auth/time' }, {});
    return this.parse('GET', '/auth/time', time, z.number());
  }

  private async call<T>(
    method: 'GET' | 'POST',
    path: string,
    params: Record<string, unknown>,
    schema: z.ZodType<T>,
    repeat: Repeat,
  ): Promise<T> {
    let timeDifference: number;
    try {
      timeDifference = await this.clock.difference(() => this.apiTime());
    } catch (error) {
      if (!(error instanceof OvhCallError)) throw error;
      const detail = `OVH's clock, which every signed call needs, could not be read: GET /auth/time ${error.explanation}`;
      throw new OvhCallError(method, path, this.account, 'unsent', { detail, transient: false, reached: false }, 0);
    }
    const answer = await this.attempts(method, path, repeat, this.route(path, timeDifference), params);
    return this.parse(method, path, answer, schema);
  }

  /**
   * Sends the call (`path` through `target`, the client and path it goes by), again as `repeat` allows, until an answer
   * comes; throws an OvhCallError when none does.
   */
  private async attempts(
    method: 'GET' | 'POST',
    path: string,
    repeat: Repeat,
    target: { client: ovh.Client; path: string },
    params: Record<string, unknown>,
  ): Promise<unknown> {
    const server = `${this.main.host}:${this.main.port}`;
    const timers = timersOf(this.policy);
    let failure: Failure | undefined;
    for (let attempt = 1; attempt <= this.policy.attempts; attempt++) {
      if (failure) await timers.sleep(backoffDelay(this.policy, attempt - 1));
      const sent = exchange(target.client, method, target.path, params);
      try {
        return await timers.deadline(sent.result, this.policy.timeoutMs, `${method} ${path}`);
      } catch (rejection) {
        failure = classify(rejection, sent.exchange, server);
        if (!failure.transient) throw new OvhCallError(method, path, this.account, 'refused', failure, attempt);
        if (failure.reached && repeat === 'once') throw new OvhCallError(method, path, this.account, 'uncertain', failure, attempt);
      }
    }
    throw new OvhCallError(method, path, this.account, 'unavailable', failure!, this.policy.attempts);
  }

  private parse<T>(method: string, path: string, answer: unknown, schema: z.ZodType<T>): T {
    const parsed = schema.safeParse(answer);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new Error(
        `${method} ${path} as ${this.account.nichandle}: unexpected answer from OVH: ${issue.path.join('.') || 'the answer'}: ${issue.message}`,
      );
    }
    return parsed.data;
  }
}
