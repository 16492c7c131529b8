/**
 * What terraform really does when a client file removes or changes an ordered service, against what the change
 * review (`npm run changes`) says: both must agree, and prevent_destroy must stop what the file does not mark.
 */
import { changesOf, Scenario } from './scenario';

const vps = { name: 'web', plan: 'vps-2025-model1', datacenter: 'GRA', os: 'Debian 12' };
// The private database keeps the hosting account's provider in the stack once the VPS is gone: Terraform can only
// destroy a resource through a provider configuration that is still there (a VPS marked decommission keeps it itself).
const domains = [{ name: 'alpha.be', records: [] }];
const privateDatabases = [{ name: 'main', plan: 'private-sql-1024-instance', engine: 'mysql_8.0', datacenter: 'gra3' }];
const client = (vpsList: object[]) => ({
  id: 'alpha.be',
  name: 'Alpha',
  size: 'standard',
  nichandle: 'al11111-ovh',
  domains,
  hosting: { vps: vpsList, privateDatabases },
});

let scenario: Scenario;
/** The stacks as applied first: the base every change is reviewed against. */
let applied: ReturnType<Scenario['tree']>;
beforeAll(async () => {
  scenario = await Scenario.start({ 'alpha.be.yaml': client([vps]) });
  await scenario.synth();
  await scenario.apply('alpha.be');
  applied = scenario.tree();
});
afterAll(() => scenario.close());

// Terraform's prevent_destroy lives in the resource block: once the block is gone from the stack, nothing in
// Terraform protects the resource. The review (exit 3 in CI) is what stops a removal the file does not mark.
test('a service removed without decommission is planned for destruction by terraform (its prevent_destroy left with its block) and flagged by the review', async () => {
  const base = applied;
  scenario.write({ 'alpha.be.yaml': client([]) });
  await scenario.synth();

  const review = scenario.changesSince(base);
  expect(review.destructive.map((change) => [change.stack, change.type, change.effect])).toEqual([['alpha.be', 'ovh_vps', 'destroyed']]);
  const { run, json } = await scenario.plan('alpha.be', { json: true });
  expect(run.code).toBe(2);
  const removed = json!.resource_changes!.find((change) => change.address === review.destructive[0].address)!;
  expect(removed.change.actions).toEqual(['delete']);
  expect(removed.action_reason).toBe('delete_because_no_resource_config');
});

test('once ordered, a service never follows the catalog: its plan code gone from it, new prices, a new plan code in the file plan nothing', async () => {
  const base = applied;
  // OVH's catalog moves on: the VPS's plan code is no longer sold.
  scenario.ovhApi.world.state.withdrawnPlans.push('vps-2025-model1');
  const carts = scenario.calls(/\/order\/cart/).length;
  scenario.write({ 'alpha.be.yaml': client([{ ...vps, plan: 'vps-2025-model2' }]) });
  await scenario.synth();

  // The review says what Terraform will do: nothing to the existing VPS.
  const review = scenario.changesSince(base);
  expect(review.destructive).toEqual([]);
  expect(review.markdown).toContain(
    '`"vps-2025-model1"` → `"vps-2025-model2"` _(not applied to the existing resource: an order’s plan is read when ordering',
  );
  const { run } = await scenario.plan('alpha.be');
  expect(run.code).toBe(0);
  // No plan ever read the catalog or made a cart.
  expect(scenario.calls(/\/order\/cart/)).toHaveLength(carts);
  scenario.ovhApi.world.state.withdrawnPlans.pop();
});

test('with decommission: true the plan destroys the service, and the review lets it go', async () => {
  const base = applied;
  scenario.write({ 'alpha.be.yaml': client([{ ...vps, decommission: true }]) });
  await scenario.synth();

  expect(scenario.changesSince(base).destructive).toEqual([]);
  const { run, json } = await scenario.plan('alpha.be', { json: true });
  expect(run.code).toBe(2);
  expect(changesOf(json, 'ovh_vps')).toEqual([[expect.stringMatching(/^ovh_vps\./), ['delete']]]);

  await scenario.apply('alpha.be');
  // Terminated by the account that ordered it, and confirmed with the token OVH e-mailed it.
  const terminated = scenario.calls(/^POST \/vps\/[^/]+\/(terminate|confirmTermination)$/);
  expect(terminated.map(([route, by]) => [route.split('/').pop(), by])).toEqual([
    ['terminate', 'cf10001-ovh'],
    ['confirmTermination', 'cf10001-ovh'],
  ]);
  expect(scenario.ovhApi.services.has(terminated[0][0].replace(/^POST (.*)\/terminate$/, '$1'))).toBe(false);
});
