/**
 * What terraform really does when a client file removes or changes an ordered service, against what the change
 * review (`npm run changes`) says: both must agree, and prevent_destroy must stop what the file does not mark.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { changesOf, Scenario } from './scenario';

const vps = { name: 'web', plan: 'vps-2025-model1', datacenter: 'GRA', os: 'Debian 12' };
// The domain's zone keeps the hosting account's provider in the stack once the VPS is gone: Terraform can only
// destroy a resource through a provider configuration that is still there.
const domains = [{ name: 'alpha.be', records: [] }];
const client = (vpsList: object[]) => ({ id: 'alpha.be', name: 'Alpha', size: 'standard', nichandle: 'al11111-ovh', domains, hosting: { vps: vpsList } });

let scenario: Scenario;
/** The stacks as applied first: the base every change is reviewed against. */
let applied: ReturnType<Scenario['tree']>;
beforeAll(async () => {
  scenario = await Scenario.start({ 'alpha.be.yaml': client([vps]) });
  await scenario.synth();
  await scenario.apply('alpha.be');
  applied = scenario.tree();
}, 180_000);
afterAll(() => scenario.close());

// Terraform's prevent_destroy lives in the resource block: once the block is gone from the stack, nothing in
// Terraform protects the resource. The review (exit 3 in CI) is what stops a removal the file does not mark.
test('a service removed without decommission is planned for destruction by terraform (its prevent_destroy left with its block) and flagged by the review', async () => {
  const base = applied;
  scenario.write({ 'alpha.be.yaml': client([]) });
  await scenario.synth();

  const review = scenario.changesSince(base);
  expect(review.destructive.map((change) => [change.stack, change.type, change.effect])).toEqual([['alpha.be', 'ovh_vps', 'destroyed']]);
  const { run, json } = await scenario.plan('alpha.be');
  expect(run.code).toBe(2);
  const removed = json!.resource_changes!.find((change) => change.address === review.destructive[0].address)!;
  expect(removed.change.actions).toEqual(['delete']);
  expect(removed.action_reason).toBe('delete_because_no_resource_config');
}, 120_000);

test('an argument the provider forces new is a replacement for terraform and for the review alike', async () => {
  const base = applied;
  scenario.write({ 'alpha.be.yaml': client([{ ...vps, plan: 'vps-2025-model2' }]) });
  await scenario.synth();

  const review = scenario.changesSince(base);
  expect(review.destructive.map((change) => [change.type, change.effect])).toEqual([['ovh_vps', 'replaced']]);
  const address = review.destructive[0].address;
  // The review names the plan code, read by the order through its catalog data source.
  expect(review.destructive[0].forcedBy.map((change) => change.argument)).toContainEqual(expect.stringMatching(/^data\.ovh_order_cart_product_plan\..*\.plan_code$/));

  // Terraform refuses it, naming the same resource...
  const refused = await scenario.plan('alpha.be');
  expect(refused.run.code).toBe(1);
  expect(refused.run.stderr).toContain(`Resource ${address} has lifecycle.prevent_destroy set`);

  // ...and, without the protection, plans exactly a replacement forced by the order's `plan`.
  const stack = path.join(scenario.harness.stackDir('alpha.be'), 'cdk.tf.json');
  const json = JSON.parse(fs.readFileSync(stack, 'utf8'));
  const [type, name] = address.split('.');
  delete json.resource[type][name].lifecycle;
  fs.writeFileSync(stack, JSON.stringify(json));
  const replaced = await scenario.plan('alpha.be');
  expect(replaced.run.code).toBe(2);
  const change = replaced.json!.resource_changes!.find((c) => c.address === address)!;
  expect(change.change.actions).toEqual(['delete', 'create']);
  expect(change.change.replace_paths).toEqual([['plan']]);
  expect(change.action_reason).toBe('replace_because_cannot_update');
}, 120_000);

test('with decommission: true the plan destroys the service, and the review lets it go', async () => {
  const base = applied;
  scenario.write({ 'alpha.be.yaml': client([{ ...vps, decommission: true }]) });
  await scenario.synth();

  expect(scenario.changesSince(base).destructive).toEqual([]);
  const { run, json } = await scenario.plan('alpha.be');
  expect(run.code).toBe(2);
  expect(changesOf(json, 'ovh_vps')).toEqual([[expect.stringMatching(/^ovh_vps\./), ['delete']]]);

  await scenario.apply('alpha.be');
  const deleted = scenario.records({ stack: 'alpha.be', action: 'delete', type: 'ovh_vps' });
  expect(deleted.map((entry) => entry.nichandle)).toEqual(['cf10001-ovh']);
  expect(scenario.ovhApi.services.has(deleted[0].id)).toBe(false);
}, 120_000);
