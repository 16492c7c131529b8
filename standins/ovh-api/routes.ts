/**
 * The OVH API stand-in's routes, as OVH's API definitions write them (`/vps/{serviceName}`), each with its handler.
 * A handler answers a value (200 with it as JSON), an `Answer` (another status), or an `ApiError`.
 */
import { ApiError, serviceError, type Account } from './contacts-model';
import type { World } from './world';

export interface ApiRequest {
  method: string;
  /** The path after `/1.0`, e.g. `/vps/vps-1a2b3c4d.vps.ovh.net`; `/v2/...` routes keep their prefix. */
  path: string;
  /** The route's path parameters, decoded. */
  params: Record<string, string>;
  query: URLSearchParams;
  /** The JSON body, parsed; `{}` when there is none. */
  body: Record<string, unknown>;
  caller: Account;
  world: World;
}

/** An answer with another status than 200 (e.g. 204 without body). */
export class Answer {
  constructor(
    readonly status: number,
    readonly body?: unknown,
  ) {}
}

export type Handler = (request: ApiRequest) => unknown;

interface Route {
  method: string;
  pattern: RegExp;
  names: string[];
  handle: Handler;
}

/** `{name}` matches one path segment. */
function compile(path: string): { pattern: RegExp; names: string[] } {
  const names: string[] = [];
  const source = path
    .split('/')
    .map((segment) => {
      const parameter = /^\{(\w+)\}$/.exec(segment);
      if (!parameter) return segment.replace(/[.+?^${}()|[\]\\*]/g, '\\$&');
      names.push(parameter[1]);
      return '([^/]+)';
    })
    .join('/');
  return { pattern: new RegExp(`^${source}$`), names };
}

export class Routes {
  private readonly routes: Route[] = [];

  /**
   * Adds `handle` for `method path`, e.g. `('GET', '/vps/{serviceName}', ...)`. A route with fewer parameters wins
   * over one that also matches (`/order/cart/{cartId}/checkout` over `/order/cart/{cartId}/{product}`).
   */
  add(method: string, path: string, handle: Handler): this {
    const route = { method, ...compile(path), handle };
    const after = this.routes.findIndex((other) => other.names.length > route.names.length);
    this.routes.splice(after === -1 ? this.routes.length : after, 0, route);
    return this;
  }

  /** The handler's answer, or undefined when no route matches (the caller answers OVH's 404). */
  handle(request: Omit<ApiRequest, 'params'>): { status: number; body: unknown } | ApiError | undefined {
    for (const route of this.routes) {
      if (route.method !== request.method) continue;
      const match = route.pattern.exec(request.path);
      if (!match) continue;
      let params: Record<string, string>;
      try {
        params = Object.fromEntries(route.names.map((name, i) => [name, decodeURIComponent(match[i + 1])]));
      } catch {
        return serviceError(400, 'Invalid path parameter');
      }
      const answer = route.handle({ ...request, params });
      if (answer instanceof ApiError) return answer;
      if (answer instanceof Answer) return { status: answer.status, body: answer.body };
      return { status: 200, body: answer ?? null };
    }
    return undefined;
  }
}
