/**
 * Removing a billed service fails the review unless the head's client file marks it `decommission: true`.
 */
import * as path from 'node:path';
import { planFolder } from '../policy/folder';
import { compareTrees } from '../review/changes';
import { decommissionedIn } from '../review/decommissioned';
import type { StackTree } from '../review/stack-tree';
import { synthesizeStacksHere } from '../review/synthesis';
import { clientsFolder, standardClient } from './support';

const root = path.resolve(__dirname, '..');
const client = {
  ...standardClient,
  domains: [{ name: 'betterfinance.eu', dnsZone: false }],
  hosting: { vps: ['web', 'old'].map((name) => ({ name, plan: 'vps-2025-model1', datacenter: 'GRA', os: 'Debian 12' })) },
};

/** Each client file's folder and stacks, synthesized once in this process, as a review of this project's own code does. */
const synthesized = new Map<string, { clientsDir: string; tree: StackTree }>();
async function synthesizedFolder(file: object) {
  const key = JSON.stringify(file);
  if (!synthesized.has(key)) {
    const clientsDir = clientsFolder({ 'betterfinance.eu.yaml': file });
    synthesized.set(key, { clientsDir, tree: await synthesizeStacksHere({ env: {}, projectDir: root, clientsDir }) });
  }
  return synthesized.get(key)!;
}

/** The review of base → head as `changes` runs it: intended removals from the head's files; its progress in `progress`. */
async function review(base: object, head: object, progress: string[] = []) {
  const [{ tree: baseTree }, { clientsDir: headDir, tree: headTree }] = [await synthesizedFolder(base), await synthesizedFolder(head)];
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
