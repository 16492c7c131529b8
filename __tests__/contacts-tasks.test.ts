/** `contacts tasks|accept|refuse|resend`: following contact-change tasks and validating them, tokens never on the command line. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { nodeOvhClient } from '../contacts/ovh-client';
import { DESIRED, Fixture, NIC, ROUTE, VPS_NAME } from './contacts-fixture';

let world: Fixture;
beforeEach(async () => {
  world = await Fixture.start();
});
afterEach(() => world.close());

/** Opens the tasks of a VPS handed from the hosting account to the client, with the operator as tech. */
async function requestVpsChanges() {
  world.standin.addService(ROUTE.vps, { admin: NIC.hosting, tech: NIC.hosting, billing: NIC.hosting });
  expect((await world.run('apply', '--client', 'acme.test')).code).toBe(0);
  const [admin, tech] = world.standin.tasks;
  return { admin, tech };
}

test('tasks lists the open tasks: state, age, service name and the service of the journal, contacts, who asked, who validates', async () => {
  const { admin, tech } = await requestVpsChanges();
  const { code, out } = await world.run('tasks');
  expect(code).toBe(0);
  const lines = out.split('\n');
  expect(lines).toHaveLength(2);
  expect(lines[0]).toBe(
    `#${tech.id}`.padEnd(8) +
      `  ${'(todo, 0 min)'.padEnd(20)}  ${VPS_NAME} [acme.test vps-staging]  tech ${NIC.hosting} → ${NIC.operator}  ` +
      `asked by ${NIC.hosting}; validated by ${NIC.hosting} (cedricfrancoys) and ${NIC.operator} (not an account of the agency)`,
  );
  expect(lines[1]).toContain(`#${admin.id}`);

  const json = JSON.parse((await world.run('tasks', '--json')).out);
  expect(json.tasks[1]).toEqual({
    id: admin.id,
    state: 'todo',
    serviceName: VPS_NAME,
    service: { stack: 'acme.test', service: 'vps-staging' },
    contacts: ['admin'],
    from: NIC.hosting,
    to: NIC.client,
    askedBy: NIC.hosting,
    validators: [NIC.hosting, NIC.client],
    informed: [],
    requested: admin.dateRequest,
    done: null,
    ageDays: 0,
    old: false,
  });
});

test("tasks --client shows that client's tasks only", async () => {
  await requestVpsChanges();
  // Another client's task, seen by the same internal account.
  world.standin.addAccount('ot22222-ovh');
  world.standin.addService('/vps/vps-other.vps.ovh.net', { admin: NIC.hosting, tech: NIC.hosting, billing: NIC.hosting });
  const hosting = world.credentials.get('cedricfrancoys')!;
  const url = new URL(world.standin.url);
  await nodeOvhClient({ host: url.hostname, port: Number(url.port), basePath: url.pathname }, hosting).requestPromised(
    'POST',
    '/vps/vps-other.vps.ovh.net/changeContact',
    { contactAdmin: 'ot22222-ovh' },
  );
  expect((await world.run('tasks')).out.split('\n')).toHaveLength(3);
  const mine = (await world.run('tasks', '--client', 'acme.test')).out;
  expect(mine.split('\n')).toHaveLength(2);
  expect(mine).not.toContain('vps-other');
  expect((await world.run('tasks', '--client', 'agency')).out).toBe('No open contact-change task.');
});

test('accept reads the token on standard input, tries it as each validator held, and the task completes', async () => {
  const { admin } = await requestVpsChanges();
  world.stdin = `${world.standin.tokenOf(admin.id, NIC.client)}\n`;
  const first = await world.run('accept', String(admin.id));
  expect(first.out).toBe(`Task #${admin.id} accepted as ${NIC.client}; it is now validatingByCustomers.`);
  world.stdin = world.standin.tokenOf(admin.id, NIC.hosting);
  const second = await world.run('accept', String(admin.id), '--as', NIC.hosting);
  expect(second.out).toBe(`Task #${admin.id} accepted as ${NIC.hosting}; it is now done.`);
  expect(world.standin.contactsOf(ROUTE.vps).admin).toBe(NIC.client);
  expect((await world.run('tasks', '--all')).out).toMatch(new RegExp(`#${admin.id} +\\(done`));
});

