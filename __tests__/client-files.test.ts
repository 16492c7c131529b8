/**
 * Bad client files are refused with the file, the line, the field path and what was expected.
 */
import * as path from 'node:path';
import { mayClaimAlike } from '../config/claim-candidates';
import { planFolder } from '../policy/folder';
import { ConfigError, formatProblem, type FileProblem } from '../core/failures';
import { agencyFile, clientsFolder, standardClient } from './support';

function problemsOf(files: Record<string, object | string>, selected?: string[]): (FileProblem & { fileName: string })[] {
  const dir = clientsFolder(files);
  try {
    planFolder(dir, selected);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return error.problems.map((problem) => ({ ...problem, fileName: path.basename(problem.file) }));
  }
  throw new Error('expected the client files to be refused');
}

const file = (client: Record<string, unknown>) => ({ [`${client.id}.yaml`]: client });

describe('a client file is refused', () => {
  test('when the nichandle is missing', () => {
    const { nichandle: _omitted, ...client } = standardClient;
    expect(problemsOf(file(client))).toEqual([
      expect.objectContaining({
        fileName: 'betterfinance.eu.yaml',
        field: 'nichandle',
        message: expect.stringMatching(/required.*xx11111-ovh/),
      }),
    ]);
  });

  test('when the nichandle is malformed, pointing at its line', () => {
    const text = ['id: betterfinance.eu', 'name: Better Finance', 'size: standard', 'nichandle: BF12345', ''].join('\n');
    expect(problemsOf({ 'betterfinance.eu.yaml': text })).toEqual([
      {
        file: expect.any(String),
        fileName: 'betterfinance.eu.yaml',
        line: 4,
        field: 'nichandle',
        message: expect.stringContaining('expected an OVH nichandle like "xx11111-ovh"'),
      },
    ]);
  });

  test('when a key is unknown, naming the key and its line', () => {
    const text = [
      'id: betterfinance.eu',
      'name: Better Finance',
      'size: standard',
      'nichandle: bf12345-ovh',
      'domains:',
      '  - name: betterfinance.eu',
      '    dnszone: false',
      '',
    ].join('\n');
    const [problem] = problemsOf({ 'betterfinance.eu.yaml': text });
    expect(problem).toMatchObject({ line: 7, field: 'domains[0].dnszone', message: expect.stringContaining('unknown key') });
    expect(formatProblem(problem)).toMatch(/betterfinance\.eu\.yaml:7: domains\[0\]\.dnszone: unknown key/);
  });

  test('when the same domain is declared by two clients', () => {
    const problems = problemsOf({
      ...file({ ...standardClient, domains: [{ name: 'shared.eu' }] }),
      ...file({ ...standardClient, id: 'other.be', nichandle: 'ot11111-ovh', domains: [{ name: 'other.be' }, { name: 'shared.eu' }] }),
    });
    expect(problems).toEqual([
      expect.objectContaining({
        fileName: 'other.be.yaml',
        field: 'domains[1].name',
        message: expect.stringMatching(/"shared\.eu" is already declared in .*betterfinance\.eu\.yaml/),
      }),
    ]);
  });

  test('when a product and its client declare the same domain', () => {
    const problems = problemsOf(
      file({
        ...standardClient,
        domains: [{ name: 'a.eu' }],
        products: [{ id: 'shop', nichandle: 'sh11111-ovh', domains: [{ name: 'a.eu' }] }],
      }),
    );
    expect(problems).toEqual([expect.objectContaining({ field: 'products[0].domains[0].name' })]);
  });

  test('when an isolated product has no account of its own', () => {
    const problems = problemsOf(file({ ...standardClient, products: [{ id: 'eshop', domains: [{ name: 'shop.eu' }] }] }));
    expect(problems).toEqual([
      expect.objectContaining({
        field: 'products[0].nichandle',
        message: expect.stringContaining('an isolated product has its own OVH account'),
      }),
    ]);
  });

  test('when a standard client uses options only large clients have', () => {
    const problems = problemsOf(
      file({ ...standardClient, cloudProject: { description: 'own project' }, backups: [{ name: 'db', region: 'SBG' }] }),
    );
    expect(problems.map((p) => p.field).sort()).toEqual(['backups[0].region', 'cloudProject']);
    for (const problem of problems) expect(problem.message).toContain('only for large clients');
  });

  test('when DNS records are given for a domain whose zone is not at OVH', () => {
    const problems = problemsOf(
      file({ ...standardClient, domains: [{ name: 'a.eu', dnsZone: false, records: [{ type: 'A', target: '51.38.12.1' }] }] }),
    );
    expect(problems).toEqual([expect.objectContaining({ field: 'domains[0].records', message: expect.stringContaining('dnsZone: true') })]);
  });

  test('when the id does not match the file name', () => {
    expect(problemsOf({ 'betterfinance.yaml': standardClient })).toEqual([
      expect.objectContaining({
        fileName: 'betterfinance.yaml',
        field: 'id',
        message:
          'must match the file name: expected "betterfinance", got "betterfinance.eu" (or rename the file to "betterfinance.eu.yaml")',
      }),
    ]);
  });

  test('when the size is neither standard nor large', () => {
    expect(problemsOf(file({ ...standardClient, size: 'huge' }))).toEqual([
      expect.objectContaining({ field: 'size', message: expect.stringMatching(/standard.*large/) }),
    ]);
  });

  test('when the YAML itself is broken', () => {
    const [problem] = problemsOf({ 'betterfinance.eu.yaml': 'id: betterfinance.eu\nname: [unclosed\n' });
    expect(problem).toMatchObject({ fileName: 'betterfinance.eu.yaml', message: expect.stringContaining('is not valid YAML') });
    expect(problem.line).toBeGreaterThan(0);
  });

  test('when a selected client has no file', () => {
    expect(problemsOf(file(standardClient), ['missing.be'])).toEqual([
      expect.objectContaining({ fileName: 'missing.be.yaml', message: expect.stringContaining('no such client file') }),
    ]);
  });

  test('when a selected client’s file is named in another case, saying which file to rename', () => {
    expect(problemsOf({ 'BetterFinance.eu.yaml': standardClient }, ['betterfinance.eu'])).toEqual([
      expect.objectContaining({
        fileName: 'betterfinance.eu.yaml',
        message:
          'no such client file: the selection (OVH_IAC_CLIENTS) names "betterfinance.eu" (BetterFinance.eu.yaml differs in case: rename it to "betterfinance.eu.yaml")',
      }),
    ]);
  });

  test('when the agency settings are wrong, with every problem of every file reported at once', () => {
    const dir = clientsFolder({ ...file({ ...standardClient, nichandle: 'nope' }) }, { mailDomain: 'cedricfrancoys.be' });
    expect(() => planFolder(dir)).toThrow(ConfigError);
    try {
      planFolder(dir);
    } catch (error) {
      const fields = (error as ConfigError).problems.map((p) => `${path.basename(p.file)} ${p.field}`);
      expect(fields).toEqual(expect.arrayContaining(['agency.yaml ovh', 'agency.yaml accounts', 'betterfinance.eu.yaml nichandle']));
    }
  });
});

