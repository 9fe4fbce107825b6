#!/usr/bin/env node
'use strict';
// Proves the host toolchain can fail: the ArkTS checker must reject every line marked `RULE` in the
// broken fixtures with the named rule (and must not report the rule named on a line marked `NOT`: the
// guards and handling the SDK rules accept), the SDK rules' pending list hides only what it lists, the
// levels of build-profile.json5 must agree, the hypium runner must exit non-zero on failures, errors,
// zero tests and crashes, its -s class filter must work, and every JSON5 file of the project must parse.
// Also proves that `npm run bench` still runs (quick mode: tiny sizes, 2 rounds; no figure is judged).
const fs = require('fs');
const path = require('path');
const { spawnSync } = require('child_process');
const JSON5 = require('json5');

const ROOT = path.resolve(__dirname, '..', '..');
const FIX = path.join(__dirname, 'fixtures');
let failed = 0; let passed = 0;
function expect(ok, what) {
  if (ok) passed++; else failed++;
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}`);
}
function node(args) {
  const r = spawnSync(process.execPath, args, { cwd: ROOT, encoding: 'utf8' });
  return { code: r.status, out: r.stdout || '', err: r.stderr || '' };
}

// 1. The checker rejects each marked line with the marked rule (ArkTS rules, tsc, resources, layering).
function rejectsMarkedLines(dir, extraArgs) {
  const r = node(['tools/arkts/check.js', '--json', ...extraArgs, dir]);
  let report = { diagnostics: [] };
  try { report = JSON.parse(r.out); } catch (e) { expect(false, `checker printed JSON for ${path.basename(dir)} (${e.message})`); }
  expect(r.code === 1, `checker exits 1 on ${path.basename(dir)} (got ${r.code})`);
  const files = [];
  (function walk(d) {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p); else if (e.name.endsWith('.ets')) files.push(p);
    }
  }(dir));
  for (const f of files) {
    fs.readFileSync(f, 'utf8').split('\n').forEach((text, i) => {
      const m = /\/\/ (RULE|NOT) (.*)$/.exec(text);
      if (!m || i === 0) return;
      const want = m[2].trim();
      const hits = report.diagnostics.filter((d) => path.resolve(ROOT, d.file || '') === f && d.line === i + 1 && d.severity === 'ERROR');
      const rule = /^((arkts|project|sdk|nonstrict)-[A-Za-z0-9-]+)/.exec(want);
      const tsc = /^tsc (\d+)/.exec(want);
      const named = rule ? hits.some((d) => d.rule === rule[1]) : tsc ? hits.some((d) => d.rule === `TS${tsc[1]}`) : hits.length > 0;
      if (m[1] === 'NOT' && !rule) throw new Error(`${f}:${i + 1}: a NOT marker names one rule`);
      expect(m[1] === 'RULE' ? named : !named, `checker: ${path.relative(FIX, f)}:${i + 1} ${m[1] === 'NOT' ? 'not ' : ''}${want}`);
    });
  }
}
const brokenDir = path.join(FIX, 'broken-arkts');
rejectsMarkedLines(brokenDir, ['--resources', path.join(brokenDir, 'resources')]);
rejectsMarkedLines(path.join(FIX, 'layering'), ['--no-resources']);
// The SDK rules (sdk-since, sdk-throws, sdk-syscap) and DevEco's non-strict type-check, at the project's
// levels, and sdk-since again against a compileSdkVersion that lacks the API 18 members.
rejectsMarkedLines(path.join(FIX, 'sdk-rules'), ['--no-resources']);
rejectsMarkedLines(path.join(FIX, 'sdk-compile'), ['--no-resources', '--compile-sdk', '12']);
{
  // The pending list hides exactly the sites it lists, and an entry that matches nothing fails the check.
  const os = require('os');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bm-pending-'));
  const fixture = path.join(FIX, 'sdk-pending');
  const rel = path.relative(ROOT, path.join(fixture, 'Pending.ets'));
  const list = (text) => {
    const f = path.join(dir, `${Math.random()}.json`);
    fs.writeFileSync(f, JSON.stringify({ entries: [{ file: rel, rule: 'sdk-throws', line: 5, text }] }));
    return f;
  };
  const run1 = node(['tools/arkts/check.js', '--json', '--no-resources', '--pending', list('return backup.getBackupInfo(name);'), fixture]);
  let rep = { diagnostics: [] };
  try { rep = JSON.parse(run1.out); } catch (e) { /* reported below */ }
  expect(run1.code === 0 && rep.pending === 1 && rep.diagnostics.every((d) => d.severity === 'PENDING'),
    `checker: a listed pending site prints as PENDING and passes (exit ${run1.code})`);
  const run2 = node(['tools/arkts/check.js', '--json', '--no-resources', '--pending', list('return somethingElse();'), fixture]);
  try { rep = JSON.parse(run2.out); } catch (e) { rep = { diagnostics: [] }; }
  expect(run2.code === 1 && rep.diagnostics.some((d) => d.severity === 'ERROR' && /stale entry/.test(d.message)) &&
    rep.diagnostics.some((d) => d.severity === 'ERROR' && d.rule === 'sdk-throws' && d.line === 5),
    `checker: a pending entry that matches nothing fails, and the unlisted site is reported (exit ${run2.code})`);
  fs.rmSync(dir, { recursive: true, force: true });
}
{
  // Products that disagree on an SDK level are a finding, not a silent pick.
  const os = require('os');
  const { readLevels } = require('../arkts/lib/sdk-levels');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bm-levels-'));
  fs.writeFileSync(path.join(dir, 'build-profile.json5'), JSON5.stringify({ app: { products: [
    { name: 'a', compileSdkVersion: 18, compatibleSdkVersion: 12 },
    { name: 'b', compileSdkVersion: 12, compatibleSdkVersion: 12 }] } }));
  const lv = readLevels(dir);
  expect(lv.problems.some((p) => /disagree on compileSdkVersion/.test(p)), 'levels: products that disagree on compileSdkVersion are reported');
  const here = readLevels(ROOT);
  expect(here.problems.length === 0 && here.compileSdk >= 18 && here.compatibleSdk === 12,
    `levels: build-profile.json5 builds with API ${here.compileSdk} (>= 18) for API ${here.compatibleSdk} devices`);
  fs.rmSync(dir, { recursive: true, force: true });
}
const compat = node(['tools/arkts/compat/check-compat.js', '--self-test']);
expect(compat.code === 0, `port/official compatibility check catches its broken fixtures (exit ${compat.code})`);

// 2. The hypium runner fails when it must.
const run = (fixture, extra = []) => node(['tools/hypium/run.js', path.join(FIX, fixture, 'List.test.ets'), ...extra]);
let h = run('hypium-failing');
expect(h.code === 1 && /\n2 passed, 2 failed\s*$/.test(h.out), `runner: 1 failure + 1 error -> exit 1, "2 passed, 2 failed" (exit ${h.code})`);
h = run('hypium-empty');
expect(h.code === 1 && /no tests ran/.test(h.out), `runner: zero tests -> exit 1 (exit ${h.code})`);
h = run('hypium-crash');
expect(h.code === 1 && /no final OHOS_REPORT_RESULT/.test(h.out), `runner: crash -> exit 1 (exit ${h.code})`);
{
  const t0 = Date.now();
  const r2 = spawnSync(process.execPath, ['tools/hypium/run.js', path.join(FIX, 'hypium-hang', 'List.test.ets'), '-s', 'timeout', '600000'],
    { cwd: ROOT, encoding: 'utf8', env: Object.assign({}, process.env, { HYPIUM_TIMEOUT_MS: '2000' }) });
  expect(r2.status === 1 && /no final report after 2000 ms/.test(r2.stdout) && Date.now() - t0 < 30000,
    `runner: a hanging test hits the time limit -> exit 1 (exit ${r2.status})`);
}
h = run('hypium-failing', ['-s', 'class', 'Fixture#passes,Other']);
expect(h.code === 0 && /\n2 passed, 0 failed\s*$/.test(h.out), `runner: -s class filter selects cases (exit ${h.code})`);

// 3. Every JSON5 file of the DevEco project parses.
const SKIP = new Set(['node_modules', 'oh_modules', '.git', 'build', '.hvigor']);
const json5Files = [];
(function walk(d) {
  for (const e of fs.readdirSync(d, { withFileTypes: true })) {
    if (SKIP.has(e.name)) continue;
    const p = path.join(d, e.name);
    if (e.isDirectory()) walk(p); else if (e.name.endsWith('.json5')) json5Files.push(p);
  }
}(ROOT));
for (const f of json5Files) {
  let ok = true; let why = '';
  try { JSON5.parse(fs.readFileSync(f, 'utf8')); } catch (e) { ok = false; why = ` (${e.message})`; }
  expect(ok, `json5 parses: ${path.relative(ROOT, f)}${why}`);
}

// 4. The project's hvigorw finds an installed hvigor or says what to install.
if (process.platform !== 'win32') {
  const os = require('os');
  const bare = { PATH: '/usr/bin:/bin', HOME: os.tmpdir() };
  let w = spawnSync(path.join(ROOT, 'hvigorw'), ['--version'], { env: bare, encoding: 'utf8' });
  expect(w.status !== 0 && /install/i.test(w.stderr + w.stdout), `hvigorw without hvigor: exit non-zero with what to install (exit ${w.status})`);
  const fake = fs.mkdtempSync(path.join(os.tmpdir(), 'bm-fake-hvigor-'));
  const log = path.join(fake, 'args.txt');
  fs.writeFileSync(path.join(fake, 'hvigorw'), `#!/bin/sh\nprintf '%s|' "$PWD" "$@" > "${log}"\nexit 3\n`, { mode: 0o755 });
  w = spawnSync(path.join(ROOT, 'hvigorw'), ['assembleHap', '-p', 'product=emulator', 'a b'], {
    env: { PATH: `${fake}:/usr/bin:/bin`, HOME: os.tmpdir() }, cwd: os.tmpdir(), encoding: 'utf8' });
  const seen = fs.existsSync(log) ? fs.readFileSync(log, 'utf8') : '';
  expect(w.status === 3 && seen === `${ROOT}|assembleHap|-p|product=emulator|a b|`,
    `hvigorw passes arguments and the exit code through to an installed hvigor, from the project folder (exit ${w.status})`);
  fs.rmSync(fake, { recursive: true, force: true });
}

