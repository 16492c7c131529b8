/**
 * Public Cloud users of a project (OpenStack users, here for S3): the project's roles, a user with its roles, its
 * OpenStack RC file, its S3 credentials and its S3 policy.
 *
 * Sources: [cloud.json] OVH's API definition of `/cloud` (`cloud.role.Roles`, `cloud.ProjectUserCreation`,
 * `cloud.user.UserDetail`, `cloud.user.UserStatusEnum`, `cloud.user.Openrc`, `cloud.user.S3CredentialsWithSecret`,
 * `cloud.user.S3CredentialsSecretOnly` via `POST .../s3Credentials/{access}/secret`, `cloud.storage.PolicyRaw`), as
 * mirrored in github:UrielCh/api-ovh-node; the provider v2.19.0 (ovh/resource_cloud_project_user.go: the RC file's four
 * `export OS_...` lines, ovh/resource_cloud_project_user_s3_credential.go, ovh/resource_cloud_project_user_s3_policy.go).
 */
import { serviceError } from '../contacts-model';
import type { ApiRequest, Routes } from '../routes';
import type { World } from '../world';
import { project, projectRoute } from './cloud-project';

/** [cloud.json] `cloud.user.RoleEnum`: the roles every project has, each with an id. */
const ROLES = [
  'admin',
  'administrator',
  'ai_training_operator',
  'ai_training_read',
  'authentication',
  'backup_operator',
  'compute_operator',
  'image_operator',
  'infrastructure_supervisor',
  'network_operator',
  'network_security_operator',
  'objectstore_operator',
  'volume_operator',
].map((name, i) => ({
  id: `${(i + 1).toString(16).padStart(32, '0')}`,
  name,
  description: name.replace(/_/g, ' '),
  permissions: [`${name}:*`],
}));

interface User {
  id: number;
  username: string;
  description: string;
  creationDate: string;
  status: 'creating' | 'ok' | 'deleting';
  roles: string[];
  policy: string;
  credentials: { access: string; secret: string }[];
}

const userRoute = (projectId: string, id: string | number) => `${projectRoute(projectId)}/user/${id}`;

function view(user: User) {
  const { policy: _policy, credentials: _credentials, roles, ...visible } = user;
  return { ...visible, roles: ROLES.filter((role) => roles.includes(role.name)), openstackId: `${user.id}`.padStart(32, 'a') };
}

function userOf({ world, caller, params }: ApiRequest): User | ReturnType<typeof serviceError> {
  const refused = world.manage(projectRoute(params.serviceName), caller);
  if (refused) return refused;
  return (
    world.object<User>(userRoute(params.serviceName, params.userId)) ??
    serviceError(404, `The requested object (userId = ${params.userId}) does not exist`)
  );
}

/**
 * OVH stores a policy as its own JSON, not as sent: compact, with the keys of each statement in its own order (the
 * provider compares policies as JSON for that: `helpers.JSONStringsEqual`, ovh/resource_cloud_project_user_s3_policy.go).
 */
function storedPolicy(policy: string): string {
  const parsed = JSON.parse(policy) as { Statement?: Record<string, unknown>[] };
  const order = ['Sid', 'Effect', 'Resource', 'Action'];
  const statements = (parsed.Statement ?? []).map((statement) =>
    Object.fromEntries(Object.entries(statement).sort(([a], [b]) => order.indexOf(a) - order.indexOf(b) || a.localeCompare(b))),
  );
  return JSON.stringify({ Statement: statements });
}

