/**
 * The benchmark's baseline: an empty cdktf app synthesizing one empty stack into CDKTF_OUTDIR, run like the main job
 * (the same start-up, node with the entry hook, and the same command-line kit).
 */
import { App, TerraformStack } from 'cdktf';
import { noArguments, type Command } from '../cli/command-line';

export const baselineCommand: Command<void> = {
  name: 'baseline',
  usage: `Usage: bench/baseline-cli.ts, started by npm run bench as the npm scripts start

Synthesizes one empty stack into CDKTF_OUTDIR (default cdktf.out).`,
  exitCodes: { 0: 'written' },
  parse: noArguments,
  run: (_args, { env }) => {
    const app = new App({ outdir: env.CDKTF_OUTDIR ?? 'cdktf.out' });
    new TerraformStack(app, 'empty');
    app.synth();
    return 0;
  },
};
