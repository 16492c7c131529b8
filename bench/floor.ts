/**
 * The benchmark's floor: writes the files of a synthesized output into CDKTF_OUTDIR with no framework, given their
 * contents as one blob and an index (BENCH_FLOOR_FILES, written by bench/run.ts): the least the main job could cost
 * to write the same bytes, started the same way (node with the entry hook, the command-line kit).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { noArguments, type Command } from '../cli/command-line';

export const FLOOR_INDEX = 'index.json';
export const FLOOR_CONTENTS = 'contents';

/** Stores the files under `outdir` (relative path, bytes) in `dir` for the floor to write. */
export function saveFloorFiles(outdir: string, dir: string): void {
  const files = fs
    .readdirSync(outdir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.join(entry.parentPath, entry.name));
  const contents = files.map((file) => fs.readFileSync(file));
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, FLOOR_CONTENTS), Buffer.concat(contents));
  fs.writeFileSync(path.join(dir, FLOOR_INDEX), JSON.stringify(files.map((file, i) => [path.relative(outdir, file), contents[i].length])));
}

function writeFloorFiles(dir: string, outdir: string): void {
  const index = JSON.parse(fs.readFileSync(path.join(dir, FLOOR_INDEX), 'utf8')) as [file: string, length: number][];
  const contents = fs.readFileSync(path.join(dir, FLOOR_CONTENTS));
  let offset = 0;
  for (const [file, length] of index) {
    const target = path.join(outdir, file);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, contents.subarray(offset, (offset += length)));
  }
}

export const floorCommand: Command<void> = {
  name: 'floor',
  usage: `Usage: bench/floor-cli.ts, started by npm run bench as the npm scripts start

Writes the files that BENCH_FLOOR_FILES holds into CDKTF_OUTDIR.`,
  exitCodes: { 0: 'written' },
  parse: noArguments,
  run: (_args, { env }) => {
    writeFloorFiles(env.BENCH_FLOOR_FILES!, env.CDKTF_OUTDIR!);
    return 0;
  },
};
