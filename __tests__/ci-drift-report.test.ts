/**
 * The drift report the scheduled workflow files: from each stack's `terraform plan -detailed-exitcode` result and
 * `contacts plan --json`, one Markdown report, a state, and the exit code that fails the run on drift.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { driftReportCommand } from '../ci/drift-report-command';
import { runForTest } from './command';
import { driftReport, type StackResult } from '../ci/drift-report';

// A record's target changed by hand at OVH, as terraform 1.11.4 and the real provider v2.19.0 plan it (the provider's
// reads of a VPS, a mailbox or a domain keep what the state holds, so a change there by hand shows nothing).
const DRIFTED_PLAN = `ovh_domain_name.domain-betterfinance-eu_order_72FFFB19: Refreshing state... [id=betterfinance.eu]
ovh_domain_zone_record.zone-betterfinance-eu-records_www-A_A44722F6: Refreshing state... [id=5138801]

Terraform used the selected providers to generate the following execution
plan. Resource actions are indicated with the following symbols:
  ~ update in-place

Terraform will perform the following actions:

  # ovh_domain_zone_record.zone-betterfinance-eu-records_www-A_A44722F6 will be updated in-place
  ~ resource "ovh_domain_zone_record" "zone-betterfinance-eu-records_www-A_A44722F6" {
        id        = "5138801"
      ~ target    = "203.0.113.9" -> "51.38.12.34"
        # (4 unchanged attributes hidden)
    }

Plan: 0 to add, 1 to change, 0 to destroy.
`;
const CLEAN_PLAN = 'No changes. Your infrastructure matches the configuration.\n';
const ERROR_PLAN =
  '╷\n│ Error: No value for required variable\n│ \n│ The root module input variable "ovh_imoov_solutions_application_key" is not set\n╵\n';

const contactsOutput = JSON.stringify({
  command: 'plan',
  exitCode: 2,
  services: [
    {
      stack: 'betterfinance.eu',
      service: 'vps-staging',
      kind: 'vps',
      state: 'drift',
      changes: [{ contact: 'tech', from: 'bf12345-ovh', to: 'op54321-ovh', status: 'request' }],
    },
    {
      stack: 'betterfinance.eu',
      service: 'domain-betterfinance-eu',
      kind: 'domain',
      state: 'in-sync',
      changes: [],
      owner: { contactId: 'XX123-FREE', expected: 'betterfinance.eu' },
    },
  ],
});

const results: StackResult[] = [
  { stack: 'agency', exitcode: 0, plan: CLEAN_PLAN },
  { stack: 'betterfinance.eu', exitcode: 2, plan: DRIFTED_PLAN },
  { stack: 'imoov.solutions', exitcode: 1, plan: ERROR_PLAN },
];
const RECORD = 'ovh_domain_zone_record.zone-betterfinance-eu-records_www-A_A44722F6';
const labels = new Map([['betterfinance.eu', new Map([[RECORD, 'betterfinance.eu/zone-betterfinance-eu-records/www-A']])]]);

test('a drifted stack is reported with its plan line and the resources, by readable name; an error and a missing result too', () => {
  const progress: string[] = [];
  const report = driftReport(
    {
      stacks: ['agency', 'atelier-lumiere.be', 'betterfinance.eu', 'imoov.solutions'],
      results,
      labels,
      contacts: { exitcode: 2, output: contactsOutput },
    },
    (drift, n, total) => progress.push(`[${n}/${total}] ${drift.stack}: ${drift.state}`),
  );
  expect(report.state).toBe('error');
  expect(progress).toEqual([
    '[1/4] agency: clean',
    '[2/4] atelier-lumiere.be: error',
    '[3/4] betterfinance.eu: drift',
    '[4/4] imoov.solutions: error',
  ]);
  expect(report.stacks[2]).toEqual({
    stack: 'betterfinance.eu',
    state: 'drift',
    summary: 'Plan: 0 to add, 1 to change, 0 to destroy.',
    details: [`\`betterfinance.eu/zone-betterfinance-eu-records/www-A\` (\`${RECORD}\`) will be updated in-place`],
  });
  expect(report.stacks[1]).toEqual({
    stack: 'atelier-lumiere.be',
    state: 'error',
    summary: 'no result: its plan job did not finish',
    details: [],
  });
  expect(report.stacks[3].details).toEqual(['No value for required variable']);
  expect(report.contacts).toEqual({
    state: 'drift',
    details: [
      '`betterfinance.eu` `vps-staging`: tech is `bf12345-ovh`, should be `op54321-ovh`',
      "`betterfinance.eu` `domain-betterfinance-eu`: the domain's owner is contact `XX123-FREE`, not one of betterfinance.eu's: only a trade changes it (OVH manager)",
    ],
  });
  expect(report.markdown.startsWith('<!-- ovh-iac-drift-report -->\n')).toBe(true);
  expect(report.markdown).toContain('**Drift in 1 of 4 stack(s), 2 error(s)**; contacts: drift.');
  expect(report.markdown).toContain('| `betterfinance.eu` | drift | Plan: 0 to add, 1 to change, 0 to destroy. |');
  expect(report.markdown).not.toContain('`agency`');
});

test('changes merged but not applied yet are reported apart, and are not drift', () => {
  const report = driftReport({
    stacks: ['agency', 'betterfinance.eu'],
    results: results.slice(0, 2),
    pending: ['betterfinance.eu'],
    contacts: { exitcode: 0, output: '{"services": []}' },
  });
  expect(report.state).toBe('clean');
  expect(report.stacks[1]).toMatchObject({ stack: 'betterfinance.eu', state: 'pending' });
  expect(report.markdown).toContain(
    '✅ **No drift**: all 1 other stack(s) match their client files; contacts in sync. 1 stack(s) wait for a merged change to be applied (not drift).',
  );
  expect(report.markdown).toContain('### Merged, not applied yet');
});

test('all clean: no drift, contacts in sync', () => {
  const report = driftReport({ stacks: ['agency'], results: [results[0]], contacts: { exitcode: 0, output: '{"services": []}' } });
  expect(report.state).toBe('clean');
  expect(report.markdown).toContain('✅ **No drift**: all 1 stack(s) match their client files; contacts in sync.');
});

describe('the command', () => {
  /** A results folder (the agency clean, betterfinance.eu drifted, and `contacts` if given) and the stacks planned. */
  function folders(contacts?: object) {
    const resultsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'drift-results-'));
    const stacksDir = fs.mkdtempSync(path.join(os.tmpdir(), 'drift-stacks-'));
    fs.mkdirSync(path.join(resultsDir, 'stacks'));
    for (const result of results.slice(0, 2)) {
      fs.mkdirSync(path.join(stacksDir, 'stacks', result.stack), { recursive: true });
      fs.writeFileSync(path.join(stacksDir, 'stacks', result.stack, 'cdk.tf.json'), '{}');
      fs.writeFileSync(path.join(resultsDir, 'stacks', `${result.stack}.json`), JSON.stringify(result));
    }
    if (contacts) fs.writeFileSync(path.join(resultsDir, 'contacts.json'), JSON.stringify(contacts));
    return { results: resultsDir, stacks: stacksDir };
  }

  const run = (argv: string[]) => runForTest(driftReportCommand, argv);

  test('exits 2 on drift, with JSON for the workflow and progress on standard error', async () => {
    const dirs = folders({ exitcode: 0, output: '{"services": []}' });
    const { code, out, err } = await run([
      '--results',
      dirs.results,
      '--stacks-dir',
      dirs.stacks,
      '--json',
      '--run-url',
      'https://github.com/o/r/actions/runs/1',
    ]);
    expect(code).toBe(2);
    expect(JSON.parse(out[0])).toEqual({
      state: 'drift',
      drifted: ['betterfinance.eu'],
      marker: '<!-- ovh-iac-drift-report -->',
      markdown: expect.stringContaining('[run](https://github.com/o/r/actions/runs/1)'),
      issueBody: expect.stringContaining('<!-- ovh-iac-drift-report -->'),
      stepSummary: expect.stringContaining('## Drift report'),
    });
    expect(err).toEqual(['[1/2] agency: no changes', '[2/2] betterfinance.eu: drift (Plan: 0 to add, 1 to change, 0 to destroy.)']);
  });

  test('an empty or unreadable result makes that stack an error; the others are still reported', async () => {
    const dirs = folders({ exitcode: 0, output: '{"services": []}' });
    fs.writeFileSync(path.join(dirs.results, 'stacks', 'agency.json'), '');
    const { code, out, err } = await run(['--results', dirs.results, '--stacks-dir', dirs.stacks]);
    expect(code).toBe(1);
    expect(err[0]).toMatch(/^\[1\/2\] agency: error \(its result cannot be read: .*agency\.json is not a result file/);
    expect(err[1]).toBe('[2/2] betterfinance.eu: drift (Plan: 0 to add, 1 to change, 0 to destroy.)');
    expect(out.join('\n')).toContain('### `betterfinance.eu`: drift');
  });

  test('contacts checked in parts (one per plan job): merged, the agency once, a missing part an error', async () => {
    const dirs = folders();
    fs.mkdirSync(path.join(dirs.results, 'contacts'));
    const agency = { stack: 'agency', service: 'project-yb-cloud', kind: 'cloudProject', state: 'in-sync', changes: [] };
    fs.writeFileSync(
      path.join(dirs.results, 'contacts', 'part-1.json'),
      JSON.stringify({ exitcode: 2, output: contactsOutput.replace('"services":[', `"services":[${JSON.stringify(agency)},`) }),
    );
    fs.writeFileSync(
      path.join(dirs.results, 'contacts', 'part-2.json'),
      JSON.stringify({ exitcode: 0, output: JSON.stringify({ services: [agency] }) }),
    );
    const merged = await run(['--results', dirs.results, '--stacks-dir', dirs.stacks, '--contacts-parts', '2']);
    expect(merged.code).toBe(2);
    expect(merged.out.join('\n')).toContain('### Contacts: drift');
    const missing = await run(['--results', dirs.results, '--stacks-dir', dirs.stacks, '--contacts-parts', '3']);
    expect(missing.code).toBe(1);
    expect(missing.out.join('\n')).toContain('- part-3.json: no result: its job did not finish');
  });

  test('a missing contacts result is an error, not "in sync"', async () => {
    const dirs = folders();
    const { code, out } = await run(['--results', dirs.results, '--stacks-dir', dirs.stacks]);
    expect(code).toBe(1);
    expect(out.join('\n')).toContain('- contacts.json: no result: its job did not finish');
  });
});
