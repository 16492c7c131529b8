/**
 * A stand-in of the OVH API on 127.0.0.1 for the contacts tool: signature checked on every route, the routes of
 * contact management with OVH's rules (contacts-model.ts, where each rule cites its source), OVH's error bodies
 * and `X-Ovh-QueryID` header, and faults: errors answered without handling (429, 5xx, HTML pages), answers lost,
 * connections cut after or before handling, requests processed late, changes asked in OVH's manager, and a clock
 * apart from the machine's (OVH's `/auth/time`, task dates and timestamps go by it). It speaks HTTPS because node-ovh
 * speaks nothing else; its certificate (cert.pem
 * and key.pem, for 127.0.0.1, made once with `openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1
 * -nodes -days 36500 -subj /CN=ovh-standin -addext subjectAltName=IP:127.0.0.1`) is trusted by `trustStandin()`
 * in-process, or by NODE_EXTRA_CA_CERTS=CERTIFICATE_FILE in a child process.
 *
 * Authentication (python-ovh's client.py at v1.2.0, @ovhcloud/node-ovh 3.0.0's `signRequest`): `X-Ovh-Application`,
 * `X-Ovh-Consumer`, `X-Ovh-Timestamp` and `X-Ovh-Signature` = `$1$` + SHA1 of secret+consumerKey+METHOD+fullURL+body+timestamp
 * joined with "+"; only `GET /auth/time` needs none. Errors: INVALID_KEY, INVALID_CREDENTIAL, INVALID_SIGNATURE,
 * NOT_CREDENTIAL ("You must login first", as the issue observed for unsigned calls) and NOT_GRANTED_CALL (the key's
 * access rules lack the route), with `errorCode`, `httpCode` and `message`.
 */
