/**
 * The README is the front door: its procedure table says what the plan of the example clients does (who owns, who
 * orders by hand), and its layout names no folder a fresh clone lacks without saying how it appears.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { planFolder } from '../policy/folder';
import type { ServiceKind } from '../policy/service-kinds';
import { orderedByHand } from '../policy/service-kinds';

const root = path.resolve(__dirname, '..');
const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');

/** The rows of the first table after `heading`, each as its cells. */
function tableAfter(heading: string): string[][] {
  const section = readme.slice(readme.indexOf(heading));
  const lines = section.split('\n');
  const start = lines.findIndex((line) => line.startsWith('|'));
  const rows = lines.slice(start, start + lines.slice(start).findIndex((line) => !line.startsWith('|')));
  return rows.slice(2).map((row) =>
    row
      .slice(1, -1)
      .split(/(?<!\\)\|/)
      .map((cell) => cell.trim()),
  );
}

describe('the procedure table', () => {
  const rows = tableAfter('## The procedure, and where the code applies it');
  const services = planFolder(path.join(root, 'clients')).plans.clients.flatMap((plan) => plan.services);
  const rowOf: Partial<Record<ServiceKind, string>> = {
    domain: 'domain name',
    dnsZone: 'DNS zone of a domain',
    vps: 'VPS, private database',
    privateDatabase: 'VPS, private database',
    emailDomain: 'e-mail offer, web hosting',
    webHosting: 'e-mail offer, web hosting',
  };

  test.each(Object.entries(rowOf))('%s: the owner and who orders, as the plan has them', (kind, label) => {
    const row = rows.find(([service]) => service === label);
    expect(row).toBeDefined();
    const [, orderedThrough, owner] = row!;
    const planned = services.filter((service) => service.kind === kind);
    expect(planned.length).toBeGreaterThan(0);
    for (const service of planned) expect(owner === 'client').toBe(service.contacts.owner !== undefined);
    expect(orderedThrough.includes('by hand')).toBe(orderedByHand(kind as ServiceKind));
  });

  test('a large client’s own project has no owner either', () => {
    const project = services.find((service) => service.kind === 'cloudProject');
    expect(project?.contacts.owner).toBeUndefined();
    expect(rows.find(([service]) => service === 'Public Cloud, large client')?.[2]).toBe('none');
  });
});

test('the layout names no path a fresh clone lacks without saying how it appears', () => {
  const tracked = execFileSync('git', ['ls-files'], { cwd: root, encoding: 'utf8' }).split('\n');
  for (const [cell, what] of tableAfter('## Layout')) {
    const at = /^`([^`]+)`$/.exec(cell)?.[1];
    expect(at).toBeDefined();
    const inClone = tracked.some((file) => file === at || file.startsWith(at!.endsWith('/') ? at! : `${at}/`));
    if (!inClone) expect([at, what]).toEqual([at, expect.stringMatching(/not committed|not in a fresh clone/)]);
  }
});
