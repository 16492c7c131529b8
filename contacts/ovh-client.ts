/**
 * One OVH account's API access through the official `@ovhcloud/node-ovh` client, made dependable:
 * a deadline per attempt, retries with backoff on 429, 5xx, timeouts and connection failures, answers checked
 * with zod, and errors that name the route and the status but never a credential.
 */
import { getSystemErrorName } from 'node:util';
import ovh from '@ovhcloud/node-ovh';
import { z } from 'zod';
import { credentialEnvironment, type ApiCredentials } from '../config/credentials';
import type { AgencyFile } from '../config/schema';
import type { OvhAccount } from '../policy/procedure';
import { backoffDelay, DeadlineExceeded, sleep, withDeadline, type RetryPolicy } from './retry';

export type ApiLocation = Pick<ovh.Options, 'endpoint' | 'host' | 'port' | 'basePath'>;

const ApiUrl = z
  .url({ error: 'expected a URL like https://127.0.0.1:8443/1.0' })
  .refine((url) => url.startsWith('https://'), { error: 'expected an https:// URL: the official OVH client speaks HTTPS only' });

/**
 * Where the API is: the agency's endpoint, unless `OVH_IAC_API_URL` points elsewhere (a stand-in in tests).
 * The URL's path is the API's base path; an empty one means node-ovh's default, `/1.0`.
 */
export function apiLocation(endpoint: AgencyFile['ovh']['endpoint'], env: NodeJS.ProcessEnv): ApiLocation {
  const override = env.OVH_IAC_API_URL?.trim();
  if (!override) return { endpoint };
  const parsed = ApiUrl.safeParse(override);
  if (!parsed.success) throw new Error(`environment variable OVH_IAC_API_URL: ${parsed.error.issues[0].message}`);
  const url = new URL(parsed.data);
  return { host: url.hostname, port: Number(url.port || 443), basePath: url.pathname.replace(/\/+$/, '') };
}

/**
 * How a call that may have reached OVH before failing is repeated:
 * `freely` when doing it twice does no harm; `never` when it must not happen twice and nothing tells whether it
 * did (the failure is then reported as uncertain); or a look-up that finds the effect of the failed attempt.
 */
type Repeat<T> = 'freely' | 'never' | (() => Promise<T | undefined>);

interface Failure {
  description: string;
  status?: number;
  ovhMessage?: string;
  /** Worth another attempt. */
  transient: boolean;
  /** The request may have been processed, so repeating it may repeat its effect. */
  reached: boolean;
}

type CallOutcome = 'refused' | 'unavailable' | 'uncertain';

export class OvhCallError extends Error {
  readonly status?: number;
  readonly ovhMessage?: string;

  constructor(
    route: string,
    account: OvhAccount,
    readonly outcome: CallOutcome,
    failure: Failure,
    attempts: number,
  ) {
    const explanation: Record<CallOutcome, string> = {
      refused: `OVH refused it: ${failure.description}${isAuthentication(failure) ? `; check ${Object.values(credentialEnvironment(account.key)).join(', ')}` : ''}`,
      unavailable: `still failing after ${attempts} attempt(s): ${failure.description}`,
      uncertain: `${failure.description}; it may or may not have been taken into account`,
    };
    super(`${route} as ${account.nichandle}: ${explanation[outcome]}`);
    this.name = 'OvhCallError';
    this.status = failure.status;
    this.ovhMessage = failure.ovhMessage;
  }
}

/** OVH's answer to an account about a service or a task it has no part in (or that does not exist). */
export function isNotTheirs(error: unknown): error is OvhCallError {
  return error instanceof OvhCallError && error.outcome === 'refused' && (error.status === 403 || error.status === 404);
}

/** OVH's answers about the API credentials themselves (the validation token of a task is another matter). */
const AUTHENTICATION = /invalid application key|credential|invalid signature|invalid timestamp/i;
const isAuthentication = (failure: Failure) => failure.status !== undefined && AUTHENTICATION.test(failure.ovhMessage ?? '');

/** Connection failures that happen before the request is sent, so that it cannot have been processed. */
const UNSENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);
const TRANSIENT_CONNECTION = new Set([...UNSENT, 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ECONNABORTED']);

function connectionFailure(code: string): Failure {
  return { description: `connection failure (${code})`, transient: TRANSIENT_CONNECTION.has(code), reached: !UNSENT.has(code) };
}

/** Sorts out the shapes node-ovh rejects with (see node-ovh.d.ts). */
function classify(rejection: unknown): Failure {
  if (rejection instanceof DeadlineExceeded) return { description: rejection.message, transient: true, reached: true };
  const { error, message } = (rejection ?? {}) as Partial<ovh.Rejection>;
  if (typeof error === 'number' && error > 0) {
    const ovhMessage = typeof message === 'string' ? message : undefined;
    return {
      description: `HTTP ${error}${ovhMessage ? ` "${ovhMessage}"` : ''}`,
      status: error,
      ovhMessage,
      transient: error === 429 || error >= 500,
      reached: error !== 429,
    };
  }
  if (typeof error === 'number') return connectionFailure(getSystemErrorName(error));
  if (error instanceof Error) return connectionFailure(error.code ?? error.message);
  if (typeof error === 'string') {
    // node-ovh reads the API time before its first signed call; when that fails, the call itself was not sent.
    return { description: error.replace(/^\[OVH\] /, ''), transient: true, reached: !error.includes('API time') };
  }
  throw rejection;
}

export class OvhClient {
  private readonly client: ovh.Client;

  constructor(
    private readonly account: OvhAccount,
    credentials: ApiCredentials,
    location: ApiLocation,
    private readonly policy: RetryPolicy,
  ) {
    this.client = ovh({
      ...location,
      appKey: credentials.applicationKey,
      appSecret: credentials.applicationSecret,
      consumerKey: credentials.consumerKey,
    });
  }

  get<T>(path: string, schema: z.ZodType<T>, query: Record<string, string> = {}): Promise<T> {
    return this.call('GET', path, query, schema, 'freely');
  }

  post<T>(path: string, body: Record<string, unknown>, schema: z.ZodType<T>, repeat: Repeat<T>): Promise<T> {
    return this.call('POST', path, body, schema, repeat);
  }

  private async call<T>(method: 'GET' | 'POST', path: string, params: Record<string, unknown>, schema: z.ZodType<T>, repeat: Repeat<T>): Promise<T> {
    const route = `${method} ${path}`;
    let failure: Failure | undefined;
    for (let attempt = 1; attempt <= this.policy.attempts; attempt++) {
      if (failure) {
        await sleep(backoffDelay(this.policy, attempt - 1));
        if (failure.reached && typeof repeat === 'function') {
          const effect = await repeat();
          if (effect !== undefined) return effect;
        }
      }
      let answer: unknown;
      try {
        // node-ovh edits the object it is given (it removes the parameters it puts in the path): give it a copy.
        answer = await withDeadline(this.client.requestPromised(method, path, { ...params }), this.policy.timeoutMs);
      } catch (rejection) {
        failure = classify(rejection);
        if (!failure.transient) throw new OvhCallError(route, this.account, 'refused', failure, attempt);
        if (failure.reached && repeat === 'never') throw new OvhCallError(route, this.account, 'uncertain', failure, attempt);
        continue;
      }
      const parsed = schema.safeParse(answer);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        throw new Error(`${route} as ${this.account.nichandle}: unexpected answer from OVH: ${issue.path.join('.') || 'the answer'}: ${issue.message}`);
      }
      return parsed.data;
    }
    throw new OvhCallError(route, this.account, 'unavailable', failure!, this.policy.attempts);
  }
}
