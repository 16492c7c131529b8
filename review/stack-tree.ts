/**
 * A synthesized output read back into memory: stack name → its `cdk.tf.json`. The review commands compare and
 * check these plain JSON trees, whatever produced them (a fresh synthesis, `cdktf.out`, a base revision).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };
export type StackTree = Map<string, JsonObject>;

export class StackTreeError extends Error {}

/** Every `<outdir>/stacks/<stack>/cdk.tf.json`, by stack name in sorted order. */
export function readStackTree(outdir: string): StackTree {
  const stacksDir = path.join(outdir, 'stacks');
  if (!fs.existsSync(stacksDir))
    throw new StackTreeError(`${outdir} holds no synthesized stacks (no stacks/ folder): run "npm run synth" first`);
  const tree: StackTree = new Map();
  for (const stack of fs.readdirSync(stacksDir).sort()) {
    const file = path.join(stacksDir, stack, 'cdk.tf.json');
    if (fs.existsSync(file)) tree.set(stack, JSON.parse(fs.readFileSync(file, 'utf8')) as JsonObject);
  }
  return tree;
}

export function isJsonObject(value: Json | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
