// Loaded into every Node.js process of a benchmark run (NODE_OPTIONS=--require): at exit, appends the process's
// peak resident set size in KiB to the file $BENCH_MAX_RSS_FILE names. On Linux it is the peak of the process's own
// memory (VmHWM): `maxRSS` would carry over `exec` the peak of the benchmark's process that forked it.
const fs = require('node:fs');
const { isMainThread } = require('node:worker_threads');

function peakKiB() {
  try {
    return Number(/^VmHWM:\s+(\d+) kB$/m.exec(fs.readFileSync('/proc/self/status', 'utf8'))[1]);
  } catch {
    return process.resourceUsage().maxRSS;
  }
}

if (isMainThread) {
  process.on('exit', () => fs.appendFileSync(process.env.BENCH_MAX_RSS_FILE, `${peakKiB()}\n`));
}
