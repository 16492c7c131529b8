/**
 * The main job: loads and validates the client files, builds one stack per client plus the agency's shared
 * stack, and synthesizes them to `cdktf.out`. Nothing is written unless every file is valid.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { App, TerraformStack } from 'cdktf';
import { settingsFrom, type Settings } from './config/environment';
import { describeFailure } from './config/failures';
import { ConfigError, loadConfig, type LoadedConfig } from './config/load';
import { AGENCY_STACK, agencyPlan, clientPlan } from './policy/procedure';
import { AgencyStack } from './stacks/agency-stack';
import { ClientStack } from './stacks/client-stack';

/** Builds the stacks of `config` into a new app writing to `outdir`. */
export function buildApp(config: LoadedConfig, settings: Pick<Settings, 'state'>, outdir: string): App {
  // cdktf's validation would run `terraform version` once per terraform_data resource (one per service: minutes at
  // 1,000 clients) and need a terraform binary to synthesize; the one check that matters here is run below.
  const app = new App({ outdir, skipValidation: true });
  const { ovh } = config.agency;
  new AgencyStack(app, AGENCY_STACK, { plan: agencyPlan(config.agency), ovh, state: settings.state });
  for (const { client } of config.clients) {
    new ClientStack(app, client.id, { plan: clientPlan(config.agency, client), ovh, state: settings.state });
  }
  checkProviders(app);
  return app;
}

/** cdktf's own stack validation: every resource's provider is declared in its stack. */
function checkProviders(app: App): void {
  const problems = app.node.children
    .filter(TerraformStack.isStack)
    .flatMap((stack) => stack.node.validate().map((problem) => `[${stack.node.id}] ${problem}`));
  if (problems.length > 0) throw new Error(`invalid stacks:\n  ${problems.join('\n  ')}`);
}

/** Synthesizes beside `settings.outdir`, then swaps the result in, so a failure never leaves half an output. */
export function synthesize(settings: Settings): string[] {
  const config = loadConfig(settings.clientsDir, settings.selectedClients);
  fs.mkdirSync(path.dirname(settings.outdir), { recursive: true });
  const staging = fs.mkdtempSync(`${settings.outdir}.staging-`);
  try {
    withoutCreationStacks(() => buildApp(config, settings, staging).synth());
    fs.rmSync(settings.outdir, { recursive: true, force: true });
    fs.renameSync(staging, settings.outdir);
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
  return [AGENCY_STACK, ...config.clients.map(({ client }) => client.id)];
}

/**
 * cdktf records the whole call stack of every token it creates, only to quote it should the token fail to resolve:
 * at 1,000 clients, nearly half the synthesis time and more than half its memory. While the stacks are built and
 * written, that recording (`Error.captureStackTrace`) does nothing; errors still have their stack traces.
 */
function withoutCreationStacks(run: () => void): void {
  const capture = Error.captureStackTrace;
  Error.captureStackTrace = () => {};
  try {
    run();
  } finally {
    Error.captureStackTrace = capture;
  }
}

function main(): number {
  try {
    const settings = settingsFrom(process.env, __dirname);
    const stacks = synthesize(settings);
    console.log(`Synthesized ${stacks.length} stacks into ${path.relative(process.cwd(), settings.outdir) || '.'}: ${stacks.join(', ')}`);
    return 0;
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`The client files have ${error.problems.length} problem(s); nothing was written:`);
      for (const line of describeFailure(error)) console.error(`  ${line}`);
    } else {
      console.error(`Cannot synthesize: ${describeFailure(error).join('\n')}`);
    }
    return 1;
  }
}

if (require.main === module) process.exitCode = main();
