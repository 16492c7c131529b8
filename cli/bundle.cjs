'use strict';
/**
 * How every npm script starts node: `node --require ./cli/bundle.cjs <script>.ts`. A TypeScript file that node loads
 * (an entry script, a worker's module) runs as one bundle of itself and all it imports, the project's code and its
 * packages, built by esbuild into node_modules/.cache/ovh-iac/bundles/, with V8's cache of its compiled code beside
 * it. One file read and compiled from cache instead of hundreds resolved, read and compiled one by one: a start in
 * about half the time of tsx's hook (README, Performance).
 *
 * A bundle is rebuilt when a file it was built from has changed (its size or modification time) or is gone, so an
 * edit shows on the next run, and when this hook, esbuild or Node.js is another version. Each file keeps its own
 * `__dirname` and `__filename`. Two processes building the same bundle at once each write their own and rename it into
 * place.
 *
 * Run by itself (`node cli/bundle.cjs ENTRY OUTPUT`) it builds one bundle: a stale bundle is built by such a child
 * process, as esbuild runs plugins only in its asynchronous build.
 */
const crypto = require('node:crypto');
const fs = require('node:fs');
const Module = require('node:module');
const path = require('node:path');
const { Buffer, isAscii } = require('node:buffer');
const { spawnSync } = require('node:child_process');
const vm = require('node:vm');
const { isMainThread } = require('node:worker_threads');

const PROJECT_ROOT = path.resolve(__dirname, '..');
const CACHE_DIR = path.join(PROJECT_ROOT, 'node_modules', '.cache', 'ovh-iac', 'bundles');
/**
 * A bundle's first line: `// inputs {"entry":"...","node":"v20...","inputs":[[file, size, mtimeMs], ...],"digest":"..."}`,
 * the Node.js version it was built for and the files it was built from.
 */
const HEADER = '// inputs ';
/**
 * Packages required as they are installed: the AWS SDK, loaded only for a remote state and larger than the rest
 * together; the cdktf provider generator, loaded only by `npm run gen`.
 */
const EXTERNAL = ['@aws-sdk/*', '@cdktf/commons', '@cdktf/provider-generator'];

// core/digest.ts's, which this plain CommonJS file cannot load (it is what compiles TypeScript).
const sha256 = (data) => crypto.createHash('sha256').update(data).digest('hex');

/**
 * The bundle's file for `entry`: named after it (no dot before `.js`, where its code caches' names add theirs), and
 * unique to its full path (projects may share node_modules).
 */
function bundleFileOf(entry) {
  const digest = sha256(entry).slice(0, 12);
  return path.join(CACHE_DIR, `${path.basename(entry, path.extname(entry)).replace(/[^\w-]/g, '_')}-${digest}.js`);
}

const manifestOf = (header) => JSON.parse(header.slice(HEADER.length));

/** A file as a bundle's manifest records it: `[file, size, mtimeMs]`. */
function inputOf(file) {
  const stat = fs.statSync(file);
  return [file, stat.size, stat.mtimeMs];
}

/** The bundle kept in `file`, if any (see parseBundle). */
function readBundle(file) {
  let bytes;
  try {
    bytes = fs.readFileSync(file);
  } catch {
    return undefined;
  }
  // A bundle is ASCII (built so, its header escaped): read as Latin-1, the text is the same, and V8 keeps it as it is
  // rather than decoding UTF-8 (some 10 ms less per megabyte here).
  return parseBundle(file, isAscii(bytes) ? bytes.toString('latin1') : bytes.toString('utf8'));
}

/** A bundle's code and the digest that names its code cache, and whether it was built from the files as they are now. */
function parseBundle(file, code) {
  let manifest;
  try {
    manifest = manifestOf(code.slice(0, code.indexOf('\n')));
  } catch {
    return undefined; // Not a bundle this hook wrote: built again.
  }
  const { node, inputs, digest } = manifest;
  const unchanged = ([input, size, mtimeMs]) => {
    try {
      const [, sizeNow, mtimeMsNow] = inputOf(input);
      return sizeNow === size && mtimeMsNow === mtimeMs;
    } catch {
      return false;
    }
  };
  return { file, code, digest, fresh: node === process.version && inputs.every(unchanged) };
}

function bundleOf(entry) {
  const file = bundleFileOf(entry);
  const kept = readBundle(file);
  if (kept?.fresh) return kept;
  // Without NODE_OPTIONS: a --require of this hook there would make this file loaded already, not run.
  const env = { ...process.env, NODE_OPTIONS: '' };
  const built = spawnSync(process.execPath, [__filename, entry, file], {
    env,
    stdio: ['ignore', 'pipe', 'inherit'],
    encoding: 'utf8',
    maxBuffer: 2 ** 30,
  });
  if (built.status !== 0) {
    process.stderr.write(`Could not build the bundle of ${path.relative(process.cwd(), entry)}: see above.\n`);
    process.exit(1);
  }
  // Built from the files as they were read (one edited since is seen by the next run); or, where the cache cannot be
  // written, handed over on standard output, for this run alone.
  return built.stdout ? parseBundle(file, built.stdout) : readBundle(file);
}

/** V8's cache of a bundle's compiled code, named after the bundle's digest: V8 itself checks only the source's length. */
const codeCacheFileOf = ({ file, digest }) => `${file.slice(0, -'.js'.length)}.${digest}.v8`;

function writeAtomically(file, data) {
  const temporary = `${file}.${process.pid}.${crypto.randomBytes(4).toString('hex')}`;
  fs.writeFileSync(temporary, data);
  fs.renameSync(temporary, file);
}

