// Loaded into every Node.js process of a benchmark run (NODE_OPTIONS=--require): at exit, appends the process's
// peak resident set size in KiB, and the script it ran, to the file $BENCH_MAX_RSS_FILE names.
const fs = require('node:fs');
const { isMainThread } = require('node:worker_threads');

if (isMainThread) {
  process.on('exit', () => fs.appendFileSync(process.env.BENCH_MAX_RSS_FILE, `${process.resourceUsage().maxRSS} ${process.argv[1]}\n`));
}
