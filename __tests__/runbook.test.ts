/**
 * The runbook: the procedure's manual steps per client, with exact values, marked from what OVH says.
 */
import * as path from 'node:path';
import { planFolder } from '../policy/folder';
import { openSession, planServices } from '../contacts';
import { runbook, runbookMarkdown, writeRunbook, type RunbookStep } from '../lifecycle/runbook';
import { Fixture, NIC, ROUTE } from './contacts-fixture';
import { clientsFolder, standardClient } from './support';

const examples = planFolder(path.resolve(__dirname, '..', 'clients')).plans;
const planOf = (id: string, plans = examples) => plans.clients.find((plan) => plan.id === id)!;
/** The plan of one client written on its own in a folder beside the test agency. */
const planOfFile = (client: { id: string } & Record<string, unknown>) =>
  planOf(client.id, planFolder(clientsFolder({ [`${client.id}.yaml`]: client })).plans);
const step = (steps: RunbookStep[], title: RegExp) => {
  const found = steps.find((s) => title.test(s.title));
  if (!found) throw new Error(`no step ${title} in:\n${steps.map((s) => s.title).join('\n')}`);
  return found;
};

describe('offline, from the files alone', () => {
  test('a large client: its accounts with their internal addresses, then the 10 EUR credit before the contact move', () => {
    const steps = runbook(planOf('imoov.solutions'));
    expect(step(steps, /account of product Imoov e-shop/)).toEqual({
      title: 'Create the OVH account of product Imoov e-shop of Imoov',
      details: [
        'e-mail address: eshop.imoov.solutions@cedricfrancoys.be',
        'record its nichandle in imoov.solutions.yaml (now: es24680-ovh)',
      ],
      status: 'done',
    });
    const credit = step(steps, /^Credit/);
    expect(credit.title).toBe('Credit the new Public Cloud project "Imoov production" with 10 EUR from paypal@yesbabylon.com');
    expect(credit.details).toEqual(['as yesbabylon (yb20002-ovh), before its contacts move to the client']);
    expect(credit.status).toBe('unknown');
    const move = step(steps, /Administration and Technique/);
    expect(move.details[0]).toBe('admin and tech: im67890-ovh (imoov.solutions); billing stays yb20002-ovh (yesbabylon)');
    expect(steps.indexOf(move)).toBe(steps.indexOf(credit) + 1);
    expect(steps.indexOf(step(steps, /^Apply the stack/))).toBeLessThan(steps.indexOf(credit));
  });

  test('web hosting: ordered by hand through cedricfrancoys, with the contact fields to fill in', () => {
    const order = step(runbook(planOf('betterfinance.eu')), /web hosting/);
    expect(order.title).toBe(
      'Order web hosting perso2014 for betterfinance.eu in the OVH manager, as cedricfrancoys (cf10001-ovh): Terraform cannot order it',
    );
    expect(order.details).toEqual([
      'Contact > Propriétaire, Administration, Technique: bf12345-ovh (betterfinance.eu)',
      'Contact > Facturation: cf10001-ovh (cedricfrancoys)',
    ]);
  });

  test('a standard client has no project to credit; an onboarded one has nothing to order by hand', () => {
    const steps = runbook(planOf('atelier-lumiere.be'));
    expect(steps.some((s) => /Credit|Order/.test(s.title))).toBe(false);
  });

  test('each service ordered through an internal account is to be marked handedOver once its contacts follow the file', () => {
    const pending = step(runbook(planOf('imoov.solutions')), /handedOver: true on hosting\.privateDatabases main/);
    expect(pending).toMatchObject({
      status: 'unknown',
      details: ['Terraform then operates it through im67890-ovh (imoov.solutions) instead of cedricfrancoys'],
    });
    const done = step(runbook(planOf('atelier-lumiere.be')), /handedOver: true on hosting\.vps web/);
    expect(done.status).toBe('done');
  });

  test('the steps the provider leaves to the engineer: the agency stack first for the deploy key, a key registered by hand, records that would be duplicated, mailboxes left as they are', () => {
    const steps = runbook(
      planOfFile({
        ...standardClient,
        id: 'olden.be',
        domains: [
          {
            name: 'olden.be',
            existing: true,
            records: [
              { type: 'A', subdomain: '', target: '51.38.12.1', existing: 12 },
              { type: 'A', subdomain: 'www', target: '51.38.12.1' },
            ],
          },
        ],
        hosting: { emailDomains: [{ domain: 'olden.be', mailboxes: [{ account: 'contact', existing: true }] }] },
        instances: [
          { name: 'web', region: 'GRA11', flavor: 'b3-8', image: 'Debian 12' },
          { name: 'admin', region: 'GRA11', flavor: 'b3-8', image: 'Debian 12', sshKey: 'ops-key' },
        ],
      }),
    );
    expect(step(steps, /^Apply the stack/).details).toEqual([
      "first the agency's stack (cd cdktf.out/stacks/agency && terraform apply): it registers the deploy key agency-deploy in the shared project, which the instances name",
      'the SSH key ops-key must be registered in the project first, by hand: an instance names it, and OVH refuses an instance whose key the project lacks',
      '1 record(s) of the existing zone olden.be will be created: if OVH has them already, adopt them with their OVH ids (existing: <id>; GET /domain/zone/olden.be/record) instead of creating duplicates',
      'mailbox contact@olden.be exists at OVH and is left as it is: the provider cannot import a mailbox, so Terraform never manages it',
    ]);
    // No password to hand over for a mailbox this tool did not make.
    expect(steps.some((s) => /initial passwords/.test(s.title))).toBe(false);
  });

  test('the second steps a file asks for: remove replace: true once applied; decommission once the protection is off; the zone a domain leaves', () => {
    const plan = planOfFile({
      ...standardClient,
      size: 'large',
      cloudProject: { deletionProtection: false },
      domains: [{ name: 'betterfinance.eu', decommission: true }],
      instances: [{ name: 'web', region: 'GRA11', flavor: 'b3-16', image: 'Debian 12', replace: true }],
    });
    const titles = runbook(plan).map((s) => s.title);
    expect(titles).toEqual(
      expect.arrayContaining([
        'Once applied, remove replace: true from instance web in betterfinance.eu.yaml',
        "Apply the project's deletion protection turned off, alone; then set decommission: true in betterfinance.eu.yaml in a later change",
        'Once the domain betterfinance.eu is terminated, terminate its DNS zone in the OVH manager if it is no longer needed',
      ]),
    );
  });

  test('a DNS zone that came with its domain has nothing to hand over; an existing one has', () => {
    expect(runbook(planOf('betterfinance.eu')).some((s) => /handedOver: true on the domains entry/.test(s.title))).toBe(false);
    expect(step(runbook(planOf('atelier-lumiere.be')), /handedOver: true on the domains entry/).status).toBe('done');
  });

  test('renders as a Markdown checklist', () => {
    const plan = planOf('imoov.solutions');
    const markdown = runbookMarkdown(plan, runbook(plan)).join('\n');
    expect(markdown).toContain('## Imoov (`imoov.solutions`)');
    expect(markdown).toContain('- [x] Create the OVH account of client Imoov\n  - e-mail address: imoov.solutions@cedricfrancoys.be');
    expect(markdown).toContain('- [ ] (?) Credit the new Public Cloud project');
  });
});