/** Runs `filename`'s bundle as `module`, the module node is loading: its exports are the entry's. */
function runBundle(module, filename) {
  const bundle = bundleOf(filename);
  const codeCacheFile = codeCacheFileOf(bundle);
  let cachedData;
  try {
    cachedData = fs.readFileSync(codeCacheFile);
  } catch {
    cachedData = undefined;
  }
  const script = new vm.Script(Module.wrap(bundle.code), { filename: bundle.file, cachedData });
  const wrapper = script.runInThisContext();
  wrapper.call(module.exports, module.exports, Module.createRequire(filename), module, filename, path.dirname(filename));
  if (cachedData === undefined || script.cachedDataRejected) {
    // The cache holds the functions compiled by then: at exit, those the command ran too; a worker's now, as it is
    // stopped rather than left to exit.
    const save = () => {
      try {
        writeAtomically(codeCacheFile, script.createCachedData());
      } catch {
        // A cache that cannot be written (a read-only install) only costs the next run its compilation.
      }
    };
    if (isMainThread) process.once('exit', save);
    else save();
  }
}

/** The loader esbuild would choose by the file's extension, as a plugin that loads a file must say it. */
const LOADERS = { '.ts': 'ts', '.json': 'json' };

/** Builds `entry`'s bundle into `output`, its first line the files it was built from, each seen before it was read. */
async function build(entry, output) {
  const esbuild = require('esbuild');
  // What builds a bundle is among its inputs too: this hook, and esbuild.
  const inputs = [__filename, require.resolve('esbuild/package.json')].map(inputOf);
  const readInputs = {
    name: 'read-inputs',
    setup(builder) {
      builder.onLoad({ filter: /.*/, namespace: 'file' }, ({ path: file }) => {
        inputs.push(inputOf(file));
        let contents = fs.readFileSync(file, 'utf8');
        const loader = LOADERS[path.extname(file)] ?? 'js';
        if (loader === 'ts' && /\b__(dirname|filename)\b/.test(contents))
          contents = `const __dirname = ${JSON.stringify(path.dirname(file))}, __filename = ${JSON.stringify(file)};\n${contents}`;
        return { contents, loader };
      });
    },
  };
  const result = await esbuild.build({
    entryPoints: [entry],
    absWorkingDir: PROJECT_ROOT,
    bundle: true,
    platform: 'node',
    target: `node${process.versions.node.split('.')[0]}`,
    format: 'cjs',
    external: EXTERNAL,
    plugins: [readInputs],
    write: false,
    logLevel: 'error',
    // Without spaces and comments a bundle is a third smaller (Node.js reads it at every start); in ASCII, it is read
    // as Latin-1 (readBundle).
    minifyWhitespace: true,
    legalComments: 'none',
    charset: 'ascii',
  });
  const code = result.outputFiles[0].text;
  const digest = sha256(code).slice(0, 16);
  // In ASCII, as the code is (readBundle): a path may have any character.
  const manifest = JSON.stringify({ entry, node: process.version, inputs, digest }).replace(
    /[^\0-\x7f]/g,
    (character) => `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
  const bundle = `${HEADER}${manifest}\n${code}`;
  try {
    fs.mkdirSync(path.dirname(output), { recursive: true });
    writeAtomically(output, bundle);
  } catch {
    process.stdout.write(bundle); // A cache that cannot be written (a read-only install): the bundle serves this run.
    return;
  }
  removeStale(path.dirname(output), path.basename(output, '.js'), digest);
}

/**
 * Removes the code caches of the bundle's earlier builds, and the bundles whose entry is gone, with their caches (a
 * review's worktree of the base builds its own, then is removed). A process still running one has read it already.
 */
function removeStale(dir, name, digest) {
  const names = fs.readdirSync(dir);
  const entryGone = (file) => {
    try {
      return !fs.existsSync(manifestOf(firstLine(path.join(dir, file))).entry);
    } catch {
      return false; // Removed meanwhile, or being written.
    }
  };
  const gone = new Set(names.filter((file) => file.endsWith('.js') && entryGone(file)).map((file) => file.slice(0, -'.js'.length)));
  for (const file of names) {
    const bundle = file.slice(0, file.indexOf('.'));
    const earlierCache = bundle === name && file.endsWith('.v8') && file !== `${name}.${digest}.v8`;
    if (gone.has(bundle) || earlierCache) fs.rmSync(path.join(dir, file), { force: true });
  }
}

/** A file's first line, read without reading the rest. */
function firstLine(file) {
  const fd = fs.openSync(file, 'r');
  try {
    const chunks = [];
    const chunk = Buffer.alloc(64 * 1024);
    for (let read; (read = fs.readSync(fd, chunk)) > 0;) {
      const end = chunk.subarray(0, read).indexOf(0x0a);
      chunks.push(Buffer.from(chunk.subarray(0, end < 0 ? read : end)));
      if (end >= 0) break;
    }
    return Buffer.concat(chunks).toString('utf8');
  } finally {
    fs.closeSync(fd);
  }
}

if (require.main === module) {
  const [entry, output] = process.argv.slice(2);
  build(path.resolve(entry), path.resolve(output)).catch((error) => {
    // esbuild has printed its own messages.
    if (!Array.isArray(error.errors)) process.stderr.write(`${error.message}\n`);
    process.exitCode = 1;
  });
} else {
  Module._extensions['.ts'] = runBundle;
}
