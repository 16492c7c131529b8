/**
 * The change review on pairs of client folders (__tests__/fixtures/review/<case>/{base,head}), each synthesized by
 * the real synthesis: what a reviewer is shown, what is flagged as destructive, and which stacks are affected.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { compareTrees, type ChangeReport } from '../review/changes';
import { contactChanges } from '../review/contact-changes';
import { affectedStacks, argumentChanges, diffStack } from '../review/diff';
import type { IsIntended } from '../review/destructive';
import type { StackTree } from '../review/stack-tree';
import { synthesizeStacksHere } from '../review/synthesis';

const root = path.resolve(__dirname, '..');
const fixture = (name: string, side: 'base' | 'head') => path.join(__dirname, 'fixtures', 'review', name, side);
const synthesized = new Map<string, StackTree>();
const synth = (name: string, side: 'base' | 'head'): StackTree => synthesized.get(fixture(name, side))!;

/**
 * Each fixture folder is synthesized once, in this process as a review of this project's own code does: the same
 * stacks as `npm run synth` writes (review-synthesis.test.ts), without a process each.
 */
beforeAll(async () => {
  const dirs = fs.readdirSync(path.join(__dirname, 'fixtures', 'review')).flatMap((name) => [fixture(name, 'base'), fixture(name, 'head')]);
  for (const dir of dirs) synthesized.set(dir, await synthesizeStacksHere({ env: {}, projectDir: root, clientsDir: dir }));
});

function review(name: string, isIntended?: IsIntended): Omit<ChangeReport, 'scope'> & { progress: string[] } {
  const progress: string[] = [];
  const report = compareTrees(
    synth(name, 'base'),
    synth(name, 'head'),
    { ref: 'main', commit: '0123456789abcdef', clientsPath: 'clients' },
    { isIntended, onProgress: (line) => progress.push(line) },
  );
  return { ...report, progress };
}

const stackDiff = (report: Omit<ChangeReport, 'scope'>, stack: string) => report.diffs.find((diff) => diff.stack === stack)!;
const labels = (report: Omit<ChangeReport, 'scope'>, stack: string, action: string) =>
  stackDiff(report, stack)
    .changes.filter((c) => c.section === 'resource' && c.action === action)
    .map((c) => c.label);

describe('a new client', () => {
  let report!: ReturnType<typeof review>;
  beforeAll(() => (report = review('new-client')));

  test('is one added stack, the only one affected, and nothing destructive', () => {
    expect(report.affected).toEqual(['beta.be']);
    expect(stackDiff(report, 'beta.be').action).toBe('added');
    expect(report.destructive).toEqual([]);
    expect(labels(report, 'beta.be', 'added')).toEqual(
      expect.arrayContaining(['beta.be/domain-beta-be/order', 'beta.be/zone-beta-be/contacts/desired']),
    );
  });

  test('shows the new stack, its desired contacts and its orders, and the progress of each stack', () => {
    expect(report.markdown).toContain('## Client changes against `main` (`0123456789ab`)');
    expect(report.markdown).toContain('### `beta.be`: new stack');
    expect(report.markdown).toContain('| `domain-beta-be` (domain) | owner | — | `be22222-ovh` |');
    expect(report.markdown).toContain('- ➕ add `beta.be/domain-beta-be/order` (`ovh_domain_name`)');
    expect(report.markdown).toContain('**1 of 3 stack(s) affected**: 1 added, 0 removed, 0 changed, 2 unchanged.');
    expect(report.markdown).not.toContain('CAUTION');
    expect(report.progress).toEqual([
      '[1/3] agency: no changes',
      '[2/3] alpha.be: no changes',
      '[3/3] beta.be: new stack, resources: 3 to add, 0 to change, 0 to remove',
    ]);
    // The progress counts what the stack's section counts.
    expect(report.markdown).toContain('### `beta.be`: new stack\n\n**Desired contacts**');
    expect(report.markdown).toContain('**Resources**: 3 to add, 0 to change, 0 to remove');
  });
});

test('a new domain adds its order and the contacts of the domain and of the zone its order brings, destroying nothing', () => {
  const report = review('new-domain');
  expect(report.affected).toEqual(['alpha.be']);
  expect(labels(report, 'alpha.be', 'added').sort()).toEqual([
    'alpha.be/domain-alpha-shop-be/contacts/desired',
    'alpha.be/domain-alpha-shop-be/order',
    'alpha.be/zone-alpha-shop-be/contacts/desired',
  ]);
  expect(labels(report, 'alpha.be', 'removed')).toEqual([]);
  expect(report.destructive).toEqual([]);
  expect(report.markdown).toContain('  - `domain_name`: `"alpha-shop.be"`');
});

