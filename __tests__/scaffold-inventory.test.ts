/**
 * `new-client` writes a valid file and refuses duplicates; `inventory` states the facts of each client.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { planFolder } from '../policy/folder';
import { inventoryMarkdown } from '../lifecycle/inventory';
import { newClient } from '../lifecycle/new-client';
import { clientsFolder, standardClient } from './support';

describe('new-client', () => {
  test('writes a client file that loads, with the id as its domain, ready for a pull request', () => {
    const dir = clientsFolder({ 'betterfinance.eu.yaml': standardClient });
    const file = newClient(dir, { id: 'maison-dupont.fr', name: 'Maison Dupont', nic: 'md11223-ovh', size: 'large' });
    expect(file).toBe(path.join(dir, 'maison-dupont.fr.yaml'));
    expect(fs.readFileSync(file, 'utf8')).toContain('maison-dupont.fr@cedricfrancoys.be');
    const { clients } = planFolder(dir, ['maison-dupont.fr']).files;
    expect(clients[0].client).toMatchObject({
      id: 'maison-dupont.fr',
      name: 'Maison Dupont',
      size: 'large',
      nichandle: 'md11223-ovh',
      domains: [{ name: 'maison-dupont.fr' }],
    });
    expect(fs.readdirSync(dir).sort()).toEqual(['agency.yaml', 'betterfinance.eu.yaml', 'maison-dupont.fr.yaml']);
  });

  test('refuses an existing id, leaving the file as it was', () => {
    const dir = clientsFolder({ 'betterfinance.eu.yaml': standardClient });
    const before = fs.readFileSync(path.join(dir, 'betterfinance.eu.yaml'), 'utf8');
    expect(() => newClient(dir, { id: 'betterfinance.eu', name: 'Again', nic: 'ag11111-ovh' })).toThrow(
      /client "betterfinance\.eu" exists already/,
    );
    expect(fs.readFileSync(path.join(dir, 'betterfinance.eu.yaml'), 'utf8')).toBe(before);
  });

  test('refuses a domain another client (or one of its products) declares', () => {
    const dir = clientsFolder({
      'betterfinance.eu.yaml': { ...standardClient, products: [{ id: 'shop', nichandle: 'sh11111-ovh', domains: [{ name: 'bf.shop' }] }] },
    });
    expect(() => newClient(dir, { id: 'bf-shop', name: 'BF Shop', nic: 'bs11111-ovh', domain: ['bf.shop'] })).toThrow(
      /domain "bf\.shop" is already declared in .*betterfinance\.eu\.yaml/,
    );
    expect(fs.existsSync(path.join(dir, 'bf-shop.yaml'))).toBe(false);
  });

  test('refuses what the folder’s rules refuse, naming each option, and writes nothing', () => {
    const dir = clientsFolder({ 'betterfinance.eu.yaml': standardClient });
    expect(() => newClient(dir, { id: 'dupont.fr', name: 'Dupont\n# injected', nic: 'du11111-ovh' })).toThrow(
      /^--name: must be one line of plain text$/,
    );
    expect(() => newClient(dir, { id: 'betterfinance-eu', name: 'Twin', nic: 'bf12345-ovh', domain: ['tw.eu'] })).toThrow(
      /^--id: gives its OVH account the credentials TF_VAR_ovh_betterfinance_eu_\*, as betterfinance\.eu\.yaml \(id\) does.*\n--nic: is already the account of betterfinance\.eu\.yaml \(nichandle\)/,
    );
    expect(() => newClient(dir, { id: 'dupont.fr', name: 'Dupont', nic: 'cf10001-ovh' })).toThrow(/^--nic: is the agency’s own account/);
    expect(fs.readdirSync(dir).sort()).toEqual(['agency.yaml', 'betterfinance.eu.yaml']);
  });

  test('refuses the placeholders of its own usage (--nic xx11111-ovh), as synth would, and writes nothing; the next new-client still works', () => {
    const dir = clientsFolder({ 'betterfinance.eu.yaml': standardClient });
    expect(() => newClient(dir, { id: 'dupont.fr', name: 'Dupont', nic: 'xx11111-ovh' })).toThrow(
      /^--nic: holds "xx11111-ovh", a placeholder \(or markup\): write the real value$/,
    );
    expect(() => newClient(dir, { id: 'dupont.fr', name: '<client name>', nic: 'du11111-ovh' })).toThrow(
      /^--name: holds "<client name>", a placeholder/,
    );
    expect(fs.readdirSync(dir).sort()).toEqual(['agency.yaml', 'betterfinance.eu.yaml']);
    expect(fs.existsSync(newClient(dir, { id: 'dupont.fr', name: 'Dupont', nic: 'du11111-ovh' }))).toBe(true);
  });

  test('refuses a malformed nichandle, naming the option', () => {
    const dir = clientsFolder({});
    expect(() => newClient(dir, { id: 'x.be', name: 'X', nic: 'X1' })).toThrow(/--nic: expected an OVH nichandle/);
  });
});

describe('inventory', () => {
  const markdown = inventoryMarkdown(planFolder(path.resolve(__dirname, '..', 'clients')).plans.clients);
  const section = (title: string) => markdown.slice(markdown.indexOf(`## ${title}`)).split('\n## ')[0];

  test('has a section per client, with its accounts and internal addresses', () => {
    expect(markdown.match(/^## /gm)).toHaveLength(3);
    const imoov = section('Imoov');
    expect(imoov).toContain(
      '| account of client Imoov | im67890-ovh | imoov.solutions@cedricfrancoys.be | `TF_VAR_ovh_imoov_solutions_*` |',
    );
    expect(imoov).toContain('| es24680-ovh | eshop.imoov.solutions@cedricfrancoys.be | `TF_VAR_ovh_eshop_imoov_solutions_*` |');
  });

  test('states who orders each service and its contacts', () => {
    const betterfinance = section('Better Finance');
    expect(betterfinance).toContain(
      '| staging | VPS | cedricfrancoys (cf10001-ovh) |  | betterfinance.eu (bf12345-ovh) | op54321-ovh (third party) | cedricfrancoys (cf10001-ovh) | ordered by Terraform |',
    );
    expect(section('Imoov')).toContain(
      '| Imoov (imoov.solutions) | Public Cloud project | yesbabylon (yb20002-ovh) |  | imoov.solutions (im67890-ovh) | imoov.solutions (im67890-ovh) | yesbabylon (yb20002-ovh) |',
    );
    expect(section('Atelier Lumière')).toContain(
      '| web | VPS | cedricfrancoys (cf10001-ovh) |  | atelier-lumiere.be (al13579-ovh) | atelier-lumiere.be (al13579-ovh) | atelier-lumiere.be (al13579-ovh) | imported (vps-7f3a9c1e.vps.ovh.net) |',
    );
  });

  test('draws accounts → services in a Mermaid diagram per client', () => {
    const diagram = section('Better Finance').split('```mermaid\n')[1].split('```')[0];
    expect(diagram.startsWith('flowchart LR\n')).toBe(true);
    expect(diagram).toContain('a_cf10001_ovh -- orders --> s_vps_staging');
    expect(diagram).toContain('a_op54321_ovh -. tech .-> s_vps_staging');
    expect(diagram).toContain('a_bf12345_ovh -- orders --> s_domain_betterfinance_eu');
    expect(diagram).toContain('a_yb20002_ovh -- manages --> s_shared');
  });
});
