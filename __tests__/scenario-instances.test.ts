/**
 * Public Cloud instances as real terraform plans them against the provider's rules (ovh_cloud_project_instance has
 * no update; a new flavor or image id would plan an update that fails at apply): cloud-init edits plan nothing, a
 * change that needs a new instance is a replacement that prevent_destroy refuses until the file says `replace: true`,
 * flavors and images are found by name, and the agency's deploy key is registered in the shared project.
 */
import { CLOUD_NIC, SHARED_PROJECT } from './support';
import { changesOf, Scenario, type PlanResult } from './scenario';

const web = {
  name: 'web',
  region: 'GRA11',
  flavor: 'b3-8',
  image: 'Debian 12',
  packages: ['nginx'],
  checkouts: [{ repository: 'https://github.com/org/site.git', path: '/var/www/site' }],
};
const alpha = (instance: object) => ({ id: 'alpha.be', name: 'Alpha', size: 'standard', nichandle: 'al11111-ovh', instances: [instance] });
const unknownKey = {
  id: 'beta.be',
  name: 'Beta',
  size: 'standard',
  nichandle: 'be22222-ovh',
  instances: [{ ...web, sshKey: 'made-by-hand' }],
};
const unknownImage = {
  id: 'gamma.be',
  name: 'Gamma',
  size: 'standard',
  nichandle: 'ga33333-ovh',
  instances: [{ ...web, image: 'Windows 95' }],
};

let scenario: Scenario;
let applied: ReturnType<Scenario['tree']>;
beforeAll(async () => {
  scenario = await Scenario.start({ 'alpha.be.yaml': alpha(web), 'beta.be.yaml': unknownKey, 'gamma.be.yaml': unknownImage });
  await scenario.synth();
  await scenario.apply('agency');
  await scenario.apply('alpha.be');
  applied = scenario.tree();
});
afterAll(() => scenario.close());

/** The one instance of alpha.be's state, and the ids the look-ups by name found (the data sources, in the state too). */
async function instanceState() {
  const resources = (await scenario.state('alpha.be')).values?.root_module?.resources ?? [];
  const read = (type: string) => resources.find((resource) => resource.type === type)!.values;
  const flavors = read('ovh_cloud_project_flavors').flavors as { id: string; name: string }[];
  const images = read('ovh_cloud_project_images').images as { id: string; name: string }[];
  return {
    values: read('ovh_cloud_project_instance'),
    flavorIds: Object.fromEntries(flavors.map((f) => [f.name, f.id])),
    imageIds: Object.fromEntries(images.map((i) => [i.name, i.id])),
  };
}
const flavorOf = (values: Record<string, unknown>) => (values.flavor as { flavor_id: string }[])[0].flavor_id;

const instanceChange = (plan: PlanResult) => plan.json?.resource_changes?.find((change) => change.type === 'ovh_cloud_project_instance');

test("the agency's stack registers the deploy key in the shared project; the instance is built with it, from the flavor and image found by name", async () => {
  expect(scenario.calls(/\/sshkey$/)).toEqual([[`POST /cloud/project/${SHARED_PROJECT}/sshkey`, CLOUD_NIC]]);
  const { values, flavorIds, imageIds } = await instanceState();
  expect(values.ssh_key).toEqual([{ name: 'agency-deploy' }]);
  // The ids the project's region gives "b3-8" and "Debian 12", never written in the file.
  expect(flavorOf(values)).toBe(flavorIds['b3-8']);
  expect((values.boot_from as { image_id: string }[])[0].image_id).toBe(imageIds['Debian 12']);
  expect(Object.keys(imageIds).length).toBeGreaterThan(1);
});

test('new packages and checkouts plan nothing (cloud-init runs at the first boot only), and the review says they apply to new instances', async () => {
  scenario.write({
    'alpha.be.yaml': alpha({
      ...web,
      packages: ['nginx', 'php-fpm'],
      checkouts: [...web.checkouts, { repository: 'https://github.com/org/admin.git', path: '/srv/admin' }],
    }),
  });
  await scenario.synth();
  const review = scenario.changesSince(applied);
  expect(review.destructive).toEqual([]);
  expect(review.markdown).toContain(
    '_(not applied to the existing resource: cloud-init runs at the first boot only: applies to new instances only)_',
  );
  expect((await scenario.plan('alpha.be')).run.code).toBe(0);
});