test('a valid folder loads every client, and a selection loads only the selected files', () => {
  const files = {
    ...file(standardClient),
    ...file({ ...standardClient, id: 'other.be', nichandle: 'ot11111-ovh' }),
    'broken.yaml': 'not: [valid',
  };
  const dir = clientsFolder(files);
  expect(planFolder(dir, ['other.be', 'betterfinance.eu']).files.clients.map(({ client }) => client.id)).toEqual([
    'other.be',
    'betterfinance.eu',
  ]);
  expect(() => planFolder(dir)).toThrow(/broken\.yaml/);
});

test('a file is named as the folder was given, joined to its name, however the folder is spelt', () => {
  const dir = clientsFolder({ 'broken.yaml': 'not: [valid' });
  const relative = path.relative(process.cwd(), dir);
  const fileOfProblem = (given: string) => {
    try {
      planFolder(given);
    } catch (error) {
      if (error instanceof ConfigError) return error.problems[0].file;
      throw error;
    }
    throw new Error('expected the folder to be refused');
  };
  for (const given of [dir, `${dir}/`, `${dir}//.`, relative, `./${relative}/`, `${relative}/../${path.basename(dir)}`])
    expect(fileOfProblem(given)).toBe(path.join(given, 'broken.yaml'));
  const cwd = process.cwd();
  process.chdir(dir);
  try {
    expect(fileOfProblem('.')).toBe('broken.yaml');
  } finally {
    process.chdir(cwd);
  }
});