test('a pasted link works as a token, and must be for the task named', async () => {
  const { admin, tech } = await requestVpsChanges();
  world.stdin = `here: ${world.standin.linkOf(admin.id, NIC.client)}\n`;
  expect((await world.run('accept', String(admin.id))).code).toBe(0);
  world.stdin = world.standin.linkOf(admin.id, NIC.hosting);
  const wrong = await world.run('accept', String(tech.id));
  expect(wrong.err).toBe(`contacts accept: the link given is for task #${admin.id}, not #${tech.id}`);
});

test('a token on the command line is refused, without echoing it', async () => {
  const { code, err } = await world.run('accept', '1001', '--token', 'sekr3t-value');
  expect(code).toBe(1);
  expect(err).toContain('--token: tokens are never taken on the command line, where ps and the shell history show them');
  expect(err).not.toContain('sekr3t-value');
});

test('accept --from-links: every e-mailed link of a file, in one go', async () => {
  const { admin, tech } = await requestVpsChanges();
  const mails = path.join(world.dir, 'mails.txt');
  fs.writeFileSync(
    mails,
    [
      'Subject: contact change request',
      `Validate: ${world.standin.linkOf(admin.id, NIC.hosting)}`,
      `Validate: ${world.standin.linkOf(admin.id, NIC.client)}`,
      `Validate: ${world.standin.linkOf(tech.id, NIC.hosting)}`,
    ].join('\n'),
  );
  const { code, out, err } = await world.run('accept', '--from-links', mails);
  expect(err).toBe('');
  expect(out.split('\n')).toEqual([
    `Task #${admin.id} accepted as ${NIC.hosting}; it is now validatingByCustomers.`,
    `Task #${admin.id} accepted as ${NIC.client}; it is now done.`,
    `Task #${tech.id} accepted as ${NIC.hosting}; it is now validatingByCustomers.`,
  ]);
  expect(code).toBe(0);
  expect(world.standin.contactsOf(ROUTE.vps).admin).toBe(NIC.client);
});

test('--from-links: a bad link is reported by its line, the others are still taken', async () => {
  const { admin } = await requestVpsChanges();
  world.stdin = [
    `${world.standin.linkOf(admin.id, NIC.hosting).replace(/token=\w+/, 'token=0000')}`,
    world.standin.linkOf(admin.id, NIC.client),
  ].join('\n');
  const { code, out, err } = await world.run('accept', '--from-links', '-');
  expect(err).toContain(
    `contacts accept: link on line 1: task #${admin.id}: OVH answered "Invalid token" as ${NIC.hosting} and ${NIC.client}.`,
  );
  expect(out).toBe(`Task #${admin.id} accepted as ${NIC.client}; it is now validatingByCustomers.`);
  expect(code).toBe(1);
});

test('a wrong token is explained plainly, without sending anyone to their API credentials', async () => {
  const { admin } = await requestVpsChanges();
  world.stdin = 'not-the-token';
  const { code, out, err } = await world.run('accept', String(admin.id));
  expect(code).toBe(1);
  expect(out).toBe('');
  expect(err).toBe(
    `contacts accept: task #${admin.id}: OVH answered "Invalid token" as ${NIC.hosting} and ${NIC.client}. ` +
      'The token is the one-time code of the e-mail OVH sent about this task; each validator gets its own, ' +
      `and a used or resent one is no longer valid. Use the latest e-mail's, or send new ones with "contacts resend ${admin.id}".`,
  );
  expect(world.standin.tasks[0].state).toBe('todo');
});

test('another refusal on the first validator does not stop accept: the next one is tried, and every outcome reported', async () => {
  const { admin } = await requestVpsChanges();
  world.standin.failNext(1, 403, new RegExp(`${admin.id}/accept$`));
  world.stdin = world.standin.tokenOf(admin.id, NIC.client);
  const { code, out } = await world.run('accept', String(admin.id));
  expect(out).toBe(`Task #${admin.id} accepted as ${NIC.client}; it is now validatingByCustomers.`);
  expect(code).toBe(0);
});