export function cloudUserRoutes(routes: Routes): void {
  routes
    // [cloud.json] GET /cloud/project/{serviceName}/role → cloud.role.Roles
    .add('GET', '/cloud/project/{serviceName}/role', ({ world, caller, params }) => {
      const found = project(world, caller, params.serviceName);
      return 'project_id' in found ? { roles: ROLES, services: [] } : found;
    })
    // [cloud.json] POST /cloud/project/{serviceName}/user cloud.ProjectUserCreation → cloud.user.UserDetail
    .add('POST', '/cloud/project/{serviceName}/user', ({ world, caller, params, body }) => {
      const found = project(world, caller, params.serviceName);
      if (!('project_id' in found)) return found;
      const roles = [...(Array.isArray(body.roles) ? (body.roles as string[]) : []), ...(typeof body.role === 'string' ? [body.role] : [])];
      const unknown = roles.find((role) => !ROLES.some((r) => r.name === role));
      if (unknown) return serviceError(400, `Invalid role ${unknown}`);
      const id = world.nextId('cloudUser', 610001);
      const user: User = {
        id,
        username: `user-${world.hex(6)}`,
        description: typeof body.description === 'string' ? body.description : '',
        creationDate: world.now().toISOString(),
        status: 'creating',
        roles,
        policy: '{"Statement":[]}',
        credentials: [],
      };
      world.put(userRoute(params.serviceName, id), user);
      return { ...view(user), password: world.hex(12) };
    })
    // [cloud.json] GET /cloud/project/{serviceName}/user/{userId} → cloud.user.User; a new user is ready when first read.
    .add('GET', '/cloud/project/{serviceName}/user/{userId}', (request) => {
      const user = userOf(request);
      if (!('id' in user)) return user;
      user.status = 'ok';
      return view(user);
    })
    // [cloud.json] DELETE /cloud/project/{serviceName}/user/{userId} → void: gone once deleted.
    .add('DELETE', '/cloud/project/{serviceName}/user/{userId}', (request) => {
      const user = userOf(request);
      if (!('id' in user)) return user;
      request.world.delete(userRoute(request.params.serviceName, user.id));
      return null;
    })
    // [cloud.json] GET .../user/{userId}/openrc?region=&version= → cloud.user.Openrc
    .add('GET', '/cloud/project/{serviceName}/user/{userId}/openrc', (request) => {
      const user = userOf(request);
      if (!('id' in user)) return user;
      if (!request.query.get('region')) return serviceError(400, 'Missing parameter: region');
      const tenant = request.params.serviceName;
      return {
        content: [
          '#!/bin/bash',
          'export OS_AUTH_URL=https://auth.cloud.ovh.net/v3/',
          'export OS_IDENTITY_API_VERSION=3',
          `export OS_TENANT_ID=${tenant}`,
          `export OS_TENANT_NAME="${tenant.slice(0, 16)}"`,
          `export OS_USERNAME="${user.username}"`,
          `export OS_REGION_NAME="${request.query.get('region')}"`,
          '',
        ].join('\n'),
      };
    })
    // [cloud.json] POST .../user/{userId}/s3Credentials → cloud.user.S3CredentialsWithSecret
    .add('POST', '/cloud/project/{serviceName}/user/{userId}/s3Credentials', (request) => {
      const user = userOf(request);
      if (!('id' in user)) return user;
      const credential = { access: request.world.hex(16), secret: request.world.hex(16) };
      user.credentials.push(credential);
      return { ...credential, tenantId: request.params.serviceName, userId: `${user.id}`.padStart(32, 'a') };
    })
    // [cloud.json] POST .../user/{userId}/s3Credentials/{access}/secret → cloud.user.S3CredentialsSecretOnly
    .add('POST', '/cloud/project/{serviceName}/user/{userId}/s3Credentials/{access}/secret', (request) => {
      const user = userOf(request);
      if (!('id' in user)) return user;
      const credential = user.credentials.find((c) => c.access === request.params.access);
      return credential
        ? { secret: credential.secret }
        : serviceError(404, `The requested object (access = ${request.params.access}) does not exist`);
    })
    .add('DELETE', '/cloud/project/{serviceName}/user/{userId}/s3Credentials/{access}', (request) => {
      const user = userOf(request);
      if (!('id' in user)) return user;
      if (!user.credentials.some((c) => c.access === request.params.access))
        return serviceError(404, `The requested object (access = ${request.params.access}) does not exist`);
      user.credentials = user.credentials.filter((c) => c.access !== request.params.access);
      return null;
    })
    // [cloud.json] GET/POST .../user/{userId}/policy → cloud.storage.PolicyRaw
    .add('GET', '/cloud/project/{serviceName}/user/{userId}/policy', (request) => {
      const user = userOf(request);
      return 'id' in user ? { policy: user.policy } : user;
    })
    .add('POST', '/cloud/project/{serviceName}/user/{userId}/policy', (request) => {
      const user = userOf(request);
      if (!('id' in user)) return user;
      if (typeof request.body.policy !== 'string') return serviceError(400, 'Missing parameter: policy');
      try {
        user.policy = storedPolicy(request.body.policy);
      } catch {
        return serviceError(400, 'The policy is not valid JSON');
      }
      return null;
    });
}

/** A user of `world`'s project, for tests that look at what was granted. */
export function usersOf(world: World, projectId: string): User[] {
  return world.under<User>(`${projectRoute(projectId)}/user`).map(([, user]) => user);
}
