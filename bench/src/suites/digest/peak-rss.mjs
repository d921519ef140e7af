// Preloaded into the measured process (node --import): at exit, writes the process's peak RSS
// (getrusage ru_maxrss, in KiB) to the file named by CHUNKWISE_PEAK_RSS_FILE.
import { writeFileSync } from 'node:fs';

process.on('exit', () => {
  const file = process.env.CHUNKWISE_PEAK_RSS_FILE;
  if (file) writeFileSync(file, JSON.stringify({ maxRssKiB: process.resourceUsage().maxRSS }));
});
