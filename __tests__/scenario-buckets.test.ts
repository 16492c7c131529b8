/**
 * Backup buckets with real terraform: a client that grows from standard to large never loses a bucket (the provider
 * would move it in place and lose it at the next refresh), and backups expire their old versions and get keys only
 * after the policy that limits them.
 */
import { BACKUP_PROJECT } from './support';
import { Scenario } from './scenario';

const mover = (size: 'standard' | 'large', backups: object[]) => ({
  id: 'mover.be',
  name: 'Mover',
  size,
  nichandle: 'mo11111-ovh',
  backups,
});

let scenario: Scenario;
let applied: ReturnType<Scenario['tree']>;
beforeAll(async () => {
  scenario = await Scenario.start({ 'mover.be.yaml': mover('standard', [{ name: 'files' }, { name: 'site' }]) });
  await scenario.synth();
  await scenario.apply('mover.be');
  applied = scenario.tree();
});
afterAll(() => scenario.close());

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
