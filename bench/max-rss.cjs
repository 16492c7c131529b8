// Loaded into every Node.js process of a benchmark run (NODE_OPTIONS=--require): at exit, appends the process's
// peak resident set size, in KiB, to the file $BENCH_MAX_RSS_FILE names.
const fs = require('node:fs');

process.on('exit', () => fs.appendFileSync(process.env.BENCH_MAX_RSS_FILE, `${process.resourceUsage().maxRSS}\n`));
