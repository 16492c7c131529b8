/**
 * A small stand-in of the OVH API for the contacts tool's tests, on 127.0.0.1: request signing, the
 * serviceInfos and changeContact routes, contact-change tasks with their two tokens, the domain owner, and
 * fault injection. It speaks HTTPS because node-ovh speaks nothing else; its certificate (cert.pem and key.pem, for
 * 127.0.0.1, made once with `openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes
 * -days 36500 -subj /CN=ovh-standin -addext subjectAltName=IP:127.0.0.1`) is trusted by `trustStandin()`
 * in-process, or by NODE_EXTRA_CA_CERTS=CERTIFICATE_FILE in a child process.
 *
 * The contact rules follow OVH: the admin may request any change; the tech only hands tech over; the billing
 * only hands billing over, and neither billing account may have an unpaid bill; each task waits for the
 * tokens of its old and new accounts.
 */
import { createHash, randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as https from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import type { ApiCredentials } from '../../config/credentials';

export const CERTIFICATE_FILE = path.join(__dirname, 'cert.pem');

/** node-ovh gives no way to pass a CA: the process-wide agent is told to trust the stand-in. */
export function trustStandin(): void {
  https.globalAgent.options.ca = fs.readFileSync(CERTIFICATE_FILE);
}

type Field = 'contactAdmin' | 'contactTech' | 'contactBilling';
type Contacts = Record<Field, string>;
const FIELDS: Field[] = ['contactAdmin', 'contactTech', 'contactBilling'];
const OPEN = ['todo', 'checkValidity', 'validatingByCustomers', 'doing'];

interface Account {
  nichandle: string;
  credentials: ApiCredentials;
  unpaidBill: boolean;
  contactIds: number[];
}

export interface Task {
  id: number;
  askingAccount: string;
  fromAccount: string;
  toAccount: string;
  contactTypes: Field[];
  serviceDomain: string;
  state: string;
  dateRequest: string;
  route: string;
  tokens: { from: string; to: string };
  accepted: { from: boolean; to: boolean };
  emailsSent: number;
}

interface Fault {
  match: RegExp;
  remaining: number;
  status?: number;
  stallMs?: number;
}

class Answer {
  constructor(
    readonly status: number,
    readonly body: unknown,
  ) {}
}
const fail = (status: number, message: string) => new Answer(status, { message });

export class OvhStandin {
  readonly accounts = new Map<string, Account>();
  readonly services = new Map<string, { name: string; contacts: Contacts; whoisOwner?: number }>();
  readonly tasks: Task[] = [];
  /** Every authenticated call, answered or faulted, as `METHOD /path` (no query) with the caller's nichandle. */
  readonly calls: { route: string; by: string }[] = [];
  private readonly faults: Fault[] = [];
  /**
   * Lets another stand-in (the Terraform provider's, in another process) tell this one of the services it orders
   * and terminates: `POST /standin/services {route, contacts, whoisOwner?}` and `DELETE /standin/services?route=`,
   * with this token in `X-Standin-Token`. Not part of OVH's API.
   */
  readonly adminToken = randomBytes(16).toString('hex');
  private constructor(private readonly server: https.Server) {}

  static async start(): Promise<OvhStandin> {
    const server = https.createServer({ cert: fs.readFileSync(CERTIFICATE_FILE), key: fs.readFileSync(path.join(__dirname, 'key.pem')) });
    const standin = new OvhStandin(server);
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

  addAccount(nichandle: string, options: { unpaidBill?: boolean; contactIds?: number[] } = {}): ApiCredentials {
    const secret = () => randomBytes(12).toString('hex');
    const credentials = { applicationKey: secret(), applicationSecret: secret(), consumerKey: secret() };
    this.accounts.set(nichandle, { nichandle, credentials, unpaidBill: options.unpaidBill ?? false, contactIds: options.contactIds ?? [] });
    return credentials;
  }

  /** `route` as in the API, e.g. `/vps/vps-1.ovh.net`; its last segment is the service name. */
  addService(route: string, contacts: { admin: string; tech: string; billing: string }, whoisOwner?: number): void {
    const name = route.split('/').pop()!;
    this.services.set(route, { name, contacts: { contactAdmin: contacts.admin, contactTech: contacts.tech, contactBilling: contacts.billing }, whoisOwner });
  }

  contactsOf(route: string): { admin: string; tech: string; billing: string } {
    const { contacts } = this.services.get(route)!;
    return { admin: contacts.contactAdmin, tech: contacts.contactTech, billing: contacts.contactBilling };
  }

  /** The next `count` calls matching `match` are answered `status` without being handled. */
  failNext(count: number, status: number, match = /./): void {
    this.faults.push({ match, remaining: count, status });
  }

  /** The next `count` calls matching `match` are handled, but answered only after `ms`: a lost answer. */
  stallNext(count: number, ms: number, match = /./): void {
    this.faults.push({ match, remaining: count, stallMs: ms });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let body = '';
    for await (const chunk of req) body += chunk;
    const url = new URL(req.url!, 'https://127.0.0.1');
    const route = url.pathname.replace(/^\/1\.0/, '');
    let answer: Answer;
    let stallMs = 0;
    if (route === '/standin/services') return this.administer(req, res, url, body);
    const caller = route === '/auth/time' ? undefined : this.authenticate(req, body);
    if (!caller) {
      answer = new Answer(200, Math.floor(Date.now() / 1000));
    } else if (caller instanceof Answer) {
      answer = caller;
    } else {
      this.calls.push({ route: `${req.method} ${route}`, by: caller.nichandle });
      const fault = this.faults.find((f) => f.remaining > 0 && f.match.test(`${req.method} ${route}`));
      if (fault) fault.remaining--;
      if (fault?.status) {
        answer = fail(fault.status, fault.status === 429 ? 'Too many requests' : 'Internal server error');
      } else {
        answer = this.route(req.method!, route, url.searchParams, body ? JSON.parse(body) : {}, caller);
        stallMs = fault?.stallMs ?? 0;
      }
    }
    setTimeout(() => {
      if (res.destroyed) return;
      res.writeHead(answer.status, { 'Content-Type': 'application/json' });
      res.end(answer.body === undefined ? '' : JSON.stringify(answer.body));
    }, stallMs);
  }

  private administer(req: IncomingMessage, res: ServerResponse, url: URL, body: string): void {
    const reply = (status: number) => void res.writeHead(status).end();
    if (req.headers['x-standin-token'] !== this.adminToken) return reply(403);
    if (req.method === 'DELETE') {
      this.services.delete(url.searchParams.get('route') ?? '');
      return reply(204);
    }
    const { route, contacts, whoisOwner } = JSON.parse(body) as { route: string; contacts: { admin: string; tech: string; billing: string }; whoisOwner?: number };
    this.addService(route, contacts, whoisOwner);
    reply(204);
  }

  /** OVH's signature: `$1$` + SHA1 of secret+consumerKey+METHOD+fullURL+body+timestamp, joined with "+". */
  private authenticate(req: IncomingMessage, body: string): Account | Answer {
    const header = (name: string) => String(req.headers[name] ?? '');
    const account = [...this.accounts.values()].find((a) => a.credentials.applicationKey === header('x-ovh-application'));
    if (!account) return new Answer(403, { errorCode: 'INVALID_KEY', message: 'Invalid application key' });
    if (account.credentials.consumerKey !== header('x-ovh-consumer')) return new Answer(403, { errorCode: 'INVALID_CREDENTIAL', message: 'This credential does not exist' });
    // node-ovh signs the URL without the port, as the real API is on 443.
    const fullUrl = `https://${String(req.headers.host).replace(/:\d+$/, '')}${req.url}`;
    const signed = [account.credentials.applicationSecret, account.credentials.consumerKey, req.method, fullUrl, body, header('x-ovh-timestamp')].join('+');
    const expected = `$1$${createHash('sha1').update(signed).digest('hex')}`;
    if (header('x-ovh-signature') !== expected) return new Answer(400, { errorCode: 'INVALID_SIGNATURE', message: 'Invalid signature' });
    if (Math.abs(Number(header('x-ovh-timestamp')) - Date.now() / 1000) > 60) return new Answer(400, { message: 'Invalid timestamp' });
    return account;
  }

  private route(method: string, route: string, query: URLSearchParams, body: Record<string, string>, caller: Account): Answer {
    let match: RegExpMatchArray | null;
    if (method === 'GET' && (match = route.match(/^(.+)\/serviceInfos$/))) return this.serviceInfos(match[1], caller);
    if (method === 'POST' && (match = route.match(/^(.+)\/changeContact$/))) return this.changeContact(match[1], body, caller);
    if (method === 'GET' && (match = route.match(/^\/domain\/([^/]+)$/))) return this.domain(`/domain/${match[1]}`, caller);
    if (method === 'GET' && route === '/me/contact') return new Answer(200, caller.contactIds);
    if (method === 'GET' && route === '/me/task/contactChange') return this.taskIds(query, caller);
    if ((match = route.match(/^\/me\/task\/contactChange\/(\d+)(?:\/(accept|refuse|resendEmail))?$/))) {
      const task = this.tasks.find((t) => t.id === Number(match![1]) && [t.askingAccount, t.fromAccount, t.toAccount].includes(caller.nichandle));
      if (!task) return fail(404, `The requested object (id = ${match[1]}) does not exist`);
      if (method === 'GET' && !match[2]) return new Answer(200, publicTask(task));
      if (method === 'POST' && match[2]) return this.answerTask(task, match[2], body.token, caller);
    }
    return fail(404, 'Got an invalid (or empty) URL');
  }

  /** Only a contact of the service sees it; to anyone else, it does not exist. */
  private visible(route: string, caller: Account) {
    const service = this.services.get(route);
    const isContact = service && FIELDS.some((field) => service.contacts[field] === caller.nichandle);
    return isContact ? service : fail(404, 'This service does not exist');
  }

  private serviceInfos(route: string, caller: Account): Answer {
    const service = this.visible(route, caller);
    return service instanceof Answer ? service : new Answer(200, { ...service.contacts, status: 'ok', serviceId: 1 });
  }

  private domain(route: string, caller: Account): Answer {
    const service = this.visible(route, caller);
    return service instanceof Answer ? service : new Answer(200, { domain: service.name, whoisOwner: String(service.whoisOwner) });
  }

  private changeContact(route: string, body: Record<string, string>, caller: Account): Answer {
    const service = this.visible(route, caller);
    if (service instanceof Answer) return service;
    const changes = FIELDS.filter((field) => body[field]).map((field) => ({ field, to: body[field], from: service.contacts[field] }));
    if (changes.length === 0) return fail(400, 'No contact to change');
    const { contactAdmin: admin, contactTech: tech, contactBilling: billing } = service.contacts;
    for (const { field, to, from } of changes) {
      const allowed = caller.nichandle === admin || (field === 'contactTech' && caller.nichandle === tech) || (field === 'contactBilling' && caller.nichandle === billing);
      if (!allowed) return fail(403, `You are not allowed to change ${field}: only the administrator contact, or its current holder for tech and billing`);
      if (!this.accounts.has(to)) return fail(400, `Invalid nichandle: ${to}`);
      const unpaid = field === 'contactBilling' && [from, to].find((nic) => this.accounts.get(nic)?.unpaidBill);
      if (unpaid) return fail(403, `The billing contacts must have no unpaid bill: ${unpaid} has one`);
      if (this.tasks.some((t) => t.route === route && t.contactTypes.includes(field) && OPEN.includes(t.state))) {
        return fail(409, `A change of ${field} is already pending for this service`);
      }
    }
    const created = changes.map(({ field, from, to }) => {
      const task: Task = {
        id: 1000 + this.tasks.length + 1,
        askingAccount: caller.nichandle,
        fromAccount: from,
        toAccount: to,
        contactTypes: [field],
        serviceDomain: service.name,
        state: 'todo',
        dateRequest: new Date().toISOString(),
        route,
        tokens: { from: randomBytes(6).toString('hex'), to: randomBytes(6).toString('hex') },
        accepted: { from: false, to: false },
        emailsSent: 1,
      };
      this.tasks.push(task);
      return task.id;
    });
    return new Answer(200, created);
  }

  private taskIds(query: URLSearchParams, caller: Account): Answer {
    const ids = this.tasks
      .filter((t) => [t.askingAccount, t.fromAccount, t.toAccount].includes(caller.nichandle))
      .filter((t) => (['state', 'askingAccount', 'toAccount'] as const).every((key) => !query.has(key) || query.get(key) === t[key]))
      .map((t) => t.id);
    return new Answer(200, ids);
  }

  private answerTask(task: Task, action: string, token: string | undefined, caller: Account): Answer {
    if (!OPEN.includes(task.state)) return fail(403, `This task is ${task.state}: it waits for no validation`);
    if (action === 'resendEmail') {
      task.emailsSent++;
      return new Answer(200, null);
    }
    const side = caller.nichandle === task.fromAccount ? 'from' : caller.nichandle === task.toAccount ? 'to' : undefined;
    if (!side) return fail(403, 'This call has not been granted');
    if (token !== task.tokens[side]) return fail(403, 'Invalid token');
    if (action === 'refuse') {
      task.state = 'refused';
      return new Answer(200, null);
    }
    task.accepted[side] = true;
    task.state = task.accepted.from && task.accepted.to ? 'done' : 'validatingByCustomers';
    if (task.state === 'done') for (const field of task.contactTypes) this.services.get(task.route)!.contacts[field] = task.toAccount;
    return new Answer(200, null);
  }
}

function publicTask({ id, askingAccount, fromAccount, toAccount, contactTypes, serviceDomain, state, dateRequest }: Task) {
  return { id, askingAccount, fromAccount, toAccount, contactTypes, serviceDomain, state, dateRequest, dateDone: state === 'done' ? new Date().toISOString() : null };
}
