#!/usr/bin/env node
'use strict';
/*
 * Runs the encrypted_backup benchmark alone (tools/bench/EncryptedBackup.ts) and prints its JSON line
 * (`npm run bench -- encrypted_backup` runs it too, as part of the suite).
 *   node tools/bench/encrypted-backup.js [--data-mb N] [--repeats N]     (env BENCH_QUICK=1: seconds)
 */
const path = require('path');
const { loadEntry } = require('../cli/bundle');

async function main() {
  const args = process.argv.slice(2);
  const value = (name) => {
    const i = args.indexOf(name);
    return i >= 0 && i + 1 < args.length ? Number(args[i + 1]) : 0;
  };
  const b = await loadEntry(path.join(__dirname, 'benches.ts'));
  const e = await loadEntry(path.join(__dirname, 'EncryptedBackup.ts'));
  const cfg = b.benchConfig(process.env.BENCH_QUICK === '1');
  if (value('--data-mb') > 0) cfg.dataMb = value('--data-mb');
  if (value('--repeats') > 0) cfg.repeats = value('--repeats');
  process.stdout.write(`${JSON.stringify(await e.encryptedBackupBench(cfg))}\n`);
  return 0;
}

main().then((code) => process.exit(code), (e) => {
  process.stderr.write(`encrypted-backup: ${e && e.stack ? e.stack : e}\n`);
  process.exit(1);
});
