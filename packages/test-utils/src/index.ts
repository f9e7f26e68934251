export type { BenchRow, BenchStats } from './bench.js';
export {
  formatDuration,
  formatTable,
  quantile,
  sampleAsync,
  sampleSync,
  statsOf,
  writeReport,
} from './bench.js';
