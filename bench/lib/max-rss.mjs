// Loaded with `node --import` into a benchmarked process: prints its peak
// resident memory (kB) on standard error when it exits.
process.on('exit', () => process.stderr.write(`\nmax-rss-kb ${process.resourceUsage().maxRSS}\n`));
