/*
 * What a bench run measures and how often: the full sizes of `npm run bench`, and the quick ones of
 * BENCH_QUICK=1 (seconds in all: proves the harness runs, measures nothing worth comparing).
 */

export interface BenchConfig {
  quick: boolean;
  /** Measured rounds of every comparison (after one discarded warm-up round). */
  repeats: number;
  /** backup/restore: apps of the simulated device, big files of fileMb each, dataMb in total. */
  apps: number;
  fileMb: number;
  dataMb: number;
  /** small_files: how many files of how many bytes, in how many bundles. */
  smallFiles: number;
  smallFileBytes: number;
  smallBundles: number;
  /** progress_storm: onProcess events per run. */
  stormEvents: number;
  /** caps_parse: bundles in the capability file. */
  capsBundles: number;
  /** memory: data of the large child run (the small one gets a quarter, at most 256 MiB). */
  memoryMb: number;
  /** Write this many times the bytes of one copy before measuring (see warmPageAllocator). */
  warmFactor: number;
  /** bench.js itself, to start profile children with (Profile.ts); '' = no profiles. */
  benchScript: string;
}

export function benchConfig(quick: boolean): BenchConfig {
  if (quick) {
    return {
      quick, repeats: 2, apps: 2, fileMb: 3, dataMb: 6, smallFiles: 200, smallFileBytes: 4096, smallBundles: 2,
      stormEvents: 2000, capsBundles: 200, memoryMb: 16, warmFactor: 1, benchScript: '',
    };
  }
  return {
    quick, repeats: 5, apps: 8, fileMb: 16, dataMb: 256, smallFiles: 10000, smallFileBytes: 4096, smallBundles: 8,
    stormEvents: 100000, capsBundles: 5000, memoryMb: 4096, warmFactor: 3, benchScript: '',
  };
}
