#!/usr/bin/env node
'use strict';
/*
 * npm run bench: the engine's benchmarks, one JSON object per line on stdout (each with a `bench` key),
 * measured in one run. See benches.ts for what each one does and Measure.ts for how.
 *
 *   node tools/bench/bench.js [NAME...] [--only NAME,...] [--repeats N] [--data-mb N] [--memory-mb N]
 *   npm run bench -- small_files limit
 *
 *   NAME            some of: backup, restore, small_files, limit, progress_storm, caps_parse, memory,
 *                   dedup_rebackup, incremental_rebackup, encrypted_backup (throughput = backup and restore);
 *                   default all
 *   --repeats N     measured rounds per comparison (default 5, after a warm-up round; env BENCH_REPEATS)
 *   --data-mb N     app data of backup/restore/limit (default 256; env BENCH_DATA_MB)
 *   --memory-mb N   the large memory run (default 4096; env BENCH_MEMORY_MB); a quarter of it (at most
 *                   256 MiB) runs beside it
 *   BENCH_QUICK=1   small sizes and 2 rounds: seconds in all, to check that the harness runs (the figures
 *                   mean nothing)
 *   BENCH_COLD=1    also cold-cache rounds for backup/restore (root on Linux: drops the page cache of the
 *                   whole machine before each cold run, so it is off by default)
 *
 * Every line carries `load_1m`, the machine's load average when the line was printed: figures taken
 * while other work ran are noisy (the medians and min/max say how much). The memory runs happen in child
 * processes (`bench.js --child-memory N`), so the peak RSS is the engine's alone; so do the CPU profiles
 * behind `main_thread_ms` (`bench.js --child-profile JOB`, started with --cpu-prof; see Profile.ts). Temporary data goes
 * under the OS temp folder and is removed. Exit 0 when every benchmark ran, 1 when one failed (its line
 * then has an `error`), 2 on bad usage.
 */
const os = require('os');
const path = require('path');
const { spawnSync } = require('child_process');
const { loadEntry } = require('../cli/bundle');

const ALL = ['backup', 'restore', 'small_files', 'limit', 'progress_storm', 'caps_parse', 'memory', 'dedup_rebackup',
  'incremental_rebackup', 'encrypted_backup'];
const ALIASES = new Map([
  ['throughput', ['backup', 'restore']],
  ['backup_throughput', ['backup']],
  ['restore_throughput', ['restore']],
]);

function usage(msg) {
  process.stderr.write(`bench: ${msg}\nusage: bench.js [${ALL.join('|')}|throughput ...] [--only a,b] ` +
    '[--repeats N] [--data-mb N] [--memory-mb N]   (env BENCH_QUICK=1, BENCH_COLD=1)\n');
  return 2;
}

function positiveInt(text, what) {
  const n = Number(text);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`${what} must be a positive whole number, got '${text}'`);
  return n;
}

function names(list) {
  const out = [];
  for (const raw of list) {
    const name = raw.trim();
    const expanded = ALIASES.get(name) || [name];
    for (const n of expanded) {
      if (!ALL.includes(n)) throw new Error(`unknown benchmark '${name}' (known: ${ALL.join(', ')}, throughput)`);
      if (!out.includes(n)) out.push(n);
    }
  }
  return out;
}

function parseArgs(argv, env) {
  const o = { only: [], childMemory: 0, childProfile: '', repeats: 0, dataMb: 0, memoryMb: 0 };
  if (env.BENCH_REPEATS) o.repeats = positiveInt(env.BENCH_REPEATS, 'BENCH_REPEATS');
  if (env.BENCH_DATA_MB) o.dataMb = positiveInt(env.BENCH_DATA_MB, 'BENCH_DATA_MB');
  if (env.BENCH_MEMORY_MB) o.memoryMb = positiveInt(env.BENCH_MEMORY_MB, 'BENCH_MEMORY_MB');
  const picked = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = () => {
      if (i + 1 >= argv.length) throw new Error(`${a} needs a value`);
      return argv[++i];
    };
    if (a === '--data-mb') o.dataMb = positiveInt(next(), a);
    else if (a === '--memory-mb') o.memoryMb = positiveInt(next(), a);
    else if (a === '--repeats') o.repeats = positiveInt(next(), a);
    else if (a === '--child-memory') o.childMemory = positiveInt(next(), a);
    else if (a === '--child-profile') o.childProfile = next();
    else if (a === '--only') picked.push(...next().split(','));
    else if (a.startsWith('-')) throw new Error(`unknown option ${a}`);
    else picked.push(a);
  }
  o.only = picked.length > 0 ? names(picked) : ALL.slice();
  return o;
}

