/**
 * Public Cloud projects and backup buckets with real terraform: a client that grows from standard to large never
 * loses a bucket (the provider would move it in place and lose it at the next refresh), backups expire their old
 * versions and get keys only after the policy that limits them, and a large client's deletion-protected project is
 * decommissioned in two applied steps, as the provider demands.
 */
import { BACKUP_PROJECT, CLOUD_NIC } from './support';
import { Scenario } from './scenario';

const mover = (size: 'standard' | 'large', backups: object[]) => ({
  id: 'mover.be',
  name: 'Mover',
  size,
  nichandle: 'mo11111-ovh',
  backups,
});
const large = (id: string, nichandle: string, extra: object = {}) => ({
  id,
  name: id,
  size: 'large',
  nichandle,
  cloudProject: { description: `${id} production` },
  instances: [{ name: 'app', region: 'GRA11', flavor: 'b3-8', image: 'Debian 12' }],
  backups: [{ name: 'db' }],
  ...extra,
});

let scenario: Scenario;
let applied: ReturnType<Scenario['tree']>;
beforeAll(async () => {
  scenario = await Scenario.start({
    'mover.be.yaml': mover('standard', [{ name: 'files' }, { name: 'site' }]),
    'leaving.be.yaml': large('leaving.be', 'le11111-ovh'),
    'hasty.be.yaml': large('hasty.be', 'ha11111-ovh'),
  });
  await scenario.synth();
  for (const stack of ['mover.be', 'leaving.be', 'hasty.be']) await scenario.apply(stack);
  applied = scenario.tree();
});
afterAll(() => scenario.close());

describe('backup buckets', () => {
  test('get a rule expiring their old versions, and keys only once the policy that limits them exists', () => {
    const backupSpace = `/cloud/project/${BACKUP_PROJECT}`;
    expect(
      scenario
        .calls(/^PUT .*\/storage\/mover-be-[a-z]+\/lifecycle$/)
        .map(([route]) => route)
        .sort(),
    ).toEqual([
      `PUT ${backupSpace}/region/GRA/storage/mover-be-files/lifecycle`,
      `PUT ${backupSpace}/region/GRA/storage/mover-be-site/lifecycle`,
    ]);
    // One user per bucket, whose keys are made after its policy.
    const grants = scenario
      .calls(new RegExp(`^POST ${backupSpace}/user/\\d+/(policy|s3Credentials)$`))
      .map(([route]) => route.split('/').slice(-2));
    const users = [...new Set(grants.map(([user]) => user))];
    expect(users).toHaveLength(2);
    for (const user of users) expect(grants.filter(([id]) => id === user).map(([, what]) => what)).toEqual(['policy', 's3Credentials']);
  });

  test('a client grown large without saying where its buckets stay: each would be replaced, the review and terraform refuse it', async () => {
    scenario.write({ 'mover.be.yaml': mover('large', [{ name: 'files' }, { name: 'site' }]) });
    await scenario.synth();
    const review = scenario.changesSince(applied);
    expect(review.destructive.map(({ label, effect }) => [label, effect])).toEqual([
      ['mover.be/backup-mover-be-files/bucket', 'replaced'],
      ['mover.be/backup-mover-be-site/bucket', 'replaced'],
    ]);
    const { run } = await scenario.plan('mover.be');
    expect(run.code).toBe(1);
    expect(run.stderr.replace(/\s+/g, ' ')).toMatch(
      /Resource ovh_cloud_project_storage\.backup-mover-be-files_bucket_\w+ has lifecycle\.prevent_destroy set/,
    );
  });

  test('kept in the backup space (location), its buckets stay as they are while new ones go into its own project', async () => {
    scenario.write({
      'mover.be.yaml': mover('large', [
        { name: 'files', location: 'backupSpace' },
        { name: 'site', location: 'backupSpace' },
        { name: 'files-2' },
      ]),
    });
    await scenario.synth();
    expect(scenario.changesSince(applied).destructive).toEqual([]);
    const before = scenario.ovhApi.calls.length;
    await scenario.apply('mover.be');
    const touched = scenario.ovhApi.calls
      .slice(before)
      .filter((call) => /\/storage(\/[^/]+)?$/.test(call.route) && !call.route.startsWith('GET'))
      .map((call) => call.route);
    expect(touched).toEqual([expect.stringMatching(/^POST \/cloud\/project\/[0-9a-f]{32}\/region\/GRA\/storage$/)]);
    expect(touched[0]).not.toContain(BACKUP_PROJECT);
    const { world } = scenario.ovhApi;
    expect(world.object(`/cloud/project/${BACKUP_PROJECT}/region/GRA/storage/mover-be-files`)).toBeDefined();
    expect(world.under('/cloud/project').filter(([route]) => route.endsWith('/storage/mover-be-files-2'))).toHaveLength(1);
    expect((await scenario.plan('mover.be')).run.code).toBe(0);
  });
});

