/**
 * A hostile value in a client file reaches Terraform literally: proved with real terraform (1.11, no provider needed),
 * which evaluates the strings of the synthesized stacks and must give back exactly what the file holds.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { stringify } from 'yaml';
import { escapeTemplates } from '../stacks/terraform-literal';
import { clientsFolder, resourcesOf, standardClient, type StackJson } from './support';

const root = path.resolve(__dirname, '..');

/** Free text a client file may hold, each hostile to Terraform or to CDK for Terraform in its own way. */
const HOSTILE = [
  '${var.ovh_cedricfrancoys_application_secret}',
  '${file("/etc/passwd")}',
  '%{ if true }yes%{ endif }',
  '%{endif}',
  '$${already escaped}',
  '%%{already escaped}',
  '$$${both}',
  '%%%{both}',
  '${',
  '%{',
  '$$',
  '%%',
  '100% sure',
  'ends with $',
  'ends with %',
  '${~ strip }',
  '"v=spf1 include:${env.HOME} ~all"',
  '-1.8881545897087626e+289',
];

/** What Terraform makes of `values`, as JSON strings of a configuration: each one evaluated as an output. */
function evaluatedByTerraform(values: string[]): string[] {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'literal-'));
  const config = {
    output: Object.fromEntries(values.map((value, i) => [`v${i}`, { value }])),
    resource: { terraform_data: { all: { input: values } } },
  };
  fs.writeFileSync(path.join(dir, 'main.tf.json'), JSON.stringify(config));
  fs.writeFileSync(path.join(dir, 'cli.tfrc'), '');
  const env = { ...process.env, TF_CLI_CONFIG_FILE: path.join(dir, 'cli.tfrc'), TF_IN_AUTOMATION: '1', CHECKPOINT_DISABLE: '1' };
  const terraform = (...args: string[]) =>
    execFileSync('terraform', args, { cwd: dir, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  terraform('init', '-input=false', '-no-color');
  terraform('apply', '-auto-approve', '-input=false', '-no-color');
  const outputs = JSON.parse(terraform('output', '-json')) as Record<string, { value: string }>;
  const state = JSON.parse(terraform('show', '-json')) as { values: { root_module: { resources: { values: { output: string[] } }[] } } };
  fs.rmSync(dir, { recursive: true, force: true });
  // The resource's copy too: arguments of resources are evaluated like outputs.
  expect(state.values.root_module.resources[0].values.output).toEqual(values.map((_, i) => outputs[`v${i}`].value));
  return values.map((_, i) => outputs[`v${i}`].value);
}

test('escaping each "${" and "%{" makes any string literal for Terraform', () => {
  expect(evaluatedByTerraform(HOSTILE.map(escapeTemplates))).toEqual(HOSTILE);
});

test('hostile TXT targets and a project description reach Terraform as the file holds them, through npm run synth', () => {
  const client = {
    ...standardClient,
    size: 'large',
    cloudProject: { description: '${var.ovh_yesbabylon_consumer_key} %{endif}' },
    domains: [{ name: 'betterfinance.eu', records: HOSTILE.map((target, i) => ({ type: 'TXT', subdomain: `t${i}`, target })) }],
  };
  const clientsDir = clientsFolder({ 'betterfinance.eu.yaml': stringify(client) });
  const outdir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'hostile-')), 'cdktf.out');
  const synth = spawnSync('npm', ['run', '--silent', 'synth'], {
    cwd: root,
    env: { ...process.env, OVH_IAC_CLIENTS_DIR: clientsDir, CDKTF_OUTDIR: outdir },
    encoding: 'utf8',
  });
  expect(synth.stderr).toBe('');
  expect(synth.status).toBe(0);

  const stack = JSON.parse(fs.readFileSync(path.join(outdir, 'stacks', 'betterfinance.eu', 'cdk.tf.json'), 'utf8')) as StackJson;
  const records = resourcesOf(stack, 'ovh_domain_zone_record');
  const targets = HOSTILE.map((_, i) => String(records.find((record) => record.subdomain === `t${i}`)?.target));
  const [project] = resourcesOf(stack, 'ovh_cloud_project');
  expect(records).toHaveLength(HOSTILE.length);
  expect(evaluatedByTerraform([...targets, String(project.description)])).toEqual([...HOSTILE, client.cloudProject.description]);
});
