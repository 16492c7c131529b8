/**
 * What exists at the OVH API stand-in: besides the accounts, services and contact changes of `contacts-model.ts`,
 * each account's orders, carts, payment methods and notification e-mails, and every product's own objects (a VPS, a
 * zone's records, a Public Cloud project's instances and buckets...), as the routes of `api/` read and write them.
 * Plain JSON, so that the whole world is written to its file after every change: a later `terraform plan` reads
 * what an apply made, and a kept run can be read afterwards.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import { ApiError, serviceError, type Account, type ContactsModel, type ServiceStatus } from './contacts-model';

/** [me.json] `nichandle.emailNotification`: what `/me/notification/email/history/{id}` answers. */
export interface NotificationEmail {
  id: number;
  date: string;
  subject: string;
  body: string;
}

/** [me.json] `me.payment.method.PaymentMethod` (the fields kept). */
export interface PaymentMethod {
  paymentMethodId: number;
  paymentType: string;
  default: boolean;
  status: 'VALID';
  description: string;
}

export interface AccountDetails {
  /** [me.json] `nichandle.Nichandle.ovhSubsidiary`, e.g. `FR`. */
  ovhSubsidiary: string;
  paymentMethods: PaymentMethod[];
  emails: NotificationEmail[];
}

/** [order.json] `order.cart.Item`, with what the stand-in needs of the product ordered. */
export interface CartItem {
  itemId: number;
  cartId: string;
  /** The product of `POST /order/cart/{cartId}/{product}`: `vps`, `domain`, `cloud`, `privateSQL`, `dns`... */
  product: string;
  planCode: string;
  duration: string;
  pricingMode: string;
  quantity: number;
  /** A domain order's domain (`order.cart.DomainSettings`). */
  domain?: string;
  configurations: { id: number; label: string; value: string }[];
}

/** [order.json] `order.Cart`. */
export interface Cart {
  cartId: string;
  /** The account it is assigned to (`POST /order/cart/{cartId}/assign`); a cart is created anonymously. */
  nichandle?: string;
  ovhSubsidiary: string;
  description?: string;
  expire: string;
  readOnly: boolean;
  items: number[];
}

/** [me.json] `billing.OrderDetail`, with the plan and configurations its extension tells. */
export interface OrderDetail {
  orderDetailId: number;
  description: string;
  /** The service's name, once known (OVH names VPS, databases and projects itself). */
  domain: string;
  quantity: string;
  product: string;
  planCode: string;
  configurations: { label: string; value: string }[];
}

/** [order.json] `order.OrderStatusEnum`. */
export type OrderStatus =
  'checking' | 'delivering' | 'delivered' | 'notPaid' | 'cancelled' | 'cancelling' | 'unknown' | 'documentsRequested';

export interface Order {
  orderId: number;
  nichandle: string;
  date: string;
  expirationDate: string;
  paid: boolean;
  status: OrderStatus;
  /** Status reads until delivery, counted down by each `GET /me/order/{orderId}/status` once paid. */
  pollsLeft: number;
  /** Why OVH cancels it at delivery instead (a fault a test asks for). */
  failure?: string;
  /** Reads of its details that still show no service name once delivered (a fault a test asks for). */
  unnamedReads: number;
  priceWithoutTax: number;
  details: OrderDetail[];
}

/** What can go wrong with the next orders of a product, as a test asks. */
export interface OrderFault {
  product: string;
  /** Cancelled by OVH once paid, with this reason in the order's history. */
  cancel?: string;
  /** Status reads before delivery. */
  polls?: number;
  /** Delivered, but its details still name no service (`*`) for this many reads after delivery. */
  unnamedReads?: number;
}

/** The world as the file holds it. */
export interface WorldState {
  accounts: Record<string, AccountDetails>;
  carts: Record<string, Cart>;
  items: Record<number, CartItem>;
  orders: Record<number, Order>;
  /** Every product object, by its API route (e.g. `/vps/vps-1a2b3c4d.vps.ovh.net`, `/domain/zone/x.be/record/7`). */
  objects: Record<string, Record<string, unknown>>;
  /** The token of each termination asked for and not confirmed yet, by service route. */
  terminations: Record<string, string>;
  /** Plan codes that OVH no longer sells. */
  withdrawnPlans: string[];
  next: Record<string, number>;
}