function emit(record) {
  process.stdout.write(`${JSON.stringify({ ...record, load_1m: Math.round(os.loadavg()[0] * 100) / 100 })}\n`);
}

/** One memory run in a fresh process; returns its JSON record. */
function memoryChild(mb) {
  const r = spawnSync(process.execPath, [__filename, '--child-memory', String(mb)], {
    encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 20,
  });
  const line = (r.stdout || '').trim().split('\n').pop();
  try {
    const rec = JSON.parse(line);
    delete rec.load_1m;
    if (r.status !== 0 && !rec.error) rec.error = `child exited ${r.status}`;
    return rec;
  } catch {
    return { bench: 'memory', data_mb: mb, error: `child exited ${r.status} without a result` };
  }
}

async function main() {
  let o;
  try {
    o = parseArgs(process.argv.slice(2), process.env);
  } catch (e) {
    return usage(e.message);
  }
  const b = await loadEntry(path.join(__dirname, 'benches.ts'));
  if (o.childMemory > 0) {
    try {
      emit(await b.memoryBench(o.childMemory));
      return 0;
    } catch (e) {
      emit({ bench: 'memory', data_mb: o.childMemory, error: e.message });
      return 1;
    }
  }
  if (o.childProfile !== '') {
    // A profile child (Profile.ts): one JSON line for the parent, which reads the .cpuprofile.
    process.stdout.write(`${JSON.stringify(await b.profileChild(JSON.parse(o.childProfile)))}\n`);
    return 0;
  }
  const cfg = b.benchConfig(process.env.BENCH_QUICK === '1');
  cfg.benchScript = __filename;
  if (o.repeats > 0) cfg.repeats = o.repeats;
  if (o.dataMb > 0) cfg.dataMb = o.dataMb;
  if (o.memoryMb > 0) cfg.memoryMb = o.memoryMb;
  const want = (n) => o.only.includes(n);
  let failed = 0;
  const run = async (name, work) => {
    try {
      const out = await work();
      for (const rec of Array.isArray(out) ? out : [out]) emit(rec);
    } catch (e) {
      failed++;
      process.stderr.write(`bench: ${name}: ${e && e.stack ? e.stack : e}\n`);
      emit({ bench: name, error: e && e.message ? e.message : String(e) });
    }
  };
  if (want('backup') || want('restore') || want('limit')) {
    await run(['backup', 'restore', 'limit'].filter(want).join('+'),
      () => b.throughputBenches(cfg, { backup: want('backup'), restore: want('restore'), limit: want('limit') }));
  }
  if (want('small_files')) await run('small_files', () => b.smallFilesBench(cfg));
  if (want('progress_storm')) await run('progress_storm', () => b.progressStormBench(cfg.stormEvents, cfg.repeats));
  if (want('caps_parse')) await run('caps_parse', () => b.capsParseBench(cfg.capsBundles));
  if (want('memory')) {
    const small = memoryChild(Math.max(1, Math.min(256, Math.floor(cfg.memoryMb / 4))));
    const large = memoryChild(cfg.memoryMb);
    if (small.error || large.error) {
      failed++;
      emit({ bench: 'memory', error: small.error || large.error, runs: [small, large] });
    } else {
      emit({
        bench: 'memory',
        data_mb: large.data_mb,
        peak_rss_mb: large.peak_rss_mb,
        small_data_mb: small.data_mb,
        small_peak_rss_mb: small.peak_rss_mb,
        rss_growth_mb: Math.round((large.peak_rss_mb - small.peak_rss_mb) * 10) / 10,
        engine_mb_s: large.engine_mb_s,
        runs: [small, large],
      });
    }
  }
  if (want('dedup_rebackup')) await run('dedup_rebackup', () => b.dedupRebackupBench(cfg));
  if (want('incremental_rebackup')) await run('incremental_rebackup', () => b.incrementalRebackupBench(cfg));
  if (want('encrypted_backup')) await run('encrypted_backup', () => b.encryptedBackupBench(cfg));
  return failed > 0 ? 1 : 0;
}

if (require.main === module) {
  main().then((code) => process.exit(code), (e) => {
    process.stderr.write(`bench: ${e && e.stack ? e.stack : e}\n`);
    process.exit(1);
  });
}

module.exports = { parseArgs };