// 5. The benchmarks still run: every one in quick mode (BENCH_QUICK=1, a few seconds), each line with its
// medians between their min and max; named ones alone; an unknown name is a usage error.
{
  const bench = (args) => {
    const env = Object.assign({}, process.env, { BENCH_QUICK: '1', BENCH_COLD: '', BENCH_REPEATS: '', BENCH_DATA_MB: '', BENCH_MEMORY_MB: '' });
    const r = spawnSync(process.execPath, ['tools/bench/bench.js', ...args], { cwd: ROOT, encoding: 'utf8', env, timeout: 180000 });
    let lines = [];
    try { lines = (r.stdout || '').split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l)); } catch (e) { lines = [{ bench: 'unparsable', error: e.message }]; }
    return { code: r.status, lines, err: r.stderr || '' };
  };
  const all = bench([]);
  const names = all.lines.map((l) => l.bench).join(',');
  expect(all.code === 0 && names === 'backup_throughput,restore_throughput,limit,small_files,progress_storm,caps_parse,memory,dedup_rebackup,incremental_rebackup,encrypted_backup',
    `bench (quick): every benchmark prints its line, exit 0 (exit ${all.code}: ${names}${all.code !== 0 ? ` ${all.err.trim().split('\n').slice(-2).join(' | ')}` : ''})`);
  const bad = all.lines.filter((l) => l.error !== undefined).map((l) => `${l.bench}: ${l.error}`);
  expect(bad.length === 0, `bench (quick): no line has an error${bad.length ? ` (${bad.join('; ')})` : ''}`);
  const outside = [];
  for (const l of all.lines) {
    for (const k of Object.keys(l)) {
      const lo = l[`${k}_min`]; const hi = l[`${k}_max`];
      if (typeof lo === 'number' && !(typeof l[k] === 'number' && lo <= l[k] && l[k] <= hi)) outside.push(`${l.bench}.${k}`);
    }
  }
  expect(outside.length === 0, `bench (quick): every median lies between its min and max${outside.length ? ` (not: ${outside.join(', ')})` : ''}`);
  const line = (n) => all.lines.find((l) => l.bench === n) || {};
  const b = line('backup_throughput'); const r = line('restore_throughput'); const s = line('small_files');
  expect(['ratio_vs_cp', 'ratio_vs_limit', 'ratio_vs_cp_openssl_sha256'].every((k) => typeof b[k] === 'number' && typeof r[k] === 'number' && typeof s[k] === 'number') &&
    b.runs === 2 && /openssl dgst -sha256/.test(String(b.hasher)),
    'bench (quick): backup, restore and small_files compare with cp, the limit and cp + openssl, over 2 rounds');
  expect(String(r.device_check).startsWith(`${r.files} of ${r.files} restored files`),
    `bench (quick): the device checks every restored file after the clock stops (${r.device_check})`);
  expect([b, r, s].every((l) => l.main_thread_ms && typeof l.main_thread_ms === 'object') && b.streamed && b.streamed.engine.sha256_passes === 1,
    'bench (quick): the profile children report where the main thread\'s time went');
  const some = bench(['limit', 'caps_parse']);
  expect(some.code === 0 && some.lines.map((l) => l.bench).join(',') === 'limit,caps_parse' && /random files/.test(String(some.lines[0].dataset)),
    `bench (quick): named benchmarks run alone (exit ${some.code})`);
  const unknown = bench(['small_files', 'frobnicate']);
  expect(unknown.code === 2 && unknown.lines.length === 0 && /unknown benchmark 'frobnicate'/.test(unknown.err),
    `bench: an unknown benchmark name is a usage error, exit 2 (exit ${unknown.code})`);
}

console.log(`${passed} passed, ${failed} failed`);
process.exitCode = failed ? 1 : 0;
