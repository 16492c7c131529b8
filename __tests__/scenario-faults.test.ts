/**
 * What the real provider meets at OVH, and how each case ends: with terraform's words, the advice the project adds to
 * them (`provider-schema/failures.ts`, printed by verify and CI), and a state the next plan can work with. Faults are
 * set on the OVH API stand-in. Each case has a scenario of its own (its client file, its stand-in), so the cases
 * neither mix nor wait for one another: they run at once, each waiting on the provider as long as its case requires.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { adviceFor, type StackFacts } from '../provider-schema/failures';
import { HOSTING_NIC } from './support';
import { changesOf, withScenario, type Scenario } from './scenario';

const vps = { name: 'web', plan: 'vps-2025-model1', datacenter: 'GRA', os: 'Debian 12' };
/** A clients folder of one standard client. */
const folderOf = (id: string, nichandle: string, extra: object) => ({
  [`${id}.yaml`]: { id, name: id, size: 'standard', nichandle, ...extra },
});
/** A domain that exists, with a record adopted by its OVH id. */
const adoptedRecord = { type: 'A', subdomain: '', target: '51.91.40.12', existing: 5138712 };
const olden = (records: object[], extra: object = {}) =>
  folderOf('olden.be', 'ol11111-ovh', { domains: [{ name: 'olden.be', existing: true, handedOver: true, records }], ...extra });

const stackFacts = (scenario: Scenario, stack: string) =>
  JSON.parse(fs.readFileSync(path.join(scenario.harness.stackDir(stack), 'cdk.tf.json'), 'utf8')) as StackFacts;
const apply = (scenario: Scenario, stack: string) => scenario.terraform(stack, 'apply', '-auto-approve', '-input=false');
const typesInState = async (scenario: Scenario, stack: string) =>
  ((await scenario.state(stack)).values?.root_module?.resources ?? []).map((r) => r.type);

test.concurrent(
  'an account without a default payment method orders nothing, and says which account; once it has one, the order goes through',
  () =>
    withScenario(folderOf('unpaid.be', 'up11111-ovh', { domains: [{ name: 'unpaid.be', records: [] }] }), async (scenario) => {
      const { world } = scenario.ovhApi;
      const methods = world.account('up11111-ovh').paymentMethods.splice(0);
      const failed = await apply(scenario, 'unpaid.be');
      expect(failed.code).toBe(1);
      expect(failed.stderr).toContain('no default payment found');
      expect(adviceFor(failed.stderr, stackFacts(scenario, 'unpaid.be'))).toEqual([
        expect.stringMatching(
          /^the OVH account unpaid_be \(up11111-ovh\) has no default payment method at OVH, so the order of ovh_domain_name\./,
        ),
      ]);
      expect(await typesInState(scenario, 'unpaid.be')).not.toContain('ovh_domain_name');
      expect(scenario.calls(/^POST \/me\/order\/\d+\/pay/).filter(([, by]) => by === 'up11111-ovh')).toEqual([]);

      world.account('up11111-ovh').paymentMethods.push(...methods);
      expect((await apply(scenario, 'unpaid.be')).code).toBe(0);
      expect((await scenario.plan('unpaid.be')).run.code).toBe(0);
    }),
);

test.concurrent('an order OVH delivers late: the provider waits through every status read, and the VPS is in the state', () =>
  withScenario(folderOf('late.be', 'la11111-ovh', { hosting: { vps: [vps] } }), async (scenario) => {
    scenario.ovhApi.world.orderFaults.push({ product: 'vps', polls: 3 });
    const run = await apply(scenario, 'late.be');
    expect(run.code).toBe(0);
    const order = scenario.calls(/^GET \/me\/order\/\d+\/status$/).filter(([, by]) => by === HOSTING_NIC);
    expect(order.length).toBeGreaterThanOrEqual(3);
    expect(await typesInState(scenario, 'late.be')).toContain('ovh_vps');
    expect((await scenario.plan('late.be')).run.code).toBe(0);
  }),
);

test.concurrent('a VPS order OVH cancels leaves nothing in the state, says which order, and the next apply orders again', () =>
  withScenario(folderOf('cancelled.be', 'ca11111-ovh', { hosting: { vps: [vps] } }), async (scenario) => {
    scenario.ovhApi.world.orderFaults.push({ product: 'vps', cancel: 'payment refused by the bank' });
    const failed = await apply(scenario, 'cancelled.be');
    expect(failed.code).toBe(1);
    expect(adviceFor(failed.stderr, stackFacts(scenario, 'cancelled.be'))).toEqual([
      expect.stringMatching(/^OVH set order \d+ of ovh_vps\.\S+ to "cancelled" instead of delivering it .*the next apply orders again\.$/),
    ]);
    expect(await typesInState(scenario, 'cancelled.be')).not.toContain('ovh_vps');
    expect((await apply(scenario, 'cancelled.be')).code).toBe(0);
    expect((await scenario.plan('cancelled.be')).run.code).toBe(0);
  }),
);

test.concurrent('a VPS delivered before OVH named it breaks every plan; the advice repairs the state, and the plan works again', () =>
  withScenario(folderOf('unnamed.be', 'un11111-ovh', { hosting: { vps: [vps] } }), async (scenario) => {
    const { world } = scenario.ovhApi;
    world.orderFaults.push({ product: 'vps', unnamedReads: 1 });
    const ordersBefore = Object.keys(world.state.orders).length;
    expect((await apply(scenario, 'unnamed.be')).code).toBe(1);
    const broken = await scenario.plan('unnamed.be');
    expect(broken.run.code).toBe(1);
    const [advice] = adviceFor(broken.run.stderr, stackFacts(scenario, 'unnamed.be'));
    const address = /terraform state rm '([^']+)'/.exec(advice)?.[1];
    expect(address).toMatch(/^ovh_vps\./);
    // The advice, followed: forget what the state holds, import the VPS OVH delivered.
    const [delivered] = Object.values(world.state.orders).slice(ordersBefore);
    expect(delivered.status).toBe('delivered');
    expect((await scenario.terraform('unnamed.be', 'state', 'rm', address!)).code).toBe(0);
    expect((await scenario.terraform('unnamed.be', 'import', '-input=false', address!, delivered.details[0].domain)).code).toBe(0);
    expect((await apply(scenario, 'unnamed.be')).code).toBe(0);
    expect((await scenario.plan('unnamed.be')).run.code).toBe(0);
  }),
);

