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
import { synthesizeStacks } from '../review/synthesis';

const root = path.resolve(__dirname, '..');
const fixture = (name: string, side: 'base' | 'head') => path.join(__dirname, 'fixtures', 'review', name, side);
const synthesized = new Map<string, StackTree>();
const synth = (name: string, side: 'base' | 'head'): StackTree => synthesized.get(fixture(name, side))!;

/** Each fixture folder is synthesized once, by `npm run synth` as the review runs it, two at a time. */
beforeAll(async () => {
  const dirs = fs.readdirSync(path.join(__dirname, 'fixtures', 'review')).flatMap((name) => [fixture(name, 'base'), fixture(name, 'head')]);
  const next = async (): Promise<void> => {
    const dir = dirs.shift();
    if (!dir) return;
    synthesized.set(dir, await synthesizeStacks({ env: {}, projectDir: root, clientsDir: dir }));
    return next();
  };
  await Promise.all([next(), next()]);
}, 120_000);

function review(name: string, isIntended?: IsIntended): Omit<ChangeReport, 'scope'> & { progress: string[] } {
  const progress: string[] = [];
  const report = compareTrees(synth(name, 'base'), synth(name, 'head'), { ref: 'main', commit: '0123456789abcdef', clientsPath: 'clients' }, { isIntended, onProgress: (line) => progress.push(line) });
  return { ...report, progress };
}

const stackDiff = (report: Omit<ChangeReport, 'scope'>, stack: string) => report.diffs.find((diff) => diff.stack === stack)!;
const labels = (report: Omit<ChangeReport, 'scope'>, stack: string, action: string) => stackDiff(report, stack).changes.filter((c) => c.section === 'resource' && c.action === action).map((c) => c.label);

describe('a new client', () => {
  let report!: ReturnType<typeof review>;
  beforeAll(() => (report = review('new-client')));

  test('is one added stack, the only one affected, and nothing destructive', () => {
    expect(report.affected).toEqual(['beta.be']);
    expect(stackDiff(report, 'beta.be').action).toBe('added');
    expect(report.destructive).toEqual([]);
    expect(labels(report, 'beta.be', 'added')).toEqual(expect.arrayContaining(['beta.be/domain-beta-be/order', 'beta.be/zone-beta-be/order']));
  });

  test('shows the new stack, its desired contacts and its orders, and the progress of each stack', () => {
    expect(report.markdown).toContain('## Client changes against `main` (`0123456789ab`)');
    expect(report.markdown).toContain('### `beta.be`: new stack');
    expect(report.markdown).toContain('| `domain-beta-be` (domain) | owner | — | `be22222-ovh` |');
    expect(report.markdown).toContain('- ➕ add `beta.be/domain-beta-be/order` (`ovh_domain_name`)');
    expect(report.markdown).toContain('**1 of 3 stack(s) affected**: 1 added, 0 removed, 0 changed, 2 unchanged.');
    expect(report.markdown).not.toContain('CAUTION');
    expect(report.progress).toEqual(['[1/3] agency: no changes', '[2/3] alpha.be: no changes', expect.stringMatching(/^\[3\/3\] beta\.be: new stack, \d+ change\(s\)$/)]);
  });
});

test('a new domain adds its order, its zone and their contacts, destroying nothing', () => {
  const report = review('new-domain');
  expect(report.affected).toEqual(['alpha.be']);
  expect(labels(report, 'alpha.be', 'added').sort()).toEqual([
    'alpha.be/domain-alpha-shop-be/contacts/desired',
    'alpha.be/domain-alpha-shop-be/order',
    'alpha.be/zone-alpha-shop-be/contacts/desired',
    'alpha.be/zone-alpha-shop-be/order',
  ]);
  expect(labels(report, 'alpha.be', 'removed')).toEqual([]);
  expect(report.destructive).toEqual([]);
  expect(report.markdown).toContain('  - `domain_name`: `"alpha-shop.be"`');
});

test('a contact override is called out as a contact move, with the argument before → after', () => {
  const report = review('contact-override');
  expect(contactChanges(stackDiff(report, 'alpha.be'))).toEqual([{ stack: 'alpha.be', service: 'vps-web', kind: 'vps', role: 'tech', before: 'al11111-ovh', after: 'op54321-ovh' }]);
  expect(report.markdown).toContain('| `vps-web` (vps) | tech | `al11111-ovh` | `op54321-ovh` |');
  expect(report.markdown).toContain('- ✏️ change `alpha.be/vps-web/contacts/desired` (`terraform_data`)');
  expect(report.markdown).toContain('  - `input.contacts.tech`: `"al11111-ovh"` → `"op54321-ovh"`');
  expect(report.destructive).toEqual([]);
  expect(report.affected).toEqual(['alpha.be']);
});

