/**
 * A large client's Public Cloud project with real terraform: deletion-protected, it is decommissioned in two applied
 * steps, as the provider demands. Each case has a scenario of its own, and both run at once.
 */
import { CLOUD_NIC } from './support';
import { withScenario } from './scenario';

const large = (id: string, nichandle: string, extra: object = {}) => ({
  id,
  name: id,
  size: 'large',
  nichandle,
  cloudProject: { description: `${id} production` },
  ...extra,
});
/** A project at work: an instance and a backup bucket in it. */
const busy = { instances: [{ name: 'app', region: 'GRA11', flavor: 'b3-8', image: 'Debian 12' }], backups: [{ name: 'db' }] };

test.concurrent('decommissioned in one step, still protected in the state: the review flags it and the provider refuses it at apply', () =>
  withScenario({ 'hasty.be.yaml': large('hasty.be', 'ha11111-ovh') }, async (scenario) => {
    await scenario.apply('hasty.be');
    const applied = scenario.tree();
    scenario.write({
      'hasty.be.yaml': large('hasty.be', 'ha11111-ovh', {
        cloudProject: { description: 'hasty.be production', deletionProtection: false },
        decommission: true,
      }),
    });
    await scenario.synth();
    const review = scenario.changesSince(applied);
    expect(review.destructive.map(({ type, refusedAtApply }) => [type, refusedAtApply])).toEqual([
      ['ovh_cloud_project', expect.stringContaining('apply deletion_protection = false first, on its own')],
    ]);
    const run = await scenario.terraform('hasty.be', 'apply', '-auto-approve', '-input=false');
    expect(run.code).toBe(1);
    expect(run.stderr.replace(/\s+/g, ' ')).toMatch(
      /cloud project [0-9a-f]{32} is protected from deletion\. Set deletion_protection to false before destroying/,
    );
  }),
);

test.concurrent('decommissioned in two steps: protection off, applied; then everything goes, through the accounts that hold it', () =>
  withScenario({ 'leaving.be.yaml': large('leaving.be', 'le11111-ovh', busy) }, async (scenario) => {
    await scenario.apply('leaving.be');
    const applied = scenario.tree();
    scenario.write({
      'leaving.be.yaml': large('leaving.be', 'le11111-ovh', {
        ...busy,
        cloudProject: { description: 'leaving.be production', deletionProtection: false },
      }),
    });
    await scenario.synth();
    const stepOne = scenario.changesSince(applied);
    expect(stepOne.destructive).toEqual([]);
    const plan = await scenario.plan('leaving.be', { json: true });
    // The look-ups by name that read the project are read again at apply; the instance ignores what they find.
    const changed = plan.json!.resource_changes!.filter(
      (change) => !change.address.startsWith('data.') && !change.change.actions.includes('no-op'),
    );
    expect(changed.map((change) => [change.type, change.change.actions])).toEqual([['ovh_cloud_project', ['update']]]);
    await scenario.apply('leaving.be');
    const protectionOff = scenario.tree();

    scenario.write({
      'leaving.be.yaml': large('leaving.be', 'le11111-ovh', {
        ...busy,
        cloudProject: { description: 'leaving.be production', deletionProtection: false },
        decommission: true,
      }),
    });
    await scenario.synth();
    const stepTwo = scenario.changesSince(protectionOff);
    expect(stepTwo.destructive).toEqual([]);
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
  }),
);
