// Loaded with `node --import` into a benchmarked process: prints its peak
// resident memory (kB) and the CPU time it used (user + system, µs, all its
// threads) on standard error when it exits.
process.on('exit', () => {
  const cpu = process.cpuUsage();
  process.stderr.write(`\nmax-rss-kb ${process.resourceUsage().maxRSS}\ncpu-us ${cpu.user + cpu.system}\n`);
});