import { createHash, randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as https from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import type { ApiCredentials } from '../../core/credentials';
import { createServiceObject, productRoutes } from './api';
import {
  ApiError,
  authError,
  ContactsModel,
  issuedTokens,
  serviceError,
  type AccessRule,
  type Account,
  type ServiceStatus,
  type Task,
} from './contacts-model';

import { Routes } from './routes';
import { World } from './world';

export type { Task } from './contacts-model';

export const CERTIFICATE_FILE = path.join(__dirname, 'cert.pem');

/** node-ovh gives no way to pass a CA: the process-wide agent is told to trust the stand-in. */
export function trustStandin(): void {
  https.globalAgent.options.ca = fs.readFileSync(CERTIFICATE_FILE);
}

type Fault =
  /** Answered with this status without being handled; an HTML page as a proxy in front of OVH sends, or OVH's JSON. */
  | { kind: 'fail'; status: number; html: boolean }
  /** Handled at once, never answered: the connection stays open until the client gives up, a lost answer. */
  | { kind: 'stall' }
  /** Handled when the test says so (`processHeld`), and never answered. */
  | { kind: 'held' }
  /** The connection is cut before any answer: after the call was handled, or before (`processed: false`). */
  | { kind: 'drop'; processed: boolean };

interface PendingFault {
  match: RegExp;
  remaining: number;
  fault: Fault;
}

type Outcome = { status: number; body: unknown } | ApiError;

export class OvhStandin {
  private readonly model = new ContactsModel();
  readonly accounts = this.model.accounts;
  readonly services = this.model.services;
  readonly tasks: Task[] = this.model.tasks;
  /** Every authenticated call, answered or faulted, as `METHOD /path` (no query), with the caller's nichandle. */
  readonly calls: { route: string; by: string }[] = [];
  /** Every call refused before it reached a route (bad or missing signature, unknown key), with OVH's errorCode. */
  readonly rejected: { route: string; errorCode: string }[] = [];
  private readonly faults: PendingFault[] = [];
  private readonly held: (() => void)[] = [];
  private queries = 0;
  /** The products' routes (orders, VPS, zones, Public Cloud...): `api/`. */
  private readonly routes: Routes = productRoutes();
  /**
   * Told of each call that gets no answer (a stall, a hold), as `METHOD /path`: a test's clock lets that call's
   * deadline pass then, rather than after some time the machine may or may not take.
   */
  onUnanswered?: (call: string) => void;
  /** Everything the products' routes made, written to `worldFile` after every change when there is one. */
  readonly world: World;
  /**
   * Lets another stand-in (the Terraform provider's, in another process) tell this one of the services it orders
   * and terminates: `POST /standin/services {route, contacts, whoisOwner?}` and `DELETE /standin/services?route=`,
   * with this token in `X-Standin-Token`. Not part of OVH's API.
   */
  readonly adminToken = randomBytes(16).toString('hex');
  private constructor(
    private readonly server: https.Server,
    worldFile?: string,
  ) {
    this.world = new World(this.model, worldFile);
  }

  static async start({ worldFile }: { worldFile?: string } = {}): Promise<OvhStandin> {
    const server = https.createServer({ cert: fs.readFileSync(CERTIFICATE_FILE), key: fs.readFileSync(path.join(__dirname, 'key.pem')) });
    const standin = new OvhStandin(server, worldFile);
    server.on('request', (req, res) => void standin.handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return standin;
  }

  get url(): string {
    return `https://127.0.0.1:${(this.server.address() as AddressInfo).port}/1.0`;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }

  /** An OVH account and the API credentials of its key; `debt` in euros; `rules` restrict the key (all routes by default). */
  addAccount(nichandle: string, options: { contactIds?: number[]; debt?: number; rules?: AccessRule[] } = {}): ApiCredentials {
    return this.model.addAccount(nichandle, options);
  }

  /** `route` as in the API, e.g. `/vps/vps-1.ovh.net`; its last segment is the service name. */
  addService(
    route: string,
    contacts: { admin: string; tech: string; billing: string },
    whoisOwner?: number,
    status: ServiceStatus = 'ok',
  ): void {
    this.model.addService(route, contacts, whoisOwner, status);
    createServiceObject(this.world, route);
  }

  /** Every validation token this stand-in e-mailed, used, resent or not. */
  tokens(): string[] {
    return issuedTokens;
  }

  /** The token OVH e-mailed to `nichandle` about a task, as its link carries it. */
  tokenOf(taskId: number, nichandle: string): string {
    return this.tasks.find((task) => task.id === taskId)!.tokens[nichandle];
  }

  /** The link of the e-mail a validator received (`contacts/links.ts` cites its form). */
  linkOf(taskId: number, nichandle: string): string {
    return `https://www.ovh.com/manager/#/dedicated/useraccount/contacts/${taskId}?tab=REQUESTS&token=${this.tokenOf(taskId, nichandle)}`;
  }

  contactsOf(route: string): { admin: string; tech: string; billing: string } {
    const { contacts } = this.services.get(route)!;
    return { admin: contacts.contactAdmin, tech: contacts.contactTech, billing: contacts.contactBilling };
  }

  /** Sets OVH's clock `ms` ahead of the machine's (behind if negative): `/auth/time`, task dates and signatures go by it. */
  setClockOffset(ms: number): void {
    this.model.clockOffsetMs = ms;
  }

  /**
   * A change someone asks for in OVH's Manager, as `nichandle`: the same rules and tasks as through the API, but no
   * call of any API key (the tool has no record of it).
   */
  requestInManager(nichandle: string, route: string, changes: Partial<Record<'admin' | 'tech' | 'billing', string>>): number[] {
    const body = Object.fromEntries(Object.entries(changes).map(([type, to]) => [`contact${type[0].toUpperCase()}${type.slice(1)}`, to]));
    const ids = this.model.changeContact(route, body, this.accounts.get(nichandle)!);
    if (ids instanceof ApiError) throw new Error(`the Manager refused it: ${ids.body.message}`);
    return ids;
  }

  /** The next `count` calls matching `match` (`METHOD /path`) are answered `status` without being handled. */
  failNext(count: number, status: number, match = /./, { html = false } = {}): void {
    this.faults.push({ match, remaining: count, fault: { kind: 'fail', status, html } });
  }

  /** The next `count` calls matching `match` are handled, but never answered: a lost answer. */
  stallNext(count: number, match = /./): void {
    this.faults.push({ match, remaining: count, fault: { kind: 'stall' } });
  }

  /** The next `count` calls matching `match` get no answer, and are handled only when `processHeld` is called. */
  holdNext(count: number, match = /./): void {
    this.faults.push({ match, remaining: count, fault: { kind: 'held' } });
  }

  /** Handles the calls held so far: OVH processing them late, after their client gave up. */
  processHeld(): void {
    for (const process of this.held.splice(0)) process();
  }

  /** The next `count` calls matching `match` are handled, then their connection is cut; or cut unhandled, `processed: false`. */
  dropNext(count: number, match = /./, { processed = true } = {}): void {
    this.faults.push({ match, remaining: count, fault: { kind: 'drop', processed } });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let body = '';
    for await (const chunk of req) body += chunk;
    const url = new URL(req.url!, 'https://127.0.0.1');
    const route = url.pathname.replace(/^\/1\.0/, '');
    if (route === '/standin/services') return this.administer(req, res, url, body);
    const queryId = `EU.ext-1.${(++this.queries).toString(16).padStart(8, '0')}.${randomBytes(4).toString('hex')}`;
    const reply = (outcome: Outcome) => {
      if (res.destroyed) return;
      const { status, body: answer } = outcome instanceof ApiError ? { status: outcome.status, body: outcome.body } : outcome;
      res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'X-Ovh-QueryID': queryId });
      res.end(answer === undefined ? '' : JSON.stringify(answer));
    };
    if (req.method === 'GET' && route === '/auth/time') return reply({ status: 200, body: Math.floor(this.model.now().getTime() / 1000) });

    const caller = this.authenticate(req, body);
    if (caller instanceof ApiError) {
      this.rejected.push({ route: `${req.method} ${route}`, errorCode: caller.body.errorCode });
      return reply(caller);
    }
    this.calls.push({ route: `${req.method} ${route}`, by: caller.nichandle });
    const pending = this.faults.find((f) => f.remaining > 0 && f.match.test(`${req.method} ${route}`));
    if (pending) pending.remaining--;
    const fault = pending?.fault;
    if (fault?.kind === 'fail') {
      if (!fault.html)
        return reply({ status: fault.status, body: { message: fault.status === 429 ? 'Too many requests' : 'Internal server error' } });
      res.writeHead(fault.status, { 'Content-Type': 'text/html' });
      return void res.end(`<html><head><title>${fault.status}</title></head><body><h1>${fault.status} Bad Gateway</h1></body></html>`);
    }
    if (fault?.kind === 'drop' && !fault.processed) return void res.destroy();
    const process = () => this.route(req.method!, route, url.searchParams, body, caller);
    if (fault?.kind === 'held') {
      this.held.push(process);
      return this.onUnanswered?.(`${req.method} ${route}`);
    }
    const outcome = process();
    if (fault?.kind === 'drop') return void res.destroy();
    if (fault?.kind === 'stall') return this.onUnanswered?.(`${req.method} ${route}`);
    reply(outcome);
  }

  private administer(req: IncomingMessage, res: ServerResponse, url: URL, body: string): void {
    const reply = (status: number) => void res.writeHead(status).end();
    if (req.headers['x-standin-token'] !== this.adminToken) return reply(403);
    if (req.method === 'DELETE') {
      this.services.delete(url.searchParams.get('route') ?? '');
      return reply(204);
    }
    const { route, contacts, whoisOwner } = JSON.parse(body) as {
      route: string;
      contacts: { admin: string; tech: string; billing: string };
      whoisOwner?: number;
    };
    this.addService(route, contacts, whoisOwner);
    reply(204);
  }

  private authenticate(req: IncomingMessage, body: string): Account | ApiError {
    const header = (name: string) => String(req.headers[name] ?? '');
    const account = [...this.accounts.values()].find((a) => a.credentials.applicationKey === header('x-ovh-application'));
    if (!account) return authError(403, 'INVALID_KEY', 'This application key is invalid');
    if (!header('x-ovh-consumer') || !header('x-ovh-signature')) return authError(401, 'NOT_CREDENTIAL', 'You must login first');
    if (account.credentials.consumerKey !== header('x-ovh-consumer'))
      return authError(403, 'INVALID_CREDENTIAL', 'This credential is not valid');
    // The URL the request was sent to, port included (go-ovh signs the target URL as it is: vendor/github.com/ovh/go-ovh/ovh/ovh.go NewRequest).
    const fullUrl = `https://${String(req.headers.host)}${req.url}`;
    const signed = [
      account.credentials.applicationSecret,
      account.credentials.consumerKey,
      req.method,
      fullUrl,
      body,
      header('x-ovh-timestamp'),
    ].join('+');
    if (header('x-ovh-signature') !== `$1$${createHash('sha1').update(signed).digest('hex')}`)
      return authError(400, 'INVALID_SIGNATURE', 'Invalid signature');
    if (Math.abs(Number(header('x-ovh-timestamp')) - this.model.now().getTime() / 1000) > 60)
      return authError(400, 'INVALID_SIGNATURE', 'Invalid timestamp');
    return account;
  }

  private route(method: string, route: string, query: URLSearchParams, rawBody: string, caller: Account): Outcome {
    if (!this.model.granted(caller, method, route)) return authError(403, 'NOT_GRANTED_CALL', 'This call has not been granted');
    let body: Record<string, unknown>;
    try {
      body = rawBody ? (JSON.parse(rawBody) as Record<string, unknown>) : {};
    } catch {
      return serviceError(400, 'Invalid JSON body');
    }
    const product = this.routes.handle({ method, path: route, query, body, caller, world: this.world });
    if (product) {
      if (method !== 'GET') this.world.save();
      return product;
    }
    const ok = (answer: unknown): Outcome => (answer instanceof ApiError ? answer : { status: 200, body: answer });
    let match: RegExpMatchArray | null;
    if (method === 'GET' && (match = route.match(/^(.+)\/serviceInfos$/))) return ok(this.model.serviceInfos(match[1], caller));
    if (method === 'POST' && (match = route.match(/^(.+)\/changeContact$/))) return ok(this.model.changeContact(match[1], body, caller));
    if (method === 'GET' && (match = route.match(/^\/domain\/([^/]+)$/))) return ok(this.domain(`/domain/${match[1]}`, caller));
    if (method === 'GET' && route === '/me/contact') return ok(caller.contactIds);
    if (method === 'GET' && route === '/me/debtAccount') return ok(this.model.debtBalance(caller));
    if (method === 'GET' && route === '/me/task/contactChange') return ok(this.model.taskIds(query, caller));
    if ((match = route.match(/^\/me\/task\/contactChange\/(\d+)(?:\/(accept|refuse|resendEmail))?$/))) {
      const task = this.model.task(Number(match[1]), caller);
      if (task instanceof ApiError) return task;
      if (method === 'GET' && !match[2]) return ok(publicTask(task));
      if (method === 'POST' && match[2]) return ok(this.model.answer(task, match[2] as 'accept' | 'refuse' | 'resendEmail', body, caller));
    }
    return serviceError(404, 'Got an invalid (or empty) URL');
  }

  private domain(route: string, caller: Account): object | ApiError {
    const service = this.model.visible(route, caller);
    return service instanceof ApiError ? service : { domain: service.name, whoisOwner: String(service.whoisOwner) };
  }
}

/** The task as `GET /me/task/contactChange/{id}` shows it: OVH's fields only, never its route or tokens. */
function publicTask({ id, askingAccount, fromAccount, toAccount, contactTypes, serviceDomain, state, dateRequest, dateDone }: Task) {
  return { id, askingAccount, fromAccount, toAccount, contactTypes, serviceDomain, state, dateRequest, dateDone };
}
