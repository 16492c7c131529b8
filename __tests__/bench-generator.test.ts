/**
 * The benchmark's synthetic clients are valid client files, as varied as real ones. No timing here: `npm run bench`
 * measures.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { planFolder } from '../policy/folder';
import { writeSyntheticClients } from '../bench/synthetic-clients';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-clients-'));
const ids = writeSyntheticClients(dir, 1000);
/** Throws a ConfigError, listing every problem, unless all the files are valid. */
const clients = planFolder(dir).files.clients.map(({ client }) => client);
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

test('the 1,000 synthetic clients pass the real validation, in file name order', () => {
  expect(clients.map((client) => client.id)).toEqual(ids);
  expect(new Set(ids).size).toBe(1000);
});

test('they are varied: sizes, products, every kind of service, instances, backups, overrides', () => {
  const some = (predicate: (client: (typeof clients)[number]) => boolean) => clients.filter(predicate).length;
  const scopes = clients.flatMap((client) => [client, ...client.products]);

  expect(some((c) => c.size === 'standard')).toBeGreaterThan(500);
  expect(some((c) => c.size === 'large' && c.cloudProject !== undefined)).toBeGreaterThan(100);
  expect(some((c) => c.products.length > 0)).toBeGreaterThan(50);
  expect(some((c) => c.domains.some((d) => !d.dnsZone))).toBeGreaterThan(100);
  const hostingKinds = ['vps', 'privateDatabases', 'emailDomains', 'webHostings'] as const;
  expect(hostingKinds.filter((kind) => some((c) => c.hosting[kind].length > 0) < 100)).toEqual([]);
  expect(some((c) => c.hosting.vps.some((v) => v.existing !== undefined))).toBeGreaterThan(10);
  expect(some((c) => c.instances.some((i) => i.checkouts.length > 0))).toBeGreaterThan(300);
  expect(some((c) => c.backups.length > 0)).toBe(1000);
  expect(some((c) => c.backups.some((b) => b.region !== undefined))).toBeGreaterThan(100);
  expect(some((c) => c.contacts?.billing === 'client')).toBeGreaterThan(10);
  expect(some((c) => c.hosting.vps.some((v) => v.contacts?.tech !== undefined))).toBeGreaterThan(10);

  const domains = scopes.flatMap((scope) => scope.domains.map((d) => d.name));
  expect(new Set(domains).size).toBe(domains.length);
});
