/**
 * What node-ovh drops of an answer, kept: `@ovhcloud/node-ovh` 3.0.0 (lib/ovh.js) rejects a failed call with the
 * HTTP status and OVH's `message` only, without OVH's `errorCode` or the `X-Ovh-QueryID` header, and an answer that
 * is not JSON (a proxy's HTML error page) becomes "Unable to parse JSON reponse" without its status. The same
 * response is observed here through Node's `http.client.request.start` diagnostics channel: a call sent through
 * `exchange()` comes with the status, the query id and the start of the body of the last request it made.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import * as diagnostics from 'node:diagnostics_channel';
import type { ClientRequest, IncomingMessage } from 'node:http';
import type ovh from '@ovhcloud/node-ovh';

export interface Exchange {
  status?: number;
  queryId?: string;
  contentType?: string;
  body: string;
}

/** Enough of a body to read OVH's error fields; the rest of a long page is not kept. */
const BODY_LIMIT = 16 * 1024;
const current = new AsyncLocalStorage<Exchange>();

// Kept in a module variable: a channel nobody references may be collected with its subscribers.
const requestStart = diagnostics.channel('http.client.request.start');
requestStart.subscribe((message) => {
  const exchange = current.getStore();
  if (!exchange) return;
  // The record is that of the call's last request: each request starts it afresh.
  Object.assign(exchange, { status: undefined, queryId: undefined, contentType: undefined, body: '' });
  (message as { request: ClientRequest }).request.once('response', (response: IncomingMessage) => {
    exchange.status = response.statusCode;
    exchange.queryId = header(response, 'x-ovh-queryid');
    exchange.contentType = header(response, 'content-type');
    response.on('data', (chunk: Buffer) => {
      if (exchange.body.length < BODY_LIMIT) exchange.body += chunk.toString('utf8');
    });
  });
});

function header(response: IncomingMessage, name: string): string | undefined {
  const value = response.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * Sends one call through node-ovh and records the HTTP exchange it makes. node-ovh edits the parameters it is given
 * (it removes those it puts in the path): it gets a copy.
 */
export function exchange(
  client: ovh.Client,
  method: 'GET' | 'POST',
  path: string,
  params: Record<string, unknown>,
): { exchange: Exchange; result: Promise<unknown> } {
  const record: Exchange = { body: '' };
  return { exchange: record, result: current.run(record, () => Promise.resolve(client.requestPromised(method, path, { ...params }))) };
}
