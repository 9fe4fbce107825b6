#!/usr/bin/env node
'use strict';
/*
 * npm run bench: the engine's benchmarks, one JSON object per line on stdout (each with a `bench` key),
 * measured in one run. See benches.ts for what each one does.
 *
 *   node tools/bench/bench.js [--data-mb N] [--memory-mb N] [--only a,b,...]
 *
 *   --data-mb N     app data of the throughput benchmarks (default 256; env BENCH_DATA_MB)
 *   --memory-mb N   the large memory run (default 1024; env BENCH_MEMORY_MB); a 256 MB run goes beside it
 *   --only LIST     some of: throughput, progress_storm, caps_parse, memory
 *
 * The throughput lines carry a cold-cache measurement (`cold`) when this process may write
 * /proc/sys/vm/drop_caches (root on Linux); it runs `sync` and drops the caches of the whole machine before
 * each cold run. BENCH_COLD=0 skips it (then `cold: null` and `cold_skipped` says why).
 *
 * The memory runs happen in child processes (`bench.js --child-memory N`), so the peak RSS is the
 * engine's alone. Temporary data goes under the OS temp folder and is removed. Exit 0 when every
 * benchmark ran, 1 when one failed (its line then has an `error`).
 */
const path = require('path');
const { spawnSync } = require('child_process');
const { loadEntry } = require('../cli/bundle');

const ALL = ['throughput', 'progress_storm', 'caps_parse', 'memory'];

function usage(msg) {
  process.stderr.write(`bench: ${msg}\nusage: bench.js [--data-mb N] [--memory-mb N] [--only ${ALL.join(',')}]\n`);
  return 2;
}

function positiveInt(text, what) {
  const n = Number(text);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`${what} must be a positive whole number, got '${text}'`);
  return n;
}

function parseArgs(argv) {
  const o = {
    dataMb: positiveInt(process.env.BENCH_DATA_MB || '256', 'BENCH_DATA_MB'),
    memoryMb: positiveInt(process.env.BENCH_MEMORY_MB || '1024', 'BENCH_MEMORY_MB'),
    only: ALL.slice(),
    childMemory: 0,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = () => {
      if (i + 1 >= argv.length) throw new Error(`${a} needs a value`);
      return argv[++i];
    };
    if (a === '--data-mb') o.dataMb = positiveInt(next(), a);
    else if (a === '--memory-mb') o.memoryMb = positiveInt(next(), a);
    else if (a === '--child-memory') o.childMemory = positiveInt(next(), a);
    else if (a === '--only') {
      o.only = next().split(',').map((s) => s.trim());
      const bad = o.only.filter((s) => !ALL.includes(s));
      if (bad.length > 0) throw new Error(`unknown benchmark ${bad.join(', ')} (known: ${ALL.join(', ')})`);
    } else throw new Error(`unknown option ${a}`);
  }
  return o;
}

function emit(record) {
  process.stdout.write(`${JSON.stringify(record)}\n`);
}

/** One memory run in a fresh process; returns its JSON record. */
function memoryChild(mb) {
  const r = spawnSync(process.execPath, [__filename, '--child-memory', String(mb)], {
    encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 20,
  });
  const line = (r.stdout || '').trim().split('\n').pop();
  try {
    const rec = JSON.parse(line);
    if (r.status !== 0 && !rec.error) rec.error = `child exited ${r.status}`;
    return rec;
  } catch {
    return { bench: 'memory', data_mb: mb, error: `child exited ${r.status} without a result` };
  }
}

async function main() {
  let o;
  try {
    o = parseArgs(process.argv.slice(2));
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
  let failed = 0;
  const run = async (name, work) => {
    try {
      const out = await work();
      for (const rec of Array.isArray(out) ? out : [out]) emit(rec);
    } catch (e) {
      failed++;
      emit({ bench: name, error: e.message });
    }
  };
  if (o.only.includes('throughput')) await run('throughput', () => b.throughputBenches(o.dataMb));
  if (o.only.includes('progress_storm')) await run('progress_storm', () => b.progressStormBench(100000));
  if (o.only.includes('caps_parse')) await run('caps_parse', () => b.capsParseBench(5000));
  if (o.only.includes('memory')) {
    const small = memoryChild(Math.min(256, o.memoryMb));
    const large = memoryChild(o.memoryMb);
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
  return failed > 0 ? 1 : 0;
}

main().then((code) => process.exit(code), (e) => {
  process.stderr.write(`bench: ${e && e.stack ? e.stack : e}\n`);
  process.exit(1);
});