describe('a removed domain', () => {
  test('destroys its order and its zone: flagged at the top', () => {
    const report = review('removed-domain');
    expect(report.destructive.map(({ effect, label, type }) => ({ effect, label, type }))).toEqual([
      { effect: 'destroyed', label: 'alpha.be/domain-alpha-shop-be/order', type: 'ovh_domain_name' },
      { effect: 'destroyed', label: 'alpha.be/zone-alpha-shop-be/order', type: 'ovh_domain_zone' },
    ]);
    const caution = report.markdown.indexOf('> [!CAUTION]');
    expect(caution).toBeGreaterThan(0);
    expect(caution).toBeLessThan(report.markdown.indexOf('### `alpha.be`'));
    expect(report.markdown).toContain('> - **DESTROYED** `alpha.be/domain-alpha-shop-be/order` (`ovh_domain_name`, stack `alpha.be`): removed from its stack');
    expect(report.markdown).toContain('| `domain-alpha-shop-be` (domain) | owner | `al11111-ovh` | — |');
  });

  test('is not destructive when intended, e.g. marked for decommissioning', () => {
    const intended: IsIntended = (stack, address, label) => stack === 'alpha.be' && /^ovh_domain_(name|zone)\./.test(address) && label.includes('-alpha-shop-be/');
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
    { stack: 'alpha.be', effect: 'stack removed', type: 'ovh_domain_zone' },
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

test('a new VPS plan replaces the VPS, though only its catalog data source changes', () => {
  const report = review('vps-plan');
  expect(labels(report, 'alpha.be', 'changed')).toEqual([]);
  expect(report.destructive).toEqual([
    {
      stack: 'alpha.be',
      address: expect.stringMatching(/^ovh_vps\.vps-web_order_/),
      label: 'alpha.be/vps-web/order',
      type: 'ovh_vps',
      effect: 'replaced',
      forcedBy: [{ argument: expect.stringMatching(/^data\.ovh_order_cart_product_plan\.vps-web_catalog_\w+\.plan_code$/), before: 'vps-2025-model1', after: 'vps-2025-model2' }],
    },
  ]);
  expect(report.markdown).toMatch(/> - \*\*REPLACED\*\* `alpha\.be\/vps-web\/order` \(`ovh_vps`, stack `alpha\.be`\): ordered again, because of `data\.ovh_order_cart_product_plan\.vps-web_catalog_\w+\.plan_code`: `"vps-2025-model1"` → `"vps-2025-model2"`/);
});

describe('the diff itself', () => {
  const meta = (p: string) => ({ '//': { metadata: { path: p, uniqueId: 'x' } } });
  const stack = (resources: Record<string, Record<string, unknown>>, extra: Record<string, unknown> = {}) => ({ resource: resources, ...extra }) as never;

  test('ignores cdktf’s "//" metadata, and names blocks by their construct path', () => {
    const before = stack({ ovh_vps: { a_1: { ...meta('c/a/order'), display_name: 'a' } } });
    const after = stack({ ovh_vps: { a_1: { ...meta('c/a/order-moved'), display_name: 'a' } } });
    expect(diffStack('c', before, after)).toEqual({ stack: 'c', action: 'unchanged', changes: [] });
  });

  test('lists changed arguments by path, down into blocks and lists of the same length', () => {
    expect(argumentChanges({ plan: [{ plan_code: 'a', configuration: [{ label: 'dc', value: 'GRA' }] }], n: 1 }, { plan: [{ plan_code: 'b', configuration: [{ label: 'dc', value: 'SBG' }] }], n: 1 })).toEqual([
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
    expect(diff.changes.map(({ action, address }) => ({ action, address }))).toEqual([{ action: 'added', address: 'provider.ovh.client_x' }]);
  });

  test('affected stacks: added, removed or changed, never unchanged ones', () => {
    const body = stack({ ovh_vps: { v: { display_name: 'v' } } });
    const diffs = [diffStack('added', undefined, body), diffStack('removed', body, undefined), diffStack('same', body, body), diffStack('changed', body, stack({ ovh_vps: { v: { display_name: 'w' } } }))];
    expect(affectedStacks(diffs)).toEqual(['added', 'removed', 'changed']);
  });
});
