/**
 * The names a client's stack takes are all checked before anything is built: for many clients made of names chosen to
 * collide (dots and dashes, product ids that are service kinds, mailboxes named like their passwords), whatever the
 * loader accepts builds without a clash of construct ids or outputs, and whatever would clash is refused.
 */
import { Testing } from 'cdktf';
import * as path from 'node:path';
import { ConfigError } from '../core/failures';
import { planFolder } from '../policy/folder';
import { ClientStack } from '../stacks/client-stack';
import { clientsFolder, standardClient } from './support';

/** A small deterministic generator (mulberry32), so that a failure is the same on every run. */
function random(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const NAMES = ['a', 'b', 'a-b', 'web', 'vps', 'zone', 'domain-a-b', 'domain-a-be', 'email-a-be', 'db', 'records'];
const DOMAINS = ['a.be', 'a-b.be', 'a.b.be', 'b.be', 'web.a.be', 'domain-a.be'];
const PRODUCTS = ['vps', 'zone', 'domain', 'email', 'web', 'db', 'instance', 'backup', 'a', 'cloud'];
const ACCOUNTS = ['a', 'b', 'passwords', 'a-password', 'b-password', 'info'];

function someClient(next: () => number, n: number) {
  const pick = <T>(list: T[]) => list[Math.floor(next() * list.length)];
  const some = <T>(max: number, make: () => T) => Array.from({ length: Math.floor(next() * (max + 1)) }, make);
  const services = () => ({
    domains: some(2, () => ({
      name: pick(DOMAINS),
      records: some(1, () => ({ type: 'A', subdomain: pick(['', 'www']), target: '51.38.12.1' })),
    })),
    hosting: {
      vps: some(2, () => ({ name: pick(NAMES), plan: 'vps-2025-model1', datacenter: 'GRA', os: 'Debian 12' })),
      privateDatabases: some(1, () => ({ name: pick(NAMES), plan: 'private-sql-1024-instance', engine: 'mysql_8.0', datacenter: 'gra3' })),
      emailDomains: some(2, () => ({ domain: pick(DOMAINS), mailboxes: some(2, () => ({ account: pick(ACCOUNTS) })) })),
      webHostings: some(1, () => ({ domain: pick(DOMAINS), plan: 'perso2014' })),
    },
  });
  return {
    ...standardClient,
    size: pick(['standard', 'large']),
    ...services(),
    products: some(2, () => ({ id: pick(PRODUCTS), nichandle: `pr${n}${Math.floor(next() * 1000)}-ovh`, ...services() })),
    instances: some(2, () => ({ name: pick(NAMES), region: 'GRA11', flavor: 'b3-8', image: 'Debian 12' })),
    backups: some(2, () => ({ name: pick(NAMES) })),
  };
}

test('whatever the loader accepts builds without a clash, and every clash is refused first', () => {
  const next = random(20251121);
  let accepted = 0;
  let refused = 0;
  for (let n = 0; n < 300; n++) {
    const client = someClient(next, n);
    const dir = clientsFolder({ 'betterfinance.eu.yaml': client });
    let plans;
    try {
      ({ plans } = planFolder(dir));
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      refused++;
      continue;
    }
    accepted++;
    const [plan] = plans.clients;
    const { endpoint } = plans.agency;
    const build = () =>
      Testing.synth(new ClientStack(Testing.app(), client.id, { plan, endpoint, state: { kind: 'local', dir: path.join(dir, 'state') } }));
    expect({
      client,
      build: (() => {
        try {
          build();
          return 'built';
        } catch (error) {
          return (error as Error).message;
        }
      })(),
    }).toEqual({ client, build: 'built' });
  }
  // Both sides were exercised.
  expect(accepted).toBeGreaterThan(30);
  expect(refused).toBeGreaterThan(30);
});