test.concurrent("OVH's rewrites of values are no change: a TXT text comes back quoted, a policy reformatted", () =>
  withScenario(
    olden([adoptedRecord, { type: 'TXT', subdomain: 'note', target: 'hello world' }], { backups: [{ name: 'site' }] }),
    async (scenario) => {
      expect((await apply(scenario, 'olden.be')).code).toBe(0);
      const { world } = scenario.ovhApi;
      const txt = world
        .under<{ fieldType: string; target: string }>('/domain/zone/olden.be/record')
        .find(([, r]) => r.fieldType === 'TXT')![1];
      expect(txt.target).toBe('"hello world"');
      const [, user] = world.under<{ policy: string }>('/cloud/project').find(([route]) => /\/user\/\d+$/.test(route))!;
      const configured = Object.values(
        (stackFacts(scenario, 'olden.be') as { resource: Record<string, Record<string, { policy?: string }>> }).resource
          .ovh_cloud_project_user_s3_policy,
      )[0].policy!;
      expect(user.policy).not.toBe(configured);
      expect(JSON.parse(user.policy)).toEqual(JSON.parse(configured));
      expect((await scenario.plan('olden.be')).run.code).toBe(0);
    },
  ),
);

test.concurrent(
  'an adopted record deleted at OVH is created again; once the state forgot it, the import fails, and the advice names the fix',
  () =>
    withScenario(olden([adoptedRecord]), async (scenario) => {
      expect((await apply(scenario, 'olden.be')).code).toBe(0);
      const { world } = scenario.ovhApi;
      world.delete('/domain/zone/olden.be/record/5138712');
      const recreate = await scenario.plan('olden.be', { json: true });
      expect(changesOf(recreate.json, 'ovh_domain_zone_record')).toEqual(
        expect.arrayContaining([[expect.stringContaining('apex-A'), ['create']]]),
      );
      // A refresh-only apply (or a new state) forgets it: the import block now names an object OVH does not have.
      expect((await scenario.terraform('olden.be', 'apply', '-refresh-only', '-auto-approve', '-input=false')).code).toBe(0);
      const failed = await scenario.plan('olden.be');
      expect(failed.run.code).toBe(1);
      expect(adviceFor(failed.run.stderr, stackFacts(scenario, 'olden.be'))).toEqual([
        expect.stringMatching(
          /^ovh_domain_zone_record\.\S+ \(olden\.be\/zone-olden-be-records\/apex-A\) is adopted by its OVH id \(5138712\.olden\.be\), which OVH no longer has: remove `existing`/,
        ),
      ]);
    }),
);

test.concurrent(
  'a zone an earlier version ordered through the hosting account is forgotten, not terminated: its provider stays in the stack',
  () =>
    withScenario(folderOf('solo.be', 'so11111-ovh', { domains: [{ name: 'solo.be', records: [] }] }), async (scenario) => {
      const stack = stackFacts(scenario, 'solo.be') as {
        removed: { from: string }[];
        provider: { ovh: { alias: string }[] };
        resource: Record<string, Record<string, unknown>>;
      };
      expect(stack.provider.ovh.map((p) => p.alias).sort()).toEqual(['cedricfrancoys', 'solo_be']);
      // The earlier version: the same stack, with the zone ordered through cedricfrancoys where the removed block points.
      const [type, name] = stack.removed[0].from.split('.');
      const { removed: _removed, ...earlier } = structuredClone(stack);
      earlier.resource = {
        ...earlier.resource,
        [type]: {
          [name]: {
            provider: 'ovh.cedricfrancoys',
            plan: [
              {
                duration: 'P1M',
                plan_code: 'zone',
                pricing_mode: 'default',
                configuration: [
                  { label: 'zone', value: 'solo.be' },
                  { label: 'template', value: 'minimized' },
                ],
              },
            ],
          },
        },
      };
      fs.writeFileSync(path.join(scenario.harness.stackDir('solo.be'), 'cdk.tf.json'), JSON.stringify(earlier));
      // The domain first, then the zone ordered through cedricfrancoys: ordered in one apply, the two deliveries would
      // race for the zone (the domain's order brings one too), and the last one delivered decides whose it is.
      const [domain] = Object.keys(stack.resource.ovh_domain_name);
      const target = `-target=ovh_domain_name.${domain}`;
      expect((await scenario.terraform('solo.be', 'apply', '-auto-approve', '-input=false', target)).code).toBe(0);
      await scenario.apply('solo.be');
      expect(await typesInState(scenario, 'solo.be')).toContain('ovh_domain_zone');

      await scenario.synth();
      const plan = await scenario.plan('solo.be');
      expect(plan.run.code).toBe(2);
      expect(plan.run.stdout).toMatch(/will no longer be managed by Terraform/);
      expect((await apply(scenario, 'solo.be')).code).toBe(0);
      expect(await typesInState(scenario, 'solo.be')).not.toContain('ovh_domain_zone');
      expect(scenario.ovhApi.world.object('/domain/zone/solo.be')).toBeDefined();
    }),
);