describe('a selection (OVH_IAC_CLIENTS)', () => {
  const twins = {
    ...file({ ...standardClient, id: 'acme.io', nichandle: 'ac11111-ovh' }),
    ...file({ ...standardClient, id: 'acme-io', nichandle: 'ac22222-ovh' }),
    'broken.yaml': 'not: [valid',
  };

  test('still refuses credentials and addresses that another client’s file name gives', () => {
    expect(problemsOf(twins, ['acme-io'])).toEqual([
      expect.objectContaining({
        fileName: 'acme-io.yaml',
        field: 'id',
        message: expect.stringContaining('credentials TF_VAR_ovh_acme_io_*, as acme.io.yaml (id) does'),
      }),
    ]);
  });

  /** Two clients, the second claiming what the first holds; unrelated and broken files around them. */
  function claimed(first: object, second: object) {
    const others = Object.fromEntries(
      Array.from({ length: 5 }, (_, i) => [`other-${i}.be.yaml`, { ...standardClient, id: `other-${i}.be`, nichandle: `ot${i}1111-ovh` }]),
    );
    return clientsFolder({
      ...others,
      'broken.yaml': 'not: [valid',
      ...file({ ...standardClient, id: 'one.be', nichandle: 'on11111-ovh', ...first }),
      ...file({ ...standardClient, id: 'two.be', nichandle: 'tw11111-ovh', ...second }),
    });
  }
  const escaped = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const problemsIn = (dir: string, selected: string[]) => {
    try {
      planFolder(dir, selected);
      return [];
    } catch (error) {
      return (error as ConfigError).problems.map(formatProblem).map((line) => line.slice(dir.length + 1));
    }
  };

  test.each([
    [
      'a nichandle',
      { nichandle: 'sh11111-ovh' },
      { nichandle: 'sh11111-ovh' },
      'two.be.yaml:4: nichandle: is already the account of one.be.yaml:4',
    ],
    [
      'a domain',
      { domains: [{ name: 'shared.eu' }] },
      { domains: [{ name: 'shared.eu' }] },
      'two.be.yaml:6: domains[0].name: domain "shared.eu" is already declared in one.be.yaml:6',
    ],
    [
      'a domain under another’s',
      { domains: [{ name: 'shared.eu' }] },
      { domains: [{ name: 'shop.shared.eu' }] },
      'two.be.yaml:6: domains[0].name: is under a domain of another client, one.be.yaml:6',
    ],
    [
      'a domain above another’s',
      { domains: [{ name: 'shop.shared.eu' }] },
      { domains: [{ name: 'shared.eu' }] },
      'one.be.yaml:6: domains[0].name: is under a domain of another client, two.be.yaml:6',
    ],
    [
      'another client’s account as a contact',
      { nichandle: 'on11111-ovh' },
      { contacts: { tech: 'on11111-ovh' } },
      'two.be.yaml:6: contacts.tech: is the account of another client, one.be.yaml:4',
    ],
    [
      'its account as another’s contact',
      { contacts: { billing: 'tw11111-ovh' } },
      {},
      'one.be.yaml:6: contacts.billing: is the account of another client, two.be.yaml:4',
    ],
    [
      'an imported VPS',
      { hosting: { vps: [{ name: 'web', plan: 'vps-2025-model1', existing: 'vps-1.vps.ovh.net' }] } },
      { hosting: { vps: [{ name: 'old', plan: 'vps-2025-model1', existing: 'vps-1.vps.ovh.net' }] } },
      'two.be.yaml:9: hosting.vps[0].existing: imports the VPS vps-1.vps.ovh.net, as one.be.yaml:9',
    ],
    [
      'an e-mail domain on another’s domain',
      { domains: [{ name: 'shared.eu' }] },
      { hosting: { emailDomains: [{ domain: 'mail.shared.eu' }] } },
      'two.be.yaml:7: hosting.emailDomains[0].domain: is a domain of another client, one.be.yaml:6',
    ],
    [
      'a web hosting of another’s domain',
      { domains: [{ name: 'shared.eu' }] },
      { hosting: { webHostings: [{ domain: 'shared.eu', plan: 'perso2014' }] } },
      'two.be.yaml:7: hosting.webHostings[0].domain: is a domain of another client, one.be.yaml:6',
    ],
  ])('checks %s against the files it does not build, whichever is selected', (_what, first, second, expected) => {
    const dir = claimed(first, second);
    for (const selected of [['two.be'], ['one.be'], ['one.be', 'two.be'], ['other-3.be', 'two.be']]) {
      const lines = problemsIn(dir, selected);
      expect({ selected, lines }).toEqual({ selected, lines: [expect.stringMatching(new RegExp(`^${escaped(expected)}`))] });
    }
    // The stacks built are still the selected clients' only.
    expect(planFolder(claimed({}, {}), ['two.be']).files.clients.map(({ client }) => client.id)).toEqual(['two.be']);
  });

  test('finds a bucket another client’s id gives, without reading that client’s file for anything else', () => {
    const dir = clientsFolder({
      ...file({ ...standardClient, id: 'a.b', nichandle: 'ab11111-ovh', backups: [{ name: 'c-files' }] }),
      ...file({ ...standardClient, id: 'a-b-c', nichandle: 'ac11111-ovh', backups: [{ name: 'files' }] }),
    });
    expect(problemsIn(dir, ['a.b'])).toEqual([
      expect.stringMatching(/^a\.b\.yaml:\d+: backups\[0\]\.name: makes the bucket "a-b-c-files", as a-b-c\.yaml/),
    ]);
  });

  test('reads in full a file whose text might hide a name (a YAML escape), and leaves the rest unread', () => {
    const dir = clientsFolder({
      ...file({ ...standardClient, id: 'one.be', nichandle: 'on11111-ovh' }),
      'two.be.yaml': 'id: two.be\nname: Two\nsize: standard\nnichandle: "on11111\\x2dovh"\n',
      'three.be.yaml': 'id: three.be\nname: [broken\n',
    });
    expect(problemsIn(dir, ['one.be'])).toEqual([
      expect.stringMatching(/^two\.be\.yaml:4: nichandle: is already the account of one\.be\.yaml:4/),
    ]);
  });

  test('reads no other file for a shared operator named in contacts, nor for a name that only contains another', () => {
    const terms = { names: ['example.eu', 'ex11111-ovh'], contacts: ['op54321-ovh'] };
    const alike = (text: string | undefined) => mayClaimAlike(text === undefined ? undefined : Buffer.from(text), terms);
    expect(alike('contacts: { tech: op54321-ovh }\nhosting:\n  vps: [{ name: a, contacts: { "billing": "op54321-ovh" } }]\n')).toBe(false);
    expect(alike('domains: [{ name: shop-example.eu }, { name: example.eu.be }, { name: myexample.eu }]\nnichandle: ex11111-ovh2\n')).toBe(
      false,
    );
    expect(alike('id: other.be\nnichandle: op54321-ovh\n')).toBe(true);
    expect(alike('products: [{ id: shop, nichandle: op54321-ovh }]\n')).toBe(true);
    expect(alike('contacts: { tech: &op op54321-ovh }\nnichandle: *op\n')).toBe(true);
    expect(alike('domains: [{ name: www.example.eu }]\n')).toBe(true);
    expect(alike('contacts:\n  tech: ex11111-ovh\n')).toBe(true);
    expect(alike('name: "a\\x2eb"\n')).toBe(true);
    expect(alike(undefined)).toBe(true);
  });

  test('names only files of the folder: a path out of it is no client', () => {
    expect(problemsOf(file(standardClient), ['../clients/betterfinance.eu'])).toEqual([
      expect.objectContaining({ message: expect.stringContaining('no such client file') }),
    ]);
  });
});