describe('a large client’s project', () => {
  test('decommissioned in one step, still protected in the state: the review flags it and the provider refuses it at apply', async () => {
    scenario.write({
      'hasty.be.yaml': large('hasty.be', 'ha11111-ovh', {
        cloudProject: { description: 'hasty.be production', deletionProtection: false },
        decommission: true,
      }),
    });
    await scenario.synth();
    const review = scenario.changesSince(applied);
    expect(
      review.destructive.filter((change) => change.stack === 'hasty.be').map(({ type, refusedAtApply }) => [type, refusedAtApply]),
    ).toEqual([['ovh_cloud_project', expect.stringContaining('apply deletion_protection = false first, on its own')]]);
    const run = await scenario.terraform('hasty.be', 'apply', '-auto-approve', '-input=false');
    expect(run.code).toBe(1);
    expect(run.stderr.replace(/\s+/g, ' ')).toMatch(
      /cloud project [0-9a-f]{32} is protected from deletion\. Set deletion_protection to false before destroying/,
    );
  });

  test('decommissioned in two steps: protection off, applied; then everything goes, through the accounts that hold it', async () => {
    scenario.write({
      'leaving.be.yaml': large('leaving.be', 'le11111-ovh', {
        cloudProject: { description: 'leaving.be production', deletionProtection: false },
      }),
    });
    await scenario.synth();
    const stepOne = scenario.changesSince(applied);
    expect(stepOne.destructive.filter((change) => change.stack === 'leaving.be')).toEqual([]);
    const plan = await scenario.plan('leaving.be');
    // The look-ups by name that read the project are read again at apply; the instance ignores what they find.
    const changed = plan.json!.resource_changes!.filter(
      (change) => !change.address.startsWith('data.') && !change.change.actions.includes('no-op'),
    );
    expect(changed.map((change) => [change.type, change.change.actions])).toEqual([['ovh_cloud_project', ['update']]]);
    await scenario.apply('leaving.be');
    const protectionOff = scenario.tree();

    scenario.write({
      'leaving.be.yaml': large('leaving.be', 'le11111-ovh', {
        cloudProject: { description: 'leaving.be production', deletionProtection: false },
        decommission: true,
      }),
    });
    await scenario.synth();
    const stepTwo = scenario.changesSince(protectionOff);
    expect(stepTwo.destructive.filter((change) => change.stack === 'leaving.be')).toEqual([]);
    expect(stepTwo.intended.map((change) => change.type).sort()).toEqual([
      'ovh_cloud_project',
      'ovh_cloud_project_instance',
      'ovh_cloud_project_storage',
    ]);
    const resources = (await scenario.state('leaving.be')).values?.root_module?.resources ?? [];
    const project = `/cloud/project/${String(resources.find((resource) => resource.type === 'ovh_cloud_project')!.values.project_id)}`;
    await scenario.apply('leaving.be');
    expect(scenario.calls(new RegExp(`^POST ${project}/(terminate|confirmTermination)$`))).toEqual([
      [`POST ${project}/terminate`, CLOUD_NIC],
      [`POST ${project}/confirmTermination`, CLOUD_NIC],
    ]);
    expect(scenario.ovhApi.services.has(project)).toBe(false);
    expect((await scenario.plan('leaving.be')).run.code).toBe(0);
  });
});
