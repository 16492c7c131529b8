/**
 * What the OVH API stand-in knows: accounts, services and contact-change tasks, with OVH's rules for them.
 * Every rule names its source. The sources:
 * - [me.json]: OVH's API definition of `/me`, as published and mirrored in github:UrielCh/api-ovh-node
 *   (commit edbd42e8, code/gen/models/ovh-api/me.ts): `nichandle.contactChange.Task`, its states
 *   (`nichandle.changeContact.TaskStateEnum`), contact types (`nichandle.changeContact.ContactTypeEnum`),
 *   `GET /me/task/contactChange` with its filters askingAccount, state, toAccount ("tasks you are involved in"),
 *   accept/refuse with `token`, resendEmail ("will send you a new email, containing a new token"),
 *   `GET /me/debtAccount` answering `debt.Balance` {active, dueAmount, pendingAmount, todoAmount, unmaturedAmount},
 *   each an `order.Price` {currencyCode, priceInUcents, text, value}.
 * - [service.json]: the same mirror's vps.ts, domain.ts, hosting-web.ts, email-domain.ts,
 *   hosting-privateDatabase.ts, cloud.ts: `POST <service>/changeContact` {contactAdmin?, contactTech?,
 *   contactBilling?} answering `long[]`; `GET <service>/serviceInfos` answering `services.Service`
 *   {contactAdmin, contactTech, contactBilling, domain, serviceId, status, creation, expiration, ...};
 *   `service.StateEnum`: expired, inCreation, ok, pendingDebt, unPaid; OVH's definition as published now
 *   (https://eu.api.ovh.com/1.0/vps.json) adds autorenewInProgress.
 * - [guide]: OVH's contacts guide, github:ovh/docs at 14ce7850, pages/account_and_service_management/
 *   account_information/managing_contacts/guide.en-gb.md (updated 2025-04-28; guide.fr-fr.md in French): the account
 *   that orders a service is its contacts; the admin changes every contact, tech and billing only hand their own over;
 *   who validates in each case; no change while the old or the new account has an unpaid invoice.
 * - [notes]: what the definitions leave open, read from them: a task names its service (`serviceDomain` in [me.json]),
 *   not its route; `changeContact` answers a list of task ids ([service.json]), which this stand-in makes one per new
 *   nichandle (the definitions do not say how many).
 */
import { randomBytes } from 'node:crypto';
import type { ApiCredentials } from '../../core/credentials';

export type Field = 'contactAdmin' | 'contactTech' | 'contactBilling';
type Contacts = Record<Field, string>;
export const FIELDS: Field[] = ['contactAdmin', 'contactTech', 'contactBilling'];

/** [me.json] nichandle.changeContact.TaskStateEnum; the first four wait for someone. */
export const OPEN_STATES = ['todo', 'checkValidity', 'validatingByCustomers', 'doing'];
export type TaskState = 'todo' | 'checkValidity' | 'validatingByCustomers' | 'doing' | 'done' | 'refused' | 'aborted' | 'expired' | 'error';

/** [service.json] service.StateEnum, and [notes]; OVH changes the contacts of a service in good standing only. */
export type ServiceStatus = 'ok' | 'expired' | 'inCreation' | 'unPaid' | 'pendingDebt' | 'autorenewInProgress';
const CHANGEABLE: ServiceStatus[] = ['ok', 'autorenewInProgress'];

/** An API key's access rule, as `POST /auth/credential` takes them: a method and a path where `*` matches anything. */
export interface AccessRule {
  method: string;
  path: string;
}
const EVERY_RULE: AccessRule[] = ['GET', 'POST', 'PUT', 'DELETE'].map((method) => ({ method, path: '/*' }));

export interface Account {
  nichandle: string;
  credentials: ApiCredentials;
  /** What the account owes, in euros: `dueAmount` of its debt balance. */
  debt: number;
  contactIds: number[];
  rules: AccessRule[];
}

export interface Service {
  name: string;
  contacts: Contacts;
  status: ServiceStatus;
  serviceId: number;
  whoisOwner?: number;
}

export interface Task {
  id: number;
  askingAccount: string;
  fromAccount: string;
  toAccount: string;
  contactTypes: Field[];
  serviceDomain: string;
  state: TaskState;
  dateRequest: string;
  dateDone: string | null;
  /** Not part of OVH's task: the route it changes, which the task itself does not tell ([notes]). */
  route: string;
  /** The current token of each account that must validate; a resent e-mail replaces it. */
  tokens: Record<string, string>;
  accepted: string[];
  emailsSent: Record<string, number>;
}

/** An error as OVH answers it: a status and a JSON body. */
export class ApiError {
  constructor(
    readonly status: number,
    readonly body: Record<string, string>,
  ) {}
}

