// Preloaded with `node --import bench/max-rss.mjs …` by bench/cloudwatch.ts: prints the process's peak
// resident set size (process.resourceUsage().maxRSS, KiB) to stderr when it exits.
process.on('exit', () => {
  process.stderr.write(`maxRSS ${process.resourceUsage().maxRSS}\n`);
});
