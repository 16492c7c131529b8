/**
 * `npm run validate`: the example clients pass, offline; each kind of schema mistake in a synthesized stack is
 * caught and named; bad client files are reported as the synthesis reports them.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { validateCommand } from '../review/validate-command';
import { runForTest } from './command';
import { clientsFolder } from './support';

const root = path.resolve(__dirname, '..');

const run = (argv: string[], env: NodeJS.ProcessEnv = {}) => runForTest(validateCommand, argv, { env, projectRoot: root });

/** An output folder holding one stack, `broken`, with `resource` as its resources. */
function outputWith(resource: Record<string, Record<string, Record<string, unknown>>>): string {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'validate-'));
  fs.mkdirSync(path.join(outdir, 'stacks', 'broken'), { recursive: true });
  fs.writeFileSync(path.join(outdir, 'stacks', 'broken', 'cdk.tf.json'), JSON.stringify({ resource }));
  return outdir;
}

test('the example clients, synthesized afresh, match the provider schemas; progress goes to standard error', async () => {
  const { code, out, err } = await run([]);
  expect(code).toBe(0);
  expect(out).toEqual([expect.stringMatching(/^All \d+ stack\(s\) match the provider schemas in provider-schema\.$/)]);
  expect(err[0]).toBe('Synthesizing the client files into a temporary folder...');
  expect(err[1]).toMatch(/^\[1\/\d+\] agency: valid$/);
  for (const line of err.slice(1)) expect(line).toMatch(/^\[\d+\/\d+\] \S+: valid$/);
});

test('each kind of mistake in a synthesized stack is caught, named by stack and place, and fails the run', async () => {
  const outdir = outputWith({
    ovh_hosting_web: { site: {} },
    ovh_domain_zone_record: {
      unknown: { zone: 'a.be', fieldtype: 'A', target: '51.38.12.1', field_type: 'A' },
      missing: { zone: 'a.be', fieldtype: 'A' },
      wrong: { zone: 'a.be', fieldtype: 'A', target: '51.38.12.1', ttl: '3600' },
    },
  });
  const { code, out, err } = await run(['--dir', outdir]);
  expect(code).toBe(1);
  expect(out).toEqual([
    'broken: resource.ovh_hosting_web: unknown resource type',
    'broken: resource.ovh_domain_zone_record.unknown.field_type: is not an argument of this type in the provider schema',
    'broken: resource.ovh_domain_zone_record.missing.target: is required',
    'broken: resource.ovh_domain_zone_record.wrong.ttl: expected a number, got "3600"',
    '4 problem(s) in 1 of 1 stack(s), against the provider schemas in provider-schema.',
  ]);
  expect(err).toEqual(['[1/1] broken: 4 problem(s)']);
});

test('a folder without synthesized stacks, and a bad option, are refused clearly', async () => {
  const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'validate-'));
  expect((await run(['--dir', empty])).err).toEqual([
    expect.stringMatching(/^validate: .* holds no synthesized stacks \(no stacks\/ folder\): run "npm run synth" first$/),
  ]);
  const bad = await run(['--directory', 'x']);
  expect(bad.code).toBe(1);
  expect(bad.err[0]).toBe('validate: unknown option --directory');
  expect(bad.err[1]).toMatch(/^Usage: npm run validate/);
});

test('bad client files are reported with file, line and field, without validating anything', async () => {
  const clientsDir = clientsFolder({ 'bad.be.yaml': 'id: bad.be\nname: Bad\nsize: standard\nnichandle: nope\n' });
  const { code, out, err } = await run([], { OVH_IAC_CLIENTS_DIR: clientsDir });
  expect(code).toBe(1);
  expect(out).toEqual([]);
  expect(err).toContainEqual(expect.stringMatching(/^validate: .*bad\.be\.yaml:4: nichandle: expected an OVH nichandle/));
});