test('a contact override is called out as a contact move, with the argument before → after', () => {
  const report = review('contact-override');
  expect(contactChanges(stackDiff(report, 'alpha.be'))).toEqual([
    { stack: 'alpha.be', service: 'vps-web', kind: 'vps', role: 'tech', before: 'al11111-ovh', after: 'op54321-ovh' },
  ]);
  expect(report.markdown).toContain('| `vps-web` (vps) | tech | `al11111-ovh` | `op54321-ovh` |');
  expect(report.markdown).toContain('- ✏️ change `alpha.be/vps-web/contacts/desired` (`terraform_data`)');
  expect(report.markdown).toContain('  - `input.contacts.tech`: `"al11111-ovh"` → `"op54321-ovh"`');
  expect(report.destructive).toEqual([]);
  expect(report.affected).toEqual(['alpha.be']);
});

describe('a removed domain', () => {
  test('destroys its order: flagged at the top', () => {
    const report = review('removed-domain');
    expect(report.destructive.map(({ effect, label, type }) => ({ effect, label, type }))).toEqual([
      { effect: 'destroyed', label: 'alpha.be/domain-alpha-shop-be/order', type: 'ovh_domain_name' },
    ]);
    const caution = report.markdown.indexOf('> [!CAUTION]');
    expect(caution).toBeGreaterThan(0);
    expect(caution).toBeLessThan(report.markdown.indexOf('### `alpha.be`'));
    expect(report.markdown).toContain(
      '> - **DESTROYED** `alpha.be/domain-alpha-shop-be/order` (`ovh_domain_name`, stack `alpha.be`): removed from its stack',
    );
    expect(report.markdown).toContain('| `domain-alpha-shop-be` (domain) | owner | `al11111-ovh` | — |');
  });

  test('is not destructive when intended, e.g. marked for decommissioning', () => {
    const intended: IsIntended = (stack, address, label) =>
      stack === 'alpha.be' && /^ovh_domain_name\./.test(address) && label.includes('-alpha-shop-be/');
    const report = review('removed-domain', intended);
    expect(report.destructive).toEqual([]);
    expect(report.markdown).not.toContain('CAUTION');
    expect(report.affected).toEqual(['alpha.be']);
  });
});

test('a renamed client destroys the old stack’s services and orders them again under the new one', () => {
  const report = review('renamed-client');
  expect(report.affected).toEqual(['alpha-group.be', 'alpha.be']);
  expect(stackDiff(report, 'alpha.be').action).toBe('removed');
  expect(stackDiff(report, 'alpha-group.be').action).toBe('added');
  expect(report.destructive.map(({ stack, effect, type }) => ({ stack, effect, type }))).toEqual([
    { stack: 'alpha.be', effect: 'stack removed', type: 'ovh_domain_name' },
  ]);
  expect(report.markdown).toContain('its whole stack is removed');
  expect(report.markdown).toMatch(/Stacks removed \(`alpha\.be`\) and added \(`alpha-group\.be`\): if a client was renamed/);
});

test('an existing service adopted by an import block is shown as imported, not ordered', () => {
  const report = review('imported-vps');
  expect(report.markdown).toContain('- 📥 import `"vps-1a2b3c4d.vps.ovh.net"` as `alpha.be/vps-legacy/order` (`ovh_vps`)');
  expect(report.markdown).not.toContain('➕ add `alpha.be/vps-legacy/order`');
  expect(report.destructive).toEqual([]);
});

test('a new plan code of an existing VPS replaces nothing: an order’s plan is read when ordering, the review says so', () => {
  const report = review('vps-plan');
  expect(report.destructive).toEqual([]);
  expect(labels(report, 'alpha.be', 'changed')).toEqual(['alpha.be/vps-web/order']);
  expect(report.markdown).toContain(
    '  - `plan[0].plan_code`: `"vps-2025-model1"` → `"vps-2025-model2"` _(not applied to the existing resource: an order’s plan is read when ordering: an existing service changes offer through an upgrade at OVH)_',
  );
});

describe('instances', () => {
  test('a new flavor replaces the instance (its disk is lost): flagged, forced by what only a new instance can take', () => {
    const report = review('instance-change');
    expect(report.destructive).toEqual([
      expect.objectContaining({
        label: 'alpha.be/instance-worker/instance',
        type: 'ovh_cloud_project_instance',
        effect: 'replaced',
        forcedBy: [
          {
            argument: expect.stringMatching(/^terraform_data\.instance-worker_rebuilt-on_\w+\.input\.flavor$/),
            before: 'b3-8',
            after: 'b3-16',
          },
        ],
      }),
    ]);
    expect(report.markdown).toMatch(
      /> - \*\*REPLACED\*\* `alpha\.be\/instance-worker\/instance` \(`ovh_cloud_project_instance`, stack `alpha\.be`\): replaced, because of `terraform_data\.instance-worker_rebuilt-on_\w+\.input\.flavor`: `"b3-8"` → `"b3-16"`/,
    );
  });

  test('new packages change cloud-init, which applies to new instances only: shown, never destructive', () => {
    const report = review('instance-change');
    expect(report.destructive.map((change) => change.label)).not.toContain('alpha.be/instance-web/instance');
    expect(report.markdown).toMatch(
      / {2}- `user_data`: .* _\(not applied to the existing resource: cloud-init runs at the first boot only: applies to new instances only\)_/,
    );
  });

  test('with replace: true in the file, the replacement is intended', () => {
    const intended: IsIntended = (_stack, _address, label, effect) =>
      effect === 'replaced' && label.startsWith('alpha.be/instance-worker/');
    expect(review('instance-change', intended).destructive).toEqual([]);
  });
});