const REASON: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  429: 'Too Many Requests',
};
/** The authentication layer's errors carry `errorCode` and `httpCode` (e.g. `{"errorCode":"INVALID_SIGNATURE","httpCode":"400 Bad Request",...}`, as python-ovh's client.py and OVH users' reports show). */
export const authError = (status: number, errorCode: string, message: string) =>
  new ApiError(status, { errorCode, httpCode: `${status} ${REASON[status]}`, message });
/** The services' own errors carry a `class` such as `Client::Forbidden` and a message. */
const CLASS: Record<number, string> = {
  400: 'Client::BadRequest',
  403: 'Client::Forbidden',
  404: 'Client::NotFound',
  409: 'Client::Conflict',
};
export const serviceError = (status: number, message: string) => new ApiError(status, { class: CLASS[status], message });

/** Every token the stand-in ever e-mailed, so that tests can check none is ever printed. */
export const issuedTokens: string[] = [];
const token = () => {
  const issued = randomBytes(8).toString('hex');
  issuedTokens.push(issued);
  return issued;
};

/** "/vps/*" matches "/vps/vps-1.ovh.net/serviceInfos": `*` stands for anything, slashes included. */
function ruleMatches(rule: AccessRule, method: string, path: string): boolean {
  const pattern = new RegExp(
    `^${rule.path
      .split('*')
      .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
  );
  return rule.method === method && pattern.test(path);
}

export class ContactsModel {
  readonly accounts = new Map<string, Account>();
  readonly services = new Map<string, Service>();
  readonly tasks: Task[] = [];
  /** OVH's clock minus the machine's, in milliseconds: OVH dates its tasks, and answers `/auth/time`, by its own clock. */
  clockOffsetMs = 0;
  private nextServiceId = 100001;

  /** The time by OVH's clock. */
  now(): Date {
    return new Date(Date.now() + this.clockOffsetMs);
  }

  addAccount(nichandle: string, options: { contactIds?: number[]; debt?: number; rules?: AccessRule[] } = {}): ApiCredentials {
    const secret = () => randomBytes(12).toString('hex');
    const credentials = { applicationKey: secret(), applicationSecret: secret(), consumerKey: secret() };
    this.accounts.set(nichandle, {
      nichandle,
      credentials,
      debt: options.debt ?? 0,
      contactIds: options.contactIds ?? [],
      rules: options.rules ?? EVERY_RULE,
    });
    return credentials;
  }

  /** `route` as in the API, e.g. `/vps/vps-1.ovh.net`; its last segment is the service name. */
  addService(
    route: string,
    contacts: { admin: string; tech: string; billing: string },
    whoisOwner?: number,
    status: ServiceStatus = 'ok',
  ): void {
    const name = route.split('/').pop()!;
    const serviceId = this.services.get(route)?.serviceId ?? this.nextServiceId++;
    this.services.set(route, {
      name,
      contacts: { contactAdmin: contacts.admin, contactTech: contacts.tech, contactBilling: contacts.billing },
      status,
      serviceId,
      whoisOwner,
    });
  }

  granted(account: Account, method: string, path: string): boolean {
    return account.rules.some((rule) => ruleMatches(rule, method, path));
  }

  /** Only a contact of a service sees it. */
  visible(route: string, caller: Account): Service | ApiError {
    const service = this.services.get(route);
    const isContact = service && FIELDS.some((field) => service.contacts[field] === caller.nichandle);
    return isContact ? service : serviceError(404, `The requested object (serviceName = ${route.split('/').pop()}) does not exist`);
  }

  serviceInfos(route: string, caller: Account): object | ApiError {
    const service = this.visible(route, caller);
    if (service instanceof ApiError) return service;
    const year = new Date().getUTCFullYear();
    return {
      ...service.contacts,
      domain: service.name,
      serviceId: service.serviceId,
      status: service.status,
      creation: `${year}-01-02`,
      expiration: `${year + 1}-01-02`,
      renewalType: 'automaticV2016',
      canDeleteAtExpiration: true,
      engagedUpTo: null,
      possibleRenewPeriod: [12],
      renew: { automatic: true, deleteAtExpiration: false, forced: false, manualPayment: false, period: 12 },
    };
  }

  debtBalance(caller: Account): object {
    const price = (euros: number) => ({
      currencyCode: 'EUR',
      priceInUcents: Math.round(euros * 1e8),
      text: `${euros.toFixed(2)} €`,
      value: euros,
    });
    return {
      active: caller.debt > 0,
      dueAmount: price(caller.debt),
      pendingAmount: price(0),
      todoAmount: price(0),
      unmaturedAmount: price(0),
    };
  }

  /**
   * [guide] the admin may change every contact; the tech and the billing contacts only hand their own over; nothing
   * changes while the asking, the old or the new account owes; [service.json] a service not in good standing does not
   * change; [notes] one task per new nichandle, answered as the list of their ids.
   */
  changeContact(route: string, body: Record<string, unknown>, caller: Account): number[] | ApiError {
    const service = this.visible(route, caller);
    if (service instanceof ApiError) return service;
    const changes = FIELDS.filter((field) => body[field] !== undefined).map((field) => ({
      field,
      to: String(body[field]),
      from: service.contacts[field],
    }));
    if (changes.length === 0) return serviceError(400, 'No contact to change');
    if (!CHANGEABLE.includes(service.status)) return serviceError(403, `The service is ${service.status}: its contacts cannot be changed`);
    const { contactAdmin: admin, contactTech: tech, contactBilling: billing } = service.contacts;
    for (const { field, to, from } of changes) {
      const allowed =
        caller.nichandle === admin ||
        (field === 'contactTech' && caller.nichandle === tech) ||
        (field === 'contactBilling' && caller.nichandle === billing);
      if (!allowed)
        return serviceError(
          403,
          `You are not allowed to change ${field}: only the administrator contact, or its current holder for tech and billing`,
        );
      if (!this.accounts.has(to)) return serviceError(400, `Invalid nichandle: ${to}`);
      if (to === from) return serviceError(400, `${to} is already ${field}`);
      const owing = [caller.nichandle, from, to].find((nic) => (this.accounts.get(nic)?.debt ?? 0) > 0);
      if (owing) return serviceError(403, `Contact changes are not allowed while ${owing} has unpaid invoices`);
      if (this.tasks.some((t) => t.route === route && t.contactTypes.includes(field) && OPEN_STATES.includes(t.state))) {
        return serviceError(409, `A change of ${field} is already pending for this service`);
      }
    }
    const byNewAccount = new Map<string, typeof changes>();
    for (const change of changes) byNewAccount.set(change.to, [...(byNewAccount.get(change.to) ?? []), change]);
    return [...byNewAccount].map(([to, group]) => {
      const validators = [...new Set([caller.nichandle, to])];
      const task: Task = {
        id: 1000 + this.tasks.length + 1,
        askingAccount: caller.nichandle,
        // A task names one old account; when the contacts moved to one new account had different holders, the first.
        fromAccount: group[0].from,
        toAccount: to,
        contactTypes: group.map((change) => change.field),
        serviceDomain: service.name,
        state: 'todo',
        dateRequest: this.now().toISOString(),
        dateDone: null,
        route,
        tokens: Object.fromEntries(validators.map((nic) => [nic, token()])),
        accepted: [],
        emailsSent: Object.fromEntries(validators.map((nic) => [nic, 1])),
      };
      this.tasks.push(task);
      return task.id;
    });
  }

  /** [me.json] the tasks the caller is involved in (asking, old or new account), filtered on equality here. */
  taskIds(query: URLSearchParams, caller: Account): number[] {
    return this.tasks
      .filter((t) => this.involves(t, caller))
      .filter((t) => (['state', 'askingAccount', 'toAccount'] as const).every((key) => !query.has(key) || query.get(key) === t[key]))
      .map((t) => t.id);
  }

  task(id: number, caller: Account): Task | ApiError {
    const task = this.tasks.find((t) => t.id === id && this.involves(t, caller));
    return task ?? serviceError(404, `The requested object (id = ${id}) does not exist`);
  }

  /**
   * [guide] who validates: the asking account and the new one (a single validation when the admin takes a contact
   * back); the old account, when it is neither, is only informed. Tokens are personal and single-use.
   */
  answer(task: Task, action: 'accept' | 'refuse' | 'resendEmail', body: Record<string, unknown>, caller: Account): null | ApiError {
    if (!OPEN_STATES.includes(task.state)) return serviceError(403, `This request is ${task.state}: it waits for no validation`);
    if (!(caller.nichandle in task.tokens))
      return serviceError(403, `${caller.nichandle} is only informed of this request: it does not validate it`);
    if (action === 'resendEmail') {
      task.tokens[caller.nichandle] = token();
      task.emailsSent[caller.nichandle]++;
      return null;
    }
    if (typeof body.token !== 'string' || body.token !== task.tokens[caller.nichandle]) return serviceError(403, 'Invalid token');
    task.tokens[caller.nichandle] = token(); // used once
    if (action === 'refuse') {
      task.state = 'refused';
      task.dateDone = this.now().toISOString();
      return null;
    }
    task.accepted = [...new Set([...task.accepted, caller.nichandle])];
    if (Object.keys(task.tokens).every((nic) => task.accepted.includes(nic))) this.complete(task);
    else task.state = 'validatingByCustomers';
    return null;
  }

  private complete(task: Task): void {
    task.state = 'done';
    task.dateDone = this.now().toISOString();
    const service = this.services.get(task.route);
    if (service) for (const field of task.contactTypes) service.contacts[field] = task.toAccount;
  }

  private involves(task: Task, caller: Account): boolean {
    return [task.askingAccount, task.fromAccount, task.toAccount].includes(caller.nichandle);
  }
}