export class World {
  readonly state: WorldState = {
    accounts: {},
    carts: {},
    items: {},
    orders: {},
    objects: {},
    terminations: {},
    withdrawnPlans: [],
    next: {},
  };
  /** What the next orders meet, consumed in order. */
  readonly orderFaults: OrderFault[] = [];
  /** Status reads each order takes before it is delivered, unless a fault says otherwise. */
  deliveryPolls = 2;

  constructor(
    readonly model: ContactsModel,
    private readonly file?: string,
  ) {}

  now(): Date {
    return new Date();
  }

  /** The next number of a sequence (`order`, `email`...), from `start`. */
  nextId(sequence: string, start = 1): number {
    const id = this.state.next[sequence] ?? start;
    this.state.next[sequence] = id + 1;
    return id;
  }

  hex(bytes: number): string {
    return randomBytes(bytes).toString('hex');
  }

  uuid(): string {
    return randomUUID();
  }

  /** The account's details, made on first use: every OVH account has a default payment method and a first e-mail. */
  account(nichandle: string): AccountDetails {
    let details = this.state.accounts[nichandle];
    if (!details) {
      details = { ovhSubsidiary: 'FR', paymentMethods: [], emails: [] };
      this.state.accounts[nichandle] = details;
      details.paymentMethods.push(this.paymentMethod(true));
      this.email(nichandle, 'Welcome to OVHcloud', `Your account ${nichandle} is ready.`);
    }
    return details;
  }

  paymentMethod(isDefault: boolean): PaymentMethod {
    const id = this.nextId('paymentMethod', 8001);
    return { paymentMethodId: id, paymentType: 'CREDIT_CARD', default: isDefault, status: 'VALID', description: `card ${id}` };
  }

  /** An e-mail OVH sends `nichandle`, as `/me/notification/email/history` lists it. */
  email(nichandle: string, subject: string, body: string): NotificationEmail {
    const email = { id: this.nextId('email', 5001), date: this.now().toISOString(), subject, body };
    this.account(nichandle).emails.push(email);
    return email;
  }

  object<T extends object>(route: string): T | undefined {
    return this.state.objects[route] as T | undefined;
  }

  put(route: string, object: object): void {
    this.state.objects[route] = object as Record<string, unknown>;
  }

  delete(route: string): void {
    delete this.state.objects[route];
  }

  /** The objects under `prefix` + `/` (one level or more below). */
  under<T extends object>(prefix: string): [string, T][] {
    return Object.entries(this.state.objects).filter(([route]) => route.startsWith(`${prefix}/`)) as [string, T][];
  }

  /** A service OVH delivered to `nichandle`: its contacts are the orderer's until changed (contacts-model.ts [guide]). */
  addService(route: string, nichandle: string, status: ServiceStatus = 'ok'): void {
    this.model.addService(route, { admin: nichandle, tech: nichandle, billing: nichandle }, undefined, status);
  }

  /** Terminates a service: gone from the API, and with it every object below it. */
  removeService(route: string): void {
    this.model.services.delete(route);
    this.delete(route);
    for (const [below] of this.under(route)) this.delete(below);
  }

  /**
   * The service at `route`, if the caller may manage it: its administrator or its technical contact (the billing
   * contact sees its bills only). OVH answers anyone else as if it did not exist.
   */
  manage(route: string, caller: Account, name = route.split('/').pop()!): ApiError | undefined {
    const service = this.model.services.get(route);
    const contacts = service && [service.contacts.contactAdmin, service.contacts.contactTech];
    if (!contacts?.includes(caller.nichandle)) return serviceError(404, `The requested object (serviceName = ${name}) does not exist`);
    return undefined;
  }

  /** Writes the world to its file, when it has one. */
  save(): void {
    if (!this.file) return;
    const services = Object.fromEntries(this.model.services);
    const tasks = this.model.tasks.map(({ tokens: _tokens, ...task }) => task);
    fs.writeFileSync(this.file, `${JSON.stringify({ ...this.state, services, tasks }, null, 1)}\n`);
  }
}
