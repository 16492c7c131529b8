/** `contacts tasks|accept|refuse|resend`: following contact-change tasks and validating them with their tokens. */
import ovh from '@ovhcloud/node-ovh';
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

test('tasks lists the open tasks: state, service, contact, from and to, who asked, age', async () => {
  const { admin, tech } = await requestVpsChanges();
  const { code, out } = await world.run('tasks');
  expect(code).toBe(0);
  const lines = out.split('\n');
  expect(lines).toHaveLength(2);
  expect(lines[0]).toMatch(new RegExp(`^#${tech.id} +todo +${VPS_NAME} +tech +${NIC.hosting} → ${NIC.operator} +asked by ${NIC.hosting}, 0 min ago$`));
  expect(lines[1]).toContain(`#${admin.id}`);

  const json = JSON.parse((await world.run('tasks', '--json')).out);
  expect(json.tasks[1]).toEqual({
    id: admin.id,
    state: 'todo',
    service: VPS_NAME,
    contacts: ['admin'],
    from: NIC.hosting,
    to: NIC.client,
    askedBy: NIC.hosting,
    requested: admin.dateRequest,
    ageMinutes: 0,
  });
});

test('accept with each side\'s token: the task is done and the contact changed', async () => {
  const { admin } = await requestVpsChanges();
  // The token of the new admin's e-mail: the tool tries it as each account of the task it holds.
  const first = await world.run('accept', String(admin.id), '--token', admin.tokens.to);
  expect(first.out).toBe(`Task #${admin.id} accepted as ${NIC.client}; it is now validatingByCustomers.`);
  const second = await world.run('accept', String(admin.id), '--token', admin.tokens.from, '--as', NIC.hosting);
  expect(second.out).toBe(`Task #${admin.id} accepted as ${NIC.hosting}; it is now done.`);
  expect(world.standin.contactsOf(ROUTE.vps).admin).toBe(NIC.client);
  expect((await world.run('tasks', '--all')).out).toContain(`#${admin.id}`.padEnd(8) + ' done');
});

test('a wrong token is explained plainly, without sending anyone to their API credentials', async () => {
  const { admin } = await requestVpsChanges();
  const { code, out, err } = await world.run('accept', String(admin.id), '--token', 'not-the-token');
  expect(code).toBe(1);
  expect(out).toBe('');
  expect(err).toBe(
    `contacts accept: task #${admin.id}: OVH answered "Invalid token" for ${NIC.hosting} and ${NIC.client}. ` +
      'The token is the one-time code in the e-mail OVH sent about this task; each of the two accounts gets its own, ' +
      `and a used one is no longer valid. Copy it again from the latest e-mail, or send the e-mails again with "contacts resend ${admin.id}".`,
  );
  expect(world.standin.tasks[0].state).toBe('todo');
});

test('a third-party operator validates with their own token, from their own account', async () => {
  world.standin.addService(ROUTE.vps, { ...DESIRED.vps, tech: NIC.client });
  await world.run('apply', '--client', 'acme.test');
  const [task] = world.standin.tasks;
  expect((await world.run('accept', String(task.id), '--token', task.tokens.from)).code).toBe(0);

  const operator = world.credentials.get('operator')!;
  const url = new URL(world.standin.url);
  const theirs = ovh({ host: url.hostname, port: Number(url.port), appKey: operator.applicationKey, appSecret: operator.applicationSecret, consumerKey: operator.consumerKey });
  await theirs.requestPromised('POST', `/me/task/contactChange/${task.id}/accept`, { token: task.tokens.to });

  const plan = await world.run('plan', '--client', 'acme.test');
  expect(plan.code).toBe(0);
  expect(world.standin.contactsOf(ROUTE.vps).tech).toBe(NIC.operator);
});

test('refuse closes the task; the next plan proposes the change again', async () => {
  const { tech } = await requestVpsChanges();
  const refused = await world.run('refuse', String(tech.id), '--token', tech.tokens.from);
  expect(refused.out).toBe(`Task #${tech.id} refused as ${NIC.hosting}; it is now refused.`);
  expect((await world.run('plan', '--client', 'acme.test')).out).toContain(`tech    ${NIC.hosting} → ${NIC.operator}: to request by ${NIC.hosting}`);
});

test('resend sends the e-mails of a task again', async () => {
  const { admin } = await requestVpsChanges();
  const { code, out } = await world.run('resend', String(admin.id));
  expect(code).toBe(0);
  expect(out).toBe(`Task #${admin.id} e-mails sent again to ${NIC.hosting} and ${NIC.client}; it is now todo.`);
  expect(admin.emailsSent).toBe(2);
});

test('an unknown task, or --as an account that does not validate it, is an error', async () => {
  const { admin } = await requestVpsChanges();
  expect((await world.run('resend', '4242')).err).toContain('task #4242: no account of the selection is involved in it');
  const wrongSide = await world.run('accept', String(admin.id), '--token', 'x', '--as', NIC.cloud);
  expect(wrongSide.err).toContain(`task #${admin.id} is validated by ${NIC.hosting} and ${NIC.client}, not by ${NIC.cloud}`);
  expect(wrongSide.code).toBe(1);
});