test('an accept whose answer is lost is reported with the state OVH shows, never sent again nor tried as another validator', async () => {
  const { admin } = await requestVpsChanges();
  world.standin.dropNext(1, new RegExp(`${admin.id}/accept$`));
  world.stdin = world.standin.tokenOf(admin.id, NIC.hosting);
  const { code, out, err } = await world.run('accept', String(admin.id));
  expect(out).toBe('');
  expect(err).toMatch(
    new RegExp(
      `^contacts accept: task #${admin.id}: the answer to "accept" as ${NIC.hosting} is not known: connection failure with 127\\.0\\.0\\.1:\\d+ \\(ECONNRESET\\); ` +
        'it may or may not have been taken into account\\. A token is single-use: ' +
        `it is not sent again, as ${NIC.hosting} or as any other account\\. The task is now validatingByCustomers \\(it was todo\\): ` +
        'OVH most likely took the token\\.',
    ),
  );
  expect(err).not.toContain('Invalid token');
  expect(code).toBe(1);
  expect(world.standin.calls.filter((call) => call.route.endsWith(`${admin.id}/accept`))).toHaveLength(1);
});

test('a third-party operator validates with their own token, from their own account', async () => {
  world.standin.addService(ROUTE.vps, { ...DESIRED.vps, tech: NIC.client });
  await world.run('apply', '--client', 'acme.test');
  const [task] = world.standin.tasks;
  world.stdin = world.standin.tokenOf(task.id, NIC.client);
  expect((await world.run('accept', String(task.id))).code).toBe(0);

  const operator = world.credentials.get('operator')!;
  const url = new URL(world.standin.url);
  const theirs = nodeOvhClient({ host: url.hostname, port: Number(url.port), basePath: url.pathname }, operator);
  await theirs.requestPromised('POST', `/me/task/contactChange/${task.id}/accept`, { token: world.standin.tokenOf(task.id, NIC.operator) });

  const plan = await world.run('plan', '--client', 'acme.test');
  expect(plan.code).toBe(0);
  expect(world.standin.contactsOf(ROUTE.vps).tech).toBe(NIC.operator);
});

test('--as the old holder, only informed, is refused with who validates', async () => {
  world.standin.addService(ROUTE.vps, { ...DESIRED.vps, tech: NIC.hosting });
  await world.run('apply', '--client', 'acme.test');
  const [task] = world.standin.tasks;
  world.stdin = 'x';
  const { err } = await world.run('accept', String(task.id), '--as', NIC.hosting);
  expect(err).toBe(
    `contacts accept: task #${task.id} is validated by ${NIC.client} and ${NIC.operator}; ${NIC.hosting}, its old holder, is only informed`,
  );
});

test('refuse closes the task; the next plan proposes the change again and shows the refusal', async () => {
  const { tech } = await requestVpsChanges();
  world.stdin = world.standin.tokenOf(tech.id, NIC.hosting);
  const refused = await world.run('refuse', String(tech.id));
  expect(refused.out).toBe(`Task #${tech.id} refused as ${NIC.hosting}; it is now refused.`);
  const plan = (await world.run('plan', '--client', 'acme.test')).out;
  expect(plan).toMatch(
    new RegExp(
      `tech    ${NIC.hosting} → ${NIC.operator}: to request by ${NIC.hosting}.* \\(earlier: task #${tech.id} refused on \\d{4}-\\d\\d-\\d\\d\\)`,
    ),
  );
});

test('plan flags an expired task, and one waiting long enough to expire soon', async () => {
  const { admin, tech } = await requestVpsChanges();
  world.standin.tasks.find((task) => task.id === tech.id)!.state = 'expired';
  world.now = () => new Date(Date.now() + 9 * 86_400_000);
  const { out } = await world.run('plan', '--client', 'acme.test');
  expect(out).toContain(
    `pending: task #${admin.id} (todo, 9 d, waiting for 9 d: may expire soon, validate it or "contacts resend ${admin.id}")`,
  );
  expect(out).toMatch(new RegExp(`tech    ${NIC.hosting} → ${NIC.operator}: to request by .*\\(earlier: task #${tech.id} expired\\)`));
});

