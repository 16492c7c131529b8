/**
 * The benchmark's baseline: an empty cdktf app synthesizing one empty stack, run like the main job
 * (same tsx start-up), into CDKTF_OUTDIR.
 */
import { App, TerraformStack } from 'cdktf';

const app = new App({ outdir: process.env.CDKTF_OUTDIR ?? 'cdktf.out' });
new TerraformStack(app, 'empty');
app.synth();
