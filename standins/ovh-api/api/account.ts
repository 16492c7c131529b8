/**
 * The caller's own account: who it is (`/auth/details`, `/me`), how it pays (`/me/payment/method`), the e-mails OVH
 * sent it (`/me/notification/email/history`: where the provider finds a termination's confirmation token), and its
 * services by id (`/services`, the generic termination of `/services/{serviceId}/terminate`).
 *
 * Sources: [auth.json] and [me.json] and [services.json], OVH's API definitions of `/auth`, `/me` and `/services`
 * (api.ovh.com/1.0, as mirrored in github:UrielCh/api-ovh-node); the provider v2.19.0 (github:ovh/terraform-provider-ovh
 * ovh/config.go, ovh/type_auth.go, ovh/types_me.go, ovh/notification_email.go, ovh/services.go, ovh/order.go).
 */
import { serviceError } from '../contacts-model';
import { Answer, type ApiRequest, type Routes } from '../routes';
import type { World } from '../world';

/**
 * The e-mail OVH sends when a termination is asked for: its link carries the token that confirms it. The provider
 * finds it among the new e-mails by `/billing/confirmTerminate` and the service's name, and reads the token with
 * `.*\/billing\/confirmTerminate\?id=[[:alnum:]]+&token=([[:alnum:]]+).*` (ovh/order.go).
 */
export function sendTerminationEmail(world: World, nichandle: string, serviceName: string, serviceId: number): string {
  const token = world.hex(16);
  world.email(
    nichandle,
    `Termination of your service ${serviceName}`,
    `You asked for the termination of ${serviceName}. To confirm it, follow this link: ` +
      `https://www.ovh.com/manager/#/billing/confirmTerminate?id=${serviceId}&token=${token} . Without confirmation, nothing happens.`,
  );
  return token;
}

/** Asks for the termination of the service at `route`: OVH e-mails the caller the token that confirms it. */
function askTermination(world: World, route: string, nichandle: string): void {
  const service = world.model.services.get(route)!;
  world.state.terminations[route] = sendTerminationEmail(world, nichandle, service.name, service.serviceId);
}

/** Confirms a termination asked for by `askTermination`: the service goes, or OVH refuses the token. */
function confirmTermination(world: World, route: string, token: unknown): Answer | ReturnType<typeof serviceError> {
  if (typeof token !== 'string' || world.state.terminations[route] !== token) return serviceError(403, 'Invalid token');
  delete world.state.terminations[route];
  world.removeService(route);
  return new Answer(200, 'The service will be terminated');
}

/**
 * A product's own termination routes, as OVH's definitions of `/vps`, `/hosting/privateDatabase`, `/domain/zone` and
 * `/cloud/project` have them: `POST <service>/terminate` (answered with a string: an e-mail carries the token), then
 * `POST <service>/confirmTermination {token, reason?, commentary?}`. Only who manages the service may ask.
 */
export function terminationRoutes(routes: Routes, service: string): void {
  const routeOf = (params: Record<string, string>) => service.replace(/\{(\w+)\}/, (_, name: string) => params[name]);
  routes
    .add('POST', `${service}/terminate`, ({ world, caller, params }) => {
      const route = routeOf(params);
      const refused = world.manage(route, caller);
      if (refused) return refused;
      askTermination(world, route, caller.nichandle);
      return 'An e-mail has been sent to confirm the termination';
    })
    .add('POST', `${service}/confirmTermination`, ({ world, caller, params, body }) => {
      const route = routeOf(params);
      return world.manage(route, caller) ?? confirmTermination(world, route, body.token);
    });
}

function serviceById({ world, caller, params }: ApiRequest) {
  const entry = [...world.model.services].find(([, service]) => String(service.serviceId) === params.serviceId);
  if (!entry || world.manage(entry[0], caller)) return undefined;
  return entry;
}

export function accountRoutes(routes: Routes): void {
  routes
    // [auth.json] GET /auth/details → auth.Details; the provider reads `account` once per configuration (ovh/config.go).
    .add('GET', '/auth/details', ({ caller }) => ({
      account: caller.nichandle,
      allowedRoutes: caller.rules.map(({ method, path }) => ({ method, path })),
      description: 'API key of the agency',
      identities: [`urn:v1:eu:identity:account:${caller.nichandle}`],
      method: 'account',
      roles: [],
      user: '',
    }))
    // [me.json] GET /me → nichandle.Nichandle; the order flow reads `ovhSubsidiary` (ovh/order.go getOVHSubsidiary).
    .add('GET', '/me', ({ caller, world }) => ({
      nichandle: caller.nichandle,
      ovhSubsidiary: world.account(caller.nichandle).ovhSubsidiary,
      ovhCompany: 'ovh',
      country: world.account(caller.nichandle).ovhSubsidiary,
      currency: { code: 'EUR', symbol: 'EURO' },
      email: `${caller.nichandle}@example.invalid`,
      legalform: 'corporation',
      state: 'complete',
      customerCode: '0000-0000-00',
      language: 'fr_FR',
    }))
    // [me.json] GET /me/payment/method?default=... → long[] (paymentMethodId); the order flow asks for the default one.
    .add('GET', '/me/payment/method', ({ caller, world, query }) => {
      const wanted = query.get('default');
      return world
        .account(caller.nichandle)
        .paymentMethods.filter((method) => wanted === null || String(method.default) === wanted)
        .map((method) => method.paymentMethodId);
    })
    .add('GET', '/me/payment/method/{paymentMethodId}', ({ caller, world, params }) => {
      const method = world.account(caller.nichandle).paymentMethods.find((m) => String(m.paymentMethodId) === params.paymentMethodId);
      return method ?? serviceError(404, `The requested object (paymentMethodId = ${params.paymentMethodId}) does not exist`);
    })
    // [me.json] GET /me/notification/email/history → long[]; /{id} → nichandle.emailNotification {id, date, subject, body}.
    .add('GET', '/me/notification/email/history', ({ caller, world }) => world.account(caller.nichandle).emails.map((email) => email.id))
    .add('GET', '/me/notification/email/history/{id}', ({ caller, world, params }) => {
      const email = world.account(caller.nichandle).emails.find((e) => String(e.id) === params.id);
      return email ?? serviceError(404, `The requested object (id = ${params.id}) does not exist`);
    })
    // [services.json] GET /services?resourceName=&routes= → long[]: the services the caller manages, filtered.
    .add('GET', '/services', ({ caller, world, query }) => {
      const name = query.get('resourceName');
      const template = query.get('routes');
      return [...world.model.services]
        .filter(([route, service]) => !world.manage(route, caller) && (name === null || service.name === name))
        .filter(([route, service]) => template === null || template.replace(/\{[^}]+\}/, service.name) === route)
        .map(([, service]) => service.serviceId);
    })
    // [services.json] POST /services/{serviceId}/terminate → services.terminate.TerminationAnswer; an e-mail confirms it.
    .add('POST', '/services/{serviceId}/terminate', (request) => {
      const entry = serviceById(request);
      if (!entry) return serviceError(404, `The requested object (serviceId = ${request.params.serviceId}) does not exist`);
      askTermination(request.world, entry[0], request.caller.nichandle);
      return { serviceId: entry[1].serviceId, status: 'pending', message: 'An e-mail confirms the termination' };
    })
    .add('POST', '/services/{serviceId}/terminate/confirm', (request) => {
      const entry = serviceById(request);
      if (!entry) return serviceError(404, `The requested object (serviceId = ${request.params.serviceId}) does not exist`);
      return confirmTermination(request.world, entry[0], request.body.token);
    });
}
