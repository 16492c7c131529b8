/**
 * Synthetic, valid client files for the benchmark: a clients folder of any size, with the project's own
 * `agency.yaml` and a mix of what real clients have. Client `i` is always the same file, so runs compare.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { stringify } from 'yaml';
import { AGENCY_FILE } from '../config/load';

const PROJECT_AGENCY_FILE = path.resolve(__dirname, '..', 'clients', AGENCY_FILE);

/** The id of synthetic client `i` (0-based); ids sort in index order. */
export function syntheticClientId(i: number): string {
  return `client-${String(i).padStart(5, '0')}.be`;
}

/**
 * Client `i`: one in five is large (own project, a backup region), one in ten has an isolated product; each has
 * one to three domains (DNS hosted elsewhere for some), hosting of every kind spread over the clients, instances
 * with git checkouts, backups, now and then an existing VPS to import, and the procedure's two overrides (tech
 * operator, billing handed over).
 */
export function syntheticClient(i: number) {
  const id = syntheticClientId(i);
  const slug = id.replace(/\./g, '-');
  const large = i % 5 === 4;
  const domains = Array.from({ length: 1 + (i % 3) }, (_, d) => {
    const name = `${slug}-${d}.eu`;
    return d === 2
      ? { name, dnsZone: false }
      : {
          name,
          records: [
            { type: 'A', subdomain: '', target: `51.38.${i % 256}.${d + 10}` },
            { type: 'CNAME', subdomain: 'www', target: `${name}.` },
            { type: 'MX', subdomain: '', target: '1 mx1.mail.ovh.net.', ttl: 3600 },
            { type: 'TXT', subdomain: '', target: '"v=spf1 include:mx.ovh.com ~all"' },
          ],
        };
  });
  const main = domains[0].name;
  const hosting = {
    webHostings: i % 2 === 0 ? [{ domain: main, plan: 'perso2014' }] : [],
    emailDomains:
      i % 2 === 0 ? [{ domain: main, mailboxes: ['contact', 'info', 'admin'].slice(0, 1 + (i % 3)).map((account) => ({ account })) }] : [],
    vps:
      i % 3 === 0
        ? [
            {
              name: 'staging',
              plan: 'vps-2025-model1',
              datacenter: 'GRA',
              os: 'Debian 12',
              ...(i % 7 === 0 ? { contacts: { tech: 'op54321-ovh' } } : {}),
              ...(i % 9 === 0 ? { existing: `vps-${slug}.vps.ovh.net` } : {}),
            },
          ]
        : [],
    privateDatabases: i % 4 === 0 ? [{ name: 'main', plan: 'private-sql-1024-instance', engine: 'mysql_8.0', datacenter: 'gra3' }] : [],
  };
  const instances = Array.from({ length: large ? 2 : i % 2 }, (_, n) => ({
    name: `web-${n + 1}`,
    region: 'GRA11',
    flavorId: '906e8259-0340-4856-95b5-4ea2d26fe377',
    imageId: '0cc6cd4a-8c9e-4a4f-9c7e-1b6c6b1e4f9d',
    sshKey: 'agency-deploy',
    packages: ['nginx', 'php-fpm'],
    checkouts: [{ repository: `https://github.com/yesbabylon/${slug}.git`, path: `/var/www/${slug}`, ref: 'main' }],
  }));
  const products =
    i % 10 === 0
      ? [
          {
            id: 'eshop',
            name: 'e-shop',
            nichandle: `sp${i + 1}-ovh`,
            domains: [{ name: `${slug}-shop.eu`, records: [{ type: 'A', subdomain: '', target: `51.75.${i % 256}.31` }] }],
            hosting: { vps: [{ name: 'shop', plan: 'vps-2025-model2', datacenter: 'SBG', os: 'Debian 12' }] },
          },
        ]
      : [];
  return {
    id,
    name: `Client ${i}`,
    size: large ? 'large' : 'standard',
    nichandle: `sc${i + 1}-ovh`,
    ...(i % 11 === 0 ? { contacts: { billing: 'client' } } : {}),
    domains,
    hosting,
    ...(products.length > 0 ? { products } : {}),
    ...(large ? { cloudProject: { description: `Client ${i} production` } } : {}),
    instances,
    backups: large ? [{ name: 'files' }, { name: 'database', region: 'SBG' }] : [{ name: 'files' }],
  };
}

/** Writes the agency file and `count` client files into `dir` (created if needed); returns the client ids. */
export function writeSyntheticClients(dir: string, count: number): string[] {
  fs.mkdirSync(dir, { recursive: true });
  fs.copyFileSync(PROJECT_AGENCY_FILE, path.join(dir, AGENCY_FILE));
  return Array.from({ length: count }, (_, i) => {
    const client = syntheticClient(i);
    fs.writeFileSync(path.join(dir, `${client.id}.yaml`), stringify(client));
    return client.id;
  });
}