test('a long loop of CNAMEs is named once per record, its middle left out', () => {
  const records = Array.from({ length: 40 }, (_, i) => ({ type: 'CNAME', subdomain: `a${i}`, target: `a${(i + 1) % 40}` }));
  const problems = problemsOf(file({ ...standardClient, domains: [{ name: 'betterfinance.eu', records }] }));
  expect(problems).toHaveLength(40);
  expect(problems[1]).toMatchObject({
    field: 'domains[0].records[1].target',
    message:
      'makes a loop of aliases (a1.betterfinance.eu → a2.betterfinance.eu → a3.betterfinance.eu → … → a0.betterfinance.eu → a1.betterfinance.eu): a CNAME that leads back to itself never resolves',
  });
});

/** Refused here what the provider or OVH would refuse later, at plan or at the first real apply. */
describe('what the provider or OVH would refuse is refused in the file', () => {
  const fieldsOf = (client: Record<string, unknown>, agency?: object) => {
    const dir = clientsFolder(file(client), agency);
    try {
      planFolder(dir);
      return [];
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      return error.problems.map(({ field, message }) => [field, message]);
    }
  };
  const instance = { name: 'web-1', region: 'GRA11', flavor: 'b3-8', image: 'Debian 12' };

  test('a VPS or private database ordered without the configurations its order needs', () => {
    const client = {
      ...standardClient,
      hosting: {
        vps: [{ name: 'web', plan: 'vps-2025-model1' }],
        privateDatabases: [{ name: 'db', plan: 'private-sql-1024-instance', engine: 'mysql_8.0' }],
      },
    };
    expect(fieldsOf(client)).toEqual([
      ['hosting.vps[0].os', expect.stringMatching(/^is required to order it: the operating system OVH installs, like "Debian 12"/)],
      ['hosting.vps[0].datacenter', expect.stringMatching(/^is required to order it: the datacenter OVH builds it in, like "GRA"/)],
      ['hosting.privateDatabases[0].datacenter', expect.stringMatching(/^is required to order it: the datacenter, like "gra3"/)],
    ]);
    // An existing one is imported as it is: nothing to configure.
    expect(
      fieldsOf({ ...standardClient, hosting: { vps: [{ name: 'web', plan: 'vps-2025-model1', existing: 'vps-1a2b3c4d.vps.ovh.net' }] } }),
    ).toEqual([]);
  });

  test('an instance without SSH key when agency.yaml declares no deploy key; with one, the deploy key is the default', () => {
    const { deployKey: _none, ...agencyWithoutKey } = agencyFile;
    expect(fieldsOf({ ...standardClient, instances: [instance] }, agencyWithoutKey)).toEqual([
      [
        'instances[0].sshKey',
        expect.stringContaining('is required: an instance is built with an SSH key, and agency.yaml declares no deploy key (deployKey)'),
      ],
    ]);
    expect(fieldsOf({ ...standardClient, instances: [instance] })).toEqual([]);
  });

  test('a deploy key that is not an OpenSSH public key, or is a private one', () => {
    const withKey = (publicKey: string) => ({ ...agencyFile, deployKey: { name: 'agency-deploy', publicKey } });
    const problemOf = (publicKey: string) => {
      const dir = clientsFolder(file(standardClient), withKey(publicKey));
      try {
        planFolder(dir);
        return undefined;
      } catch (error) {
        return (error as ConfigError).problems.map(({ field, message }) => `${field}: ${message}`);
      }
    };
    expect(problemOf('ssh-rsa AAAAC3NzaC1lZDI1NTE5AAAAII252oodiPlUnqL+gt1QwcV0K2WPHTe9PpH7y8hKWk3k x')).toEqual([
      expect.stringMatching(/^deployKey\.publicKey: expected an OpenSSH public key line/),
    ]);
    expect(problemOf('-----BEGIN OPENSSH PRIVATE KEY----- b3BlbnNzaC1rZXktdjEAAAAABG5vbmU=')).toEqual([
      expect.stringMatching(/^deployKey\.publicKey: is a private key/),
    ]);
    expect(problemOf(agencyFile.deployKey.publicKey)).toBeUndefined();
  });

  test('an instance naming its flavor or image twice, or not at all', () => {
    const { flavor: _flavor, ...noFlavor } = instance;
    expect(fieldsOf({ ...standardClient, instances: [{ ...noFlavor, imageId: 'debian-12' }] })).toEqual([
      ['instances[0].flavor', 'is required: the flavor’s name, like "b3-8" (or its id, as flavorId)'],
      ['instances[0].imageId', 'names the image a second time: keep image (its name) or imageId (its id), not both'],
    ]);
  });

  test('a checkout over SSH, which cannot authenticate when cloud-init clones at first boot', () => {
    const checkouts = [{ repository: 'git@github.com:org/site.git', path: '/var/www/site' }];
    expect(fieldsOf({ ...standardClient, instances: [{ ...instance, checkouts }] })).toEqual([
      [
        'instances[0].checkouts[0].repository',
        expect.stringMatching(/^is an SSH URL: the instance has no key a git host would accept .* use the repository’s https:\/\/ URL/),
      ],
    ]);
  });

  test('a record adopted by id in a zone this tool’s domain order brings, or the same id twice', () => {
    const records = [
      { type: 'A', subdomain: '', target: '51.38.12.1', existing: 12 },
      { type: 'A', subdomain: 'www', target: '51.38.12.1', existing: 12 },
    ];
    expect(fieldsOf({ ...standardClient, domains: [{ name: 'betterfinance.eu', records }] })).toEqual([
      ['domains[0].records[0].existing', 'adopts a record of a zone that exists already: only for a domain marked existing: true'],
      ['domains[0].records[1].existing', expect.stringMatching(/adopts a record of a zone that exists already/)],
    ]);
    expect(fieldsOf({ ...standardClient, domains: [{ name: 'betterfinance.eu', existing: true, records }] })).toEqual([
      ['domains[0].records[1].existing', 'adopts record 12, as records[0] does'],
    ]);
  });

  test('a large client decommissioned while its project is still protected from deletion', () => {
    const large = { ...standardClient, size: 'large', decommission: true };
    expect(fieldsOf(large)).toEqual([
      ['decommission', expect.stringContaining('first set cloudProject.deletionProtection: false and apply that alone')],
    ]);
    expect(fieldsOf({ ...large, cloudProject: { deletionProtection: false } })).toEqual([]);
  });

  test('a bucket in a large client’s own project for a standard client; a region for one kept in the backup space', () => {
    expect(fieldsOf({ ...standardClient, backups: [{ name: 'files', location: 'ownProject' }] })).toEqual([
      ['backups[0].location', expect.stringContaining('is only for large clients')],
    ]);
    expect(fieldsOf({ ...standardClient, size: 'large', backups: [{ name: 'files', location: 'backupSpace', region: 'SBG' }] })).toEqual([
      ['backups[0].region', expect.stringContaining('is the backup space’s own')],
    ]);
  });
});
