/**
 * Which resources are protected from destruction is decided once (`policy/protection.ts`) and applied to every stack
 * by one aspect, which also refuses a stack where a construct turns the protection off.
 */
import { Aspects, Testing, TerraformStack } from 'cdktf';
import { Vps } from '../.gen/providers/ovh/vps';
import { CloudProjectInstance } from '../.gen/providers/ovh/cloud-project-instance';
import { Protection } from '../constructs/protection';
import { ORDERED_RESOURCE_TYPES } from '../policy/protection';
import { SERVICE_KINDS } from '../policy/service-kinds';
import { resourcesOf, standardClient, synthClient } from './support';

const everything = {
  ...standardClient,
  size: 'large',
  domains: [{ name: 'betterfinance.eu', records: [{ type: 'A', subdomain: '', target: '51.38.12.1' }] }],
  hosting: {
    vps: [{ name: 'web', plan: 'vps-2025-model1', datacenter: 'GRA', os: 'Debian 12' }],
    privateDatabases: [{ name: 'main', plan: 'private-sql-1024-instance', engine: 'mysql_8.0', datacenter: 'gra3' }],
    emailDomains: [{ domain: 'betterfinance.eu', mailboxes: [{ account: 'contact' }] }],
  },
  instances: [
    { name: 'kept', region: 'GRA11', flavor: 'b3-8', image: 'Debian 12' },
    { name: 'rebuilt', region: 'GRA11', flavor: 'b3-8', image: 'Debian 12', replace: true },
  ],
  backups: [{ name: 'files' }],
};

const preventDestroy = (resource: Record<string, unknown>) =>
  (resource.lifecycle as { prevent_destroy?: boolean } | undefined)?.prevent_destroy;

describe('every billed or data-holding resource is protected', () => {
  const stack = synthClient(everything);

  test.each([
    'ovh_domain_name',
    'ovh_vps',
    'ovh_hosting_privatedatabase',
    'ovh_cloud_project',
    'ovh_cloud_project_storage',
    'ovh_email_domain_account',
  ])('%s', (type) => {
    const resources = resourcesOf(stack, type);
    expect(resources.length).toBeGreaterThan(0);
    for (const resource of resources) expect(preventDestroy(resource)).toBe(true);
  });

  test('an instance is, unless its file lets it be rebuilt (replace: true)', () => {
    const byName = Object.fromEntries(
      resourcesOf(stack, 'ovh_cloud_project_instance').map((instance) => [instance.name, preventDestroy(instance)]),
    );
    expect(byName).toEqual({ kept: true, rebuilt: false });
  });

  test('nothing else is: records, users, keys and lifecycle rules can be made again', () => {
    for (const type of ['ovh_domain_zone_record', 'ovh_cloud_project_user', 'ovh_cloud_project_user_s3_credential', 'terraform_data']) {
      for (const resource of resourcesOf(stack, type)) expect(preventDestroy(resource)).toBeUndefined();
    }
  });
});

test('the ordered types the change review watches are the service kinds’ resources and the backup bucket', () => {
  const kinds = Object.values(SERVICE_KINDS).flatMap((row) => (row.resource ? [row.resource] : []));
  expect([...ORDERED_RESOURCE_TYPES].sort()).toEqual([...kinds, 'ovh_cloud_project_storage'].sort());
  expect(ORDERED_RESOURCE_TYPES.has('ovh_domain_zone')).toBe(true); // an earlier stack's zone order, still in a state
});

describe('a construct cannot turn the protection off', () => {
  const stackWith = (replaceable: string[], build: (stack: TerraformStack) => void) => {
    const stack = new TerraformStack(Testing.app(), 'client.be');
    Aspects.of(stack).add(new Protection({ replaceable }));
    build(stack);
    return () => Testing.synth(stack);
  };

  test('on a billed service: the synthesis fails and names it', () => {
    const synth = stackWith([], (stack) => new Vps(stack, 'vps-web', { lifecycle: { preventDestroy: false } }));
    expect(synth).toThrow(
      'vps-web (ovh_vps) is protected from destruction (policy/protection.ts), but its construct turns prevent_destroy off',
    );
  });

  test('an ordered service stays protected even under a path the plan lets be replaced', () => {
    const synth = stackWith(['vps-web'], (stack) => new Vps(stack, 'vps-web', {}));
    expect(JSON.parse(synth()).resource.ovh_vps['vps-web'].lifecycle).toEqual({ prevent_destroy: true });
  });

  test('on an instance the plan does not let be replaced: refused; one it does: left unprotected', () => {
    const instance = (stack: TerraformStack, id: string) =>
      new CloudProjectInstance(stack, id, {
        serviceName: 'p',
        name: id,
        region: 'GRA11',
        billingPeriod: 'hourly',
        bootFrom: {},
        flavor: { flavorId: 'f' },
        network: { public: true },
        lifecycle: { preventDestroy: false },
      });
    expect(stackWith([], (stack) => instance(stack, 'instance-web'))).toThrow('instance-web (ovh_cloud_project_instance) is protected');
    const synthesized = JSON.parse(stackWith(['instance-web'], (stack) => instance(stack, 'instance-web'))());
    expect(synthesized.resource.ovh_cloud_project_instance['instance-web'].lifecycle).toEqual({ prevent_destroy: false });
  });
});