describe('backup buckets', () => {
  test('a bucket that would move to the client’s new project is a replacement (its backups would be lost): flagged; one kept where it is, not', () => {
    const report = review('bucket-move');
    expect(
      report.destructive.map(({ label, effect, forcedBy }) => ({ label, effect, forcedBy: forcedBy.map((arg) => arg.argument) })),
    ).toEqual([
      {
        label: 'alpha.be/backup-alpha-be-files/bucket',
        effect: 'replaced',
        forcedBy: [expect.stringMatching(/^terraform_data\.backup-alpha-be-files_placement_\w+\.input\.service_name$/)],
      },
    ]);
  });
});

describe('a large client’s project', () => {
  test('removed while its state still protects it is refused at apply: flagged even when the file decommissions it', () => {
    const report = review('project-decommission', () => true);
    expect(report.destructive).toEqual([
      expect.objectContaining({
        label: 'alpha.be/cloud-project/order',
        effect: 'destroyed',
        refusedAtApply:
          'the provider refuses to delete it while its state says deletion_protection = true: apply deletion_protection = false first, on its own',
      }),
    ]);
    expect(report.markdown).toContain(
      '**fails at apply**: the provider refuses to delete it while its state says deletion_protection = true',
    );
  });

  test('removed once the protection is off (the first step, applied) is intended', () => {
    const base = synth('project-decommission', 'head');
    const stepOne = new Map(
      [...synth('project-decommission', 'base')].map(([stack, json]) => [
        stack,
        JSON.parse(JSON.stringify(json).replace('"deletion_protection":true', '"deletion_protection":false')),
      ]),
    );
    const report = compareTrees(stepOne, base, { ref: 'main', clientsPath: 'clients' }, { isIntended: () => true });
    expect(report.destructive).toEqual([]);
    expect(report.intended.map((change) => change.type)).toEqual(['ovh_cloud_project']);
  });
});

describe('the diff itself', () => {
  const meta = (p: string) => ({ '//': { metadata: { path: p, uniqueId: 'x' } } });
  const stack = (resources: Record<string, Record<string, unknown>>, extra: Record<string, unknown> = {}) =>
    ({ resource: resources, ...extra }) as never;

  test('ignores cdktf’s "//" metadata, and names blocks by their construct path', () => {
    const before = stack({ ovh_vps: { a_1: { ...meta('c/a/order'), display_name: 'a' } } });
    const after = stack({ ovh_vps: { a_1: { ...meta('c/a/order-moved'), display_name: 'a' } } });
    expect(diffStack('c', before, after)).toEqual({ stack: 'c', action: 'unchanged', changes: [] });
  });

  test('lists changed arguments by path, down into blocks and lists of the same length', () => {
    expect(
      argumentChanges(
        { plan: [{ plan_code: 'a', configuration: [{ label: 'dc', value: 'GRA' }] }], n: 1 },
        { plan: [{ plan_code: 'b', configuration: [{ label: 'dc', value: 'SBG' }] }], n: 1 },
      ),
    ).toEqual([
      { argument: 'plan[0].configuration[0].value', before: 'GRA', after: 'SBG' },
      { argument: 'plan[0].plan_code', before: 'a', after: 'b' },
    ]);
    expect(argumentChanges({ tags: ['a'] }, { tags: ['a', 'b'], extra: true })).toEqual([
      { argument: 'extra', before: undefined, after: true },
      { argument: 'tags', before: ['a'], after: ['a', 'b'] },
    ]);
  });

  test('keys provider configurations by alias, so a new account does not shift the others', () => {
    const provider = (...aliases: string[]) => ({ provider: { ovh: aliases.map((alias) => ({ alias, endpoint: 'ovh-eu' })) } }) as never;
    const diff = diffStack('c', provider('cedricfrancoys'), provider('client_x', 'cedricfrancoys'));
    expect(diff.changes.map(({ action, address }) => ({ action, address }))).toEqual([
      { action: 'added', address: 'provider.ovh.client_x' },
    ]);
  });

  test('affected stacks: added, removed or changed, never unchanged ones', () => {
    const body = stack({ ovh_vps: { v: { display_name: 'v' } } });
    const diffs = [
      diffStack('added', undefined, body),
      diffStack('removed', body, undefined),
      diffStack('same', body, body),
      diffStack('changed', body, stack({ ovh_vps: { v: { display_name: 'w' } } })),
    ];
    expect(affectedStacks(diffs)).toEqual(['added', 'removed', 'changed']);
  });
});