test('resend asks OVH for a new e-mail as each validator the agency holds, and says who must ask for theirs', async () => {
  const { tech } = await requestVpsChanges();
  const old = world.standin.tokenOf(tech.id, NIC.hosting);
  const { code, out } = await world.run('resend', String(tech.id));
  expect(code).toBe(0);
  expect(out.split('\n')).toEqual([
    `Task #${tech.id}: OVH sent a new e-mail, with a new token, to ${NIC.hosting} (cedricfrancoys).`,
    `Task #${tech.id}: ${NIC.operator} is not an account of the agency: it asks for its own e-mail again from its OVH account ("Resend request").`,
  ]);
  expect(tech.emailsSent).toEqual({ [NIC.hosting]: 2, [NIC.operator]: 1 });
  expect(world.standin.tokenOf(tech.id, NIC.hosting)).not.toBe(old);
});

test('an unknown task, or --as an account that does not validate it, is an error', async () => {
  const { admin } = await requestVpsChanges();
  expect((await world.run('resend', '4242')).err).toContain('task #4242: no account of the selection is involved in it');
  world.stdin = 'x';
  const wrongSide = await world.run('accept', String(admin.id), '--as', NIC.cloud);
  expect(wrongSide.err).toContain(`task #${admin.id} is validated by ${NIC.hosting} and ${NIC.client}, not by ${NIC.cloud}`);
  expect(wrongSide.code).toBe(1);
});

describe('without what it needs to read, a command says what it could not read and why, never that there is nothing', () => {
  const withoutCredentials = (key: string) => {
    for (const variable of Object.keys(world.env).filter((name) => name.startsWith(`TF_VAR_ovh_${key}_`))) delete world.env[variable];
  };

  test('no credentials at all', async () => {
    const { admin } = await requestVpsChanges();
    for (const key of ['cedricfrancoys', 'yesbabylon', 'acme_test']) withoutCredentials(key);
    const tasks = await world.run('tasks');
    expect(tasks.out).toBe(`Nothing read: the tasks of ${NIC.hosting}, ${NIC.cloud}, ${NIC.client} could not be read (see the errors).`);
    expect(tasks.err.split('\n')).toContain(
      `contacts tasks: ${NIC.hosting}: no API credentials for OVH account "cedricfrancoys": set TF_VAR_ovh_cedricfrancoys_application_key, ` +
        'TF_VAR_ovh_cedricfrancoys_application_secret, TF_VAR_ovh_cedricfrancoys_consumer_key',
    );
    expect(tasks.code).toBe(1);

    world.stdin = world.standin.tokenOf(admin.id, NIC.client);
    for (const command of ['accept', 'resend']) {
      const { code, err } = await world.run(command, String(admin.id));
      expect(err).toContain(
        `contacts ${command}: task #${admin.id} could not be read: OVH could not be asked as any account held: ` +
          `${NIC.hosting}: no API credentials for OVH account "cedricfrancoys": set TF_VAR_ovh_cedricfrancoys_application_key`,
      );
      expect(err).toContain(`; ${NIC.client}: no API credentials for OVH account "acme_test"`);
      expect(err).not.toMatch(/involved|no account/);
      expect(code).toBe(1);
    }
    expect(world.standin.tasks[0].state).toBe('todo');
  });

  test("some accounts' credentials missing: what the others read, and whose tasks are missing", async () => {
    const { admin, tech } = await requestVpsChanges();
    withoutCredentials('cedricfrancoys');
    const tasks = await world.run('tasks');
    expect(tasks.out.split('\n')).toEqual([
      expect.stringMatching(new RegExp(`^#${admin.id} `)),
      `Incomplete: the tasks of ${NIC.hosting} could not be read (see the errors).`,
    ]);
    expect(tasks.code).toBe(1);
    expect((await world.run('tasks', '--client', 'agency')).out).toBe(
      `No open contact-change task among the tasks of ${NIC.cloud}; the tasks of ${NIC.hosting} could not be read (see the errors).`,
    );
    // The tech task involves the hosting account and the operator only: the agency's other accounts do not see it.
    const resend = await world.run('resend', String(tech.id));
    expect(resend.err).toBe(
      `contacts resend: task #${tech.id} could not be read: ${NIC.cloud}, ${NIC.client} not involved in it; OVH could not be asked as the others: ` +
        `${NIC.hosting}: no API credentials for OVH account "cedricfrancoys": set TF_VAR_ovh_cedricfrancoys_application_key, ` +
        'TF_VAR_ovh_cedricfrancoys_application_secret, TF_VAR_ovh_cedricfrancoys_consumer_key',
    );
  });
});