test('a new flavor is a replacement, in the review and in terraform alike, which prevent_destroy refuses', async () => {
  scenario.write({ 'alpha.be.yaml': alpha({ ...web, flavor: 'b3-16' }) });
  await scenario.synth();
  const review = scenario.changesSince(applied);
  expect(review.destructive.map(({ type, effect }) => [type, effect])).toEqual([['ovh_cloud_project_instance', 'replaced']]);
  expect(review.destructive[0].forcedBy).toEqual([
    expect.objectContaining({ argument: expect.stringMatching(/\.input\.flavor$/), before: 'b3-8', after: 'b3-16' }),
  ]);
  const refused = await scenario.plan('alpha.be');
  expect(refused.run.code).toBe(1);
  expect(refused.run.stderr.replace(/\s+/g, ' ')).toContain(`Resource ${review.destructive[0].address} has lifecycle.prevent_destroy set`);
});

test("a region is the provider's own replacement: the review names it, as terraform refuses it", async () => {
  scenario.write({ 'alpha.be.yaml': alpha({ ...web, region: 'SBG5' }) });
  await scenario.synth();
  const review = scenario.changesSince(applied);
  expect(review.destructive.flatMap((change) => change.forcedBy.map((arg) => arg.argument))).toEqual(['region']);
  expect((await scenario.plan('alpha.be')).run.stderr).toContain('lifecycle.prevent_destroy');
});

test('with replace: true, the review lets it through and terraform builds a new instance of the new flavor; then it is protected again', async () => {
  const before = (await instanceState()).values;
  scenario.write({ 'alpha.be.yaml': alpha({ ...web, flavor: 'b3-16', replace: true }) });
  await scenario.synth();
  expect(scenario.changesSince(applied).destructive).toEqual([]);
  const plan = await scenario.plan('alpha.be', { json: true });
  expect(plan.run.code).toBe(2);
  expect(instanceChange(plan)).toMatchObject({ change: { actions: ['delete', 'create'] }, action_reason: 'replace_by_triggers' });
  await scenario.apply('alpha.be');
  const { values: after, flavorIds } = await instanceState();
  expect(after.id).not.toBe(before.id);
  expect(flavorOf(after)).toBe(flavorIds['b3-16']);

  scenario.write({ 'alpha.be.yaml': alpha({ ...web, flavor: 'b3-16' }) });
  await scenario.synth();
  const clean = await scenario.plan('alpha.be', { json: true });
  expect(clean.run.code).toBe(0);
  expect(changesOf(clean.json, 'ovh_cloud_project_instance')).toEqual([[expect.any(String), ['no-op']]]);
});

test('an instance naming a key the project does not have is refused by OVH at apply', async () => {
  // The key the file names was never registered by hand (the harness registers those the files name: take it back).
  const [route] = scenario.ovhApi.world
    .under<{ name: string }>(`/cloud/project/${SHARED_PROJECT}/sshkey`)
    .find(([, key]) => key.name === 'made-by-hand')!;
  scenario.ovhApi.world.delete(route);
  const before = scenario.calls(/\/instance$/).length;
  const run = await scenario.terraform('beta.be', 'apply', '-auto-approve', '-input=false');
  expect(run.code).toBe(1);
  expect(run.stderr.replace(/\s+/g, ' ')).toContain('SSH key made-by-hand does not exist in this project');
  expect(scenario.calls(/\/instance$/).slice(before)).toEqual([[`POST /cloud/project/${SHARED_PROJECT}/region/GRA11/instance`, CLOUD_NIC]]);
  expect((await scenario.state('beta.be')).values?.root_module?.resources?.filter((r) => r.type === 'ovh_cloud_project_instance')).toEqual(
    [],
  );
});

test('an image that the region has by no such name fails the plan, naming it', async () => {
  // The harness offers what the files name: this region has no such image after all.
  const { world } = scenario.ovhApi;
  for (const [route] of world.under<{ name: string }>('/catalog/image/GRA11').filter(([, image]) => image.name === 'Windows 95'))
    world.delete(route);
  const { run } = await scenario.plan('gamma.be');
  expect(run.code).toBe(1);
  expect(run.stderr.replace(/\s+/g, ' ')).toContain('No image is named "Windows 95" in region GRA11 of the project.');
});
