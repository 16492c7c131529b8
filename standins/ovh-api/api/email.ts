/**
 * E-mail domains' mailboxes. The e-mail offer itself is ordered by hand (the provider has no resource for it); its
 * mailboxes are created, read, described, given a new password and deleted.
 *
 * Sources: [email-domain.json] OVH's API definition of `/email/domain` (`email.domain.Account`,
 * `POST /email/domain/{domain}/account {accountName, password, description?, size?}`,
 * `PUT .../account/{accountName} {description?, size?}`, `POST .../changePassword {password}`), as mirrored in
 * github:UrielCh/api-ovh-node; the provider v2.19.0 (ovh/resource_email_domain_account.go and _gen.go).
 */
import { serviceError } from '../contacts-model';
import type { Routes } from '../routes';
import type { World } from '../world';

export const emailDomainRoute = (domain: string) => `/email/domain/${domain}`;
const accountRoute = (domain: string, account: string) => `${emailDomainRoute(domain)}/account/${account}`;

/** The mailbox sizes OVH offers, in bytes ([email-domain.json] the account's `size`). */
const SIZES = [2_500_000_000, 5_000_000_000];

/** [email-domain.json] `email.domain.Account`, with the password OVH keeps (never answered). */
export function createMailbox(world: World, domain: string, accountName: string, password: string, description = ''): void {
  world.put(accountRoute(domain, accountName), {
    accountName,
    domain,
    email: `${accountName}@${domain}`,
    description,
    size: SIZES[1],
    isBlocked: false,
    state: 'ok',
    password,
  });
}

/** OVH's password rule for mailboxes: 9 to 30 characters, no space, not only letters or only digits. */
function passwordProblem(password: unknown): string | undefined {
  if (typeof password !== 'string' || password.length < 9 || password.length > 30) return 'The password must be 9 to 30 characters long';
  if (/\s/.test(password)) return 'The password must not contain spaces';
  return undefined;
}

export function emailRoutes(routes: Routes): void {
  const view = (world: World, domain: string, account: string) => {
    const mailbox = world.object<Record<string, unknown>>(accountRoute(domain, account));
    if (!mailbox) return serviceError(404, `The requested object (accountName = ${account}) does not exist`);
    const { password: _password, ...visible } = mailbox;
    return visible;
  };
  routes
    // [email-domain.json] POST /email/domain/{domain}/account → email.domain.TaskPop
    .add('POST', '/email/domain/{domain}/account', ({ world, caller, params, body }) => {
      const refused = world.manage(emailDomainRoute(params.domain), caller);
      if (refused) return refused;
      const name = body.accountName;
      if (typeof name !== 'string' || !/^[a-z0-9][a-z0-9._-]{0,31}$/.test(name)) return serviceError(400, 'Invalid accountName');
      if (world.object(accountRoute(params.domain, name))) return serviceError(409, `The account ${name} already exists`);
      const problem = passwordProblem(body.password);
      if (problem) return serviceError(400, problem);
      createMailbox(world, params.domain, name, String(body.password), typeof body.description === 'string' ? body.description : '');
      if (typeof body.size === 'number') {
        if (!SIZES.includes(body.size)) return serviceError(400, `Invalid size ${body.size}`);
        world.object<Record<string, unknown>>(accountRoute(params.domain, name))!.size = body.size;
      }
      return {
        id: world.nextId('emailTask', 4001),
        action: 'create',
        status: 'todo',
        name,
        domain: params.domain,
        date: world.now().toISOString(),
      };
    })
    .add('GET', '/email/domain/{domain}/account/{accountName}', ({ world, caller, params }) => {
      return world.manage(emailDomainRoute(params.domain), caller) ?? view(world, params.domain, params.accountName);
    })
    // [email-domain.json] PUT /email/domain/{domain}/account/{accountName} {description?, size?} → void
    .add('PUT', '/email/domain/{domain}/account/{accountName}', ({ world, caller, params, body }) => {
      const refused = world.manage(emailDomainRoute(params.domain), caller);
      if (refused) return refused;
      const mailbox = world.object<Record<string, unknown>>(accountRoute(params.domain, params.accountName));
      if (!mailbox) return serviceError(404, `The requested object (accountName = ${params.accountName}) does not exist`);
      if (typeof body.description === 'string') mailbox.description = body.description;
      if (typeof body.size === 'number') mailbox.size = body.size;
      return null;
    })
    .add('POST', '/email/domain/{domain}/account/{accountName}/changePassword', ({ world, caller, params, body }) => {
      const refused = world.manage(emailDomainRoute(params.domain), caller);
      if (refused) return refused;
      const mailbox = world.object<Record<string, unknown>>(accountRoute(params.domain, params.accountName));
      if (!mailbox) return serviceError(404, `The requested object (accountName = ${params.accountName}) does not exist`);
      const problem = passwordProblem(body.password);
      if (problem) return serviceError(400, problem);
      mailbox.password = body.password;
      return { id: world.nextId('emailTask', 4001), action: 'changePassword', status: 'todo' };
    })
    .add('DELETE', '/email/domain/{domain}/account/{accountName}', ({ world, caller, params }) => {
      const refused = world.manage(emailDomainRoute(params.domain), caller);
      if (refused) return refused;
      const route = accountRoute(params.domain, params.accountName);
      if (!world.object(route)) return serviceError(404, `The requested object (accountName = ${params.accountName}) does not exist`);
      world.delete(route);
      return { id: world.nextId('emailTask', 4001), action: 'delete', status: 'todo' };
    });
}
