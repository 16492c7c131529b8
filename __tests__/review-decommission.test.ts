/**
 * Removing a billed service fails the review unless the head's client file marks it `decommission: true`.
 */
import * as path from 'node:path';
import { planFolder } from '../policy/folder';
import { compareTrees } from '../review/changes';
import { decommissionedIn } from '../review/decommissioned';
import { synthesizeStacks } from '../review/synthesis';
import { clientsFolder, standardClient } from './support';

const root = path.resolve(__dirname, '..');
// Each review runs `npm run synth` twice, as processes: seconds on a loaded machine, more than jest's default 5 s.
jest.setTimeout(120_000);

const client = {
  ...standardClient,
  domains: [{ name: 'betterfinance.eu', dnsZone: false }],
  hosting: { vps: ['web', 'old'].map((name) => ({ name, plan: 'vps-2025-model1', datacenter: 'GRA', os: 'Debian 12' })) },
};

/** The review of base → head as `changes` runs it: intended removals from the head's files; its progress in `progress`. */
async function review(base: object, head: object, progress: string[] = []) {
  const [baseDir, headDir] = [base, head].map((c) => clientsFolder({ 'betterfinance.eu.yaml': c }));
  const [baseTree, headTree] = await Promise.all(
    [baseDir, headDir].map((clientsDir) => synthesizeStacks({ env: {}, projectDir: root, clientsDir })),
  );
  return compareTrees(
    baseTree,
    headTree,
    { ref: 'main', commit: '0'.repeat(40), clientsPath: 'clients' },
    { isIntended: decommissionedIn(planFolder(headDir).plans), onProgress: (line) => progress.push(line) },
  );
}

test('a VPS dropped from the file is destructive, and the summary says how to do it on purpose', async () => {
  const report = await review(client, { ...client, hosting: { vps: [client.hosting.vps[0]] } });
  expect(report.destructive.map((change) => change.label)).toEqual(['betterfinance.eu/vps-old/order']);
  expect(report.markdown).toContain('betterfinance.eu/vps-old/order');
  expect(report.markdown).toContain('decommission: true');
});

test('the same VPS marked decommission: true goes without a destructive flag', async () => {
  const report = await review(client, {
    ...client,
    hosting: { vps: [client.hosting.vps[0], { ...client.hosting.vps[1], decommission: true }] },
  });
  expect(report.destructive).toEqual([]);
  expect(report.affected).toEqual(['betterfinance.eu']);
});

test('the summary says the VPS goes as its file asks, and the progress counts what the summary counts', async () => {
  const progress: string[] = [];
  const report = await review(
    client,
    { ...client, hosting: { vps: [client.hosting.vps[0], { ...client.hosting.vps[1], decommission: true }] } },
    progress,
  );
  expect(report.intended.map((change) => change.label)).toEqual(['betterfinance.eu/vps-old/order']);
  expect(report.markdown).toContain('> [!NOTE]\n> **Intended: 1 protected resource(s) destroyed or replaced as the client files ask.**');
  expect(report.markdown).toContain(
    '> - **DESTROYED** `betterfinance.eu/vps-old/order` (`ovh_vps`, stack `betterfinance.eu`): removed from its stack; intended: `decommission: true` in the client file',
  );
  expect(report.markdown).toContain(
    '- ➖ remove `betterfinance.eu/vps-old/order` (`ovh_vps`) _(intended: `decommission: true` in the client file)_',
  );
  expect(report.markdown).not.toContain('[!CAUTION]');
  const counted = /\*\*Resources\*\*: (.*)/.exec(report.markdown)![1];
  expect(counted).toBe('0 to add, 0 to change, 2 to remove');
  expect(progress).toEqual(['[1/2] agency: no changes', `[2/2] betterfinance.eu: resources: ${counted}`]);
});

test('a decommission marking covers only what it marks', async () => {
  const report = await review(client, {
    ...client,
    domains: [],
    hosting: { vps: [client.hosting.vps[0], { ...client.hosting.vps[1], decommission: true }] },
  });
  expect(report.destructive.map((change) => change.label)).toEqual(['betterfinance.eu/domain-betterfinance-eu/order']);
});

test('a whole client marked decommission: true empties its stack without a destructive flag', async () => {
  const report = await review(client, { ...client, decommission: true });
  expect(report.destructive).toEqual([]);
});
