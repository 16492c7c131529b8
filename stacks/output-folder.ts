/**
 * The output folder (`cdktf.out`) and how a synthesis replaces it. A synthesis writes into a staging folder beside
 * it (same depth, so the stacks' relative paths hold in both), and only once every stack is written does it move
 * the result into place: a failed synthesis leaves the previous output as it was.
 *
 * What a synthesis replaces is what it writes: `manifest.json` and each synthesized stack's files. Everything else
 * stays: Terraform's working files in a stack's folder (`.terraform/`, `.terraform.lock.hcl`), so no `terraform
 * init` is needed after a synth; the other stacks' folders when only some clients were synthesized; anything else
 * in the folder. Only a full synthesis removes the folders of stacks that no longer exist (run by the cdktf CLI,
 * it leaves them to the CLI, which removes them itself).
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Manifest, type StackManifest } from 'cdktf';
import { version as CDKTF_VERSION } from 'cdktf/package.json';
import { stackFolder } from '../core/environment';

/**
 * A new, empty staging folder beside `outdir`, made as `mkdir` makes folders (not private, as `mkdtemp` would): it
 * becomes the output folder.
 */
export function stagingFolder(outdir: string): string {
  fs.mkdirSync(path.dirname(outdir), { recursive: true });
  const staging = `${outdir}.staging-${randomBytes(6).toString('hex')}`;
  fs.mkdirSync(staging);
  return staging;
}

export interface PublishOptions {
  /** The manifest entries of the stacks written into the staging folder. */
  readonly stacks: readonly StackManifest[];
  /**
   * What becomes of the folders of the stacks not written: `keep` them, listed (a synthesis of selected clients);
   * `remove` them (a full synthesis: they no longer exist); or keep them but `unlist` them, for the cdktf CLI to
   * remove as it removes any stack folder manifest.json does not list.
   */
  readonly otherStacks: 'keep' | 'remove' | 'unlist';
}

/**
 * Moves what `outdir` keeps into `staging`, writes the manifest of every stack present, then puts `staging` in
 * place of `outdir`. Should any step fail, what was moved goes back, and `outdir` is as it was.
 */
export function publishOutput(staging: string, outdir: string, { stacks, otherStacks }: PublishOptions): void {
  const entries = new Map(stacks.map((stack) => [stack.name, stack]));
  const moved: [from: string, to: string][] = [];
  const move = (from: string, to: string) => {
    fs.renameSync(from, to);
    moved.push([from, to]);
  };
  const replaced = `${staging}.replaced`;
  try {
    if (fs.existsSync(outdir)) {
      const previous = previousManifest(outdir);
      for (const name of entriesOf(path.join(outdir, Manifest.stacksFolder))) {
        const [old, fresh] = [stackFolder(outdir, name), stackFolder(staging, name)];
        if (entries.has(name)) {
          carryOver(old, fresh, move);
        } else if (otherStacks !== 'remove') {
          move(old, fresh);
          const entry = previous[name];
          if (entry && otherStacks === 'keep') entries.set(name, entry);
        }
      }
    }
    writeManifest(staging, entries);
    if (fs.existsSync(outdir)) {
      carryOver(outdir, staging, move);
      move(outdir, replaced);
    }
    move(staging, outdir);
  } catch (error) {
    for (const [from, to] of moved.reverse()) {
      try {
        fs.renameSync(to, from);
      } catch {
        // Put back all that can be: the error that stopped the move is the one to report.
      }
    }
    throw error;
  }
  fs.rmSync(replaced, { recursive: true, force: true });
}

/** Moves the entries of folder `from` that `to` does not have into `to`. */
function carryOver(from: string, to: string, move: (from: string, to: string) => void): void {
  for (const name of entriesOf(from)) {
    const target = path.join(to, name);
    if (!fs.existsSync(target)) move(path.join(from, name), target);
  }
}

function entriesOf(folder: string): string[] {
  return fs.existsSync(folder) ? fs.readdirSync(folder) : [];
}

/** The previous manifest's stacks; none if it is missing or unreadable (its stacks then lose their entries). */
function previousManifest(outdir: string): Partial<Record<string, StackManifest>> {
  try {
    const manifest = JSON.parse(fs.readFileSync(path.join(outdir, Manifest.fileName), 'utf8')) as {
      stacks?: Record<string, StackManifest>;
    };
    return manifest.stacks ?? {};
  } catch {
    return {};
  }
}

/**
 * cdktf's `manifest.json`, as `App.synth` writes it, listing every stack in the folder: the cdktf CLI reads it to
 * find a stack (`cdktf diff <stack>`) and removes the stack folders it does not list.
 */
function writeManifest(folder: string, entries: Map<string, StackManifest>): void {
  const manifest = new Manifest(CDKTF_VERSION, folder, false);
  for (const [name, entry] of entries) manifest.stacks[name] = entry;
  manifest.writeToFile();
}
