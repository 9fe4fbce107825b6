#!/usr/bin/env node
'use strict';
/*
 * backup-manager: back up and restore apps with the Backup Manager engine on any machine with Node,
 * against the simulated device (the mock backup module). `backup-manager --help` lists the commands.
 *
 * This launcher bundles tools/cli/main.ts (which imports the app's ArkTS core) with esbuild, caches the
 * bundle under node_modules/.cache/backup-manager (see bundle.js), and runs it.
 */
const path = require('path');
const { loadEntry } = require('./bundle');

async function main() {
  let cli;
  try {
    cli = await loadEntry(path.join(__dirname, 'main.ts'));
  } catch (e) {
    process.stderr.write(`backup-manager: ${e.message}\n`);
    return 2;
  }
  return cli.run(process.argv.slice(2));
}

main().then((code) => {
  process.exitCode = code;
  // The simulated service may still hold idle timers; nothing is left to do once the command answered.
  process.exit(code);
}, (e) => {
  process.stderr.write(`backup-manager: internal error: ${e && e.stack ? e.stack : e}\n`);
  process.exit(1);
});