describe('checked against OVH through the contacts tool', () => {
  let world: Fixture;
  beforeEach(async () => {
    world = await Fixture.start();
  });
  afterEach(() => world.close());

  const check = async () => {
    const facts = await planServices(openSession(world.env, world.dir, { client: 'acme.test', retry: world.retry }));
    return runbook(planOf('acme.test', planFolder(world.env.OVH_IAC_CLIENTS_DIR!).plans), facts);
  };

  test('in sync: the web hosting exists, the stack is applied, the contacts follow the file', async () => {
    const steps = await check();
    expect(step(steps, /web hosting/).status).toBe('done');
    expect(step(steps, /^Apply the stack/).status).toBe('done');
    expect(step(steps, /contacts follow the client file/).status).toBe('done');
  });

  test('a requested change becomes "validate task #N", with the validators whose tokens it needs', async () => {
    world.standin.addService(ROUTE.vps, { admin: NIC.hosting, tech: NIC.hosting, billing: NIC.hosting });
    await world.run('apply', '--client', 'acme.test');
    const validations = (await check()).filter((s) => /^Validate task/.test(s.title));
    expect(validations).toHaveLength(2);
    expect(validations[0]).toMatchObject({
      status: 'to do',
      title: expect.stringMatching(/^Validate task #\d+ \(vps-staging admin: cf10001-ovh → ac11111-ovh\)$/),
    });
    expect(validations[0].details[0]).toBe(
      'with the tokens e-mailed to cf10001-ovh and ac11111-ovh: npm run contacts -- tasks --client acme.test, then: npm run contacts -- accept --from-links <file of the e-mailed links>',
    );
  });

  test('a VPS not in the state yet: the stack is still to apply', async () => {
    world.recordInState({});
    const apply = step(await check(), /^Apply the stack/);
    expect(apply).toMatchObject({ status: 'to do', details: ['not ordered yet: vps-staging'] });
  });

  test('nothing readable (no credentials): no step is marked done from OVH, each says why, and the run fails', async () => {
    for (const name of Object.keys(world.env).filter((variable) => variable.startsWith('TF_VAR_'))) delete world.env[name];
    const { markdown, unchecked } = await writeRunbook({ client: 'acme.test', check: true, retry: world.retry }, world.env, world.dir);
    const text = markdown.join('\n');
    expect(text).not.toContain('- [x] Every service’s contacts follow the client file');
    expect(text).toContain('- [ ] (?) Apply the stack');
    expect(text).toContain(
      '- [ ] (?) Check the contacts of vps-staging\n  - could not check: no API credentials for OVH account "cedricfrancoys": set TF_VAR_ovh_cedricfrancoys_application_key',
    );
    expect(unchecked).toHaveLength(3);
    expect(unchecked[0]).toMatch(/^acme.test domain-acme-test: no API credentials for OVH account "acme_test"/);
  });

  test('no API at all: the same, with the connection failure', async () => {
    world.env.OVH_IAC_API_URL = 'https://127.0.0.1:1/1.0';
    const { markdown, unchecked } = await writeRunbook({ client: 'acme.test', check: true, retry: world.retry }, world.env, world.dir);
    expect(markdown.join('\n')).not.toMatch(/- \[x\] (Order|Apply|Every)/);
    expect(unchecked).toHaveLength(3);
    for (const line of unchecked)
      expect(line).toMatch(
        /OVH's clock, which every signed call needs, could not be read: GET \/auth\/time still failing after 3 attempt\(s\): connection failure with 127\.0\.0\.1:1 \(ECONNREFUSED\)$/,
      );
  });
});
