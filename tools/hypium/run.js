#!/usr/bin/env node
'use strict';
/*
 * Runs hypium test lists (DevEco's List.test.ets layout: `export default function testsuite()`) on Node,
 * all in one hypium run with one report.
 *
 *   node tools/hypium/run.js LIST.test.ets [LIST2.test.ts ...] [-s class Suite#case[,Suite2]] [-s notClass X]
 *                            [-s timeout MS] [--raw] [--verbose]
 *
 * The .ets/.ts sources are bundled with esbuild (non-UI code only: no struct/build). Imports of
 * '@ohos.*'/'@kit.*' resolve to host stand-ins under tools/host/ohos or fail with a clear message.
 * The ArkUI state decorators used by view models (@ObservedV2, @Trace, @Computed, @Monitor, @Observed,
 * @Track) are plain no-ops here. Before the suites run, the host FileStore (real files and fds under a
 * fresh temporary folder) is installed into entry/src/test/support/HostEnv, and the ArkTS global
 * canIUse answers for the simulated device of the stand-ins (tools/host/HostDevice.ts).
 *
 * Exit: 0 when every test passed; 1 on any failure or error, zero tests, or no final report
 * (crash or hang; HYPIUM_TIMEOUT_MS, default 300000); 2 on usage errors or a bundling failure.
 * The last line is `N passed, N failed`.
 */
const fs = require('fs');
const os = require('os');
const path = require('path');
const esbuild = require('esbuild');
const { parseOhReport, formatSummary } = require('./ohreport');
const { ROOT, etsBuildOptions, formatBuildErrors, installUiDecorators } = require('../host/ets-bundle');

const HOST_ENV = path.join(ROOT, 'entry', 'src', 'test', 'support', 'HostEnv.ets');
const NODE_STORE = path.join(ROOT, 'tools', 'host', 'NodeFileStore.ts');
const NODE_CHANNEL = path.join(ROOT, 'tools', 'host', 'NodeByteChannel.ts');
const HOST_DEVICE = path.join(ROOT, 'tools', 'host', 'HostDevice.ts');
const NODE_CRYPTO = path.join(ROOT, 'tools', 'host', 'NodeCrypto.ts');

function parseArgs(argv) {
  const o = { params: {}, entries: [], raw: !!process.env.HYPIUM_RAW, verbose: !!process.env.HYPIUM_VERBOSE };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '-s') {
      if (i + 2 >= argv.length) throw new Error('-s takes a key and a value, e.g. -s class Suite#case');
      o.params[`-s ${argv[i + 1]}`] = argv[i + 2]; i += 2;
    } else if (a === '--raw') o.raw = true;
    else if (a === '--verbose') o.verbose = true;
    else if (a.startsWith('-')) throw new Error(`unknown option ${a}`);
    else o.entries.push(path.resolve(a));
  }
  if (o.entries.length === 0) throw new Error('no test list given');
  for (const e of o.entries) if (!fs.existsSync(e)) throw new Error(`no such file: ${e}`);
  return o;
}

async function bundle(entries) {
  const hostEnv = fs.existsSync(HOST_ENV) && fs.existsSync(NODE_STORE);
  const hostDevice = fs.existsSync(HOST_DEVICE);
  const hostCrypto = hostEnv && fs.existsSync(NODE_CRYPTO);
  const runner = `
    import { Hypium } from '@ohos/hypium';
    ${entries.map((e, i) => `import testsuite${i} from ${JSON.stringify(e)};`).join('\n    ')}
    ${hostEnv ? `import { HostEnv } from ${JSON.stringify(HOST_ENV)};
    import { NodeFileStore, openFdCount } from ${JSON.stringify(NODE_STORE)};
    import { NodeByteChannel } from ${JSON.stringify(NODE_CHANNEL)};` : ''}
    ${hostDevice ? `import { installCanIUse } from ${JSON.stringify(HOST_DEVICE)};` : ''}
    ${hostCrypto ? `import { NodeCrypto, NodeFdIo } from ${JSON.stringify(NODE_CRYPTO)};` : ''}
    export async function run(delegator, args, scratch) {
      ${hostEnv ? `const store = new NodeFileStore();
      HostEnv.install(store, scratch, openFdCount);
      HostEnv.installByteChannel(new NodeByteChannel());
      // The copy workers' own fds exist before any suite counts this process's fds.
      if (typeof store.warmUp === 'function') await store.warmUp();` : ''}
      ${hostDevice ? 'installCanIUse();' : ''}
      ${hostCrypto ? 'HostEnv.installCrypto(new NodeCrypto(), new NodeFdIo());' : ''}
      Hypium.hypiumTest(delegator, args, () => { ${entries.map((e, i) => `testsuite${i}();`).join(' ')} });
    }
  `;
  const result = await esbuild.build(etsBuildOptions({
    stdin: { contents: runner, resolveDir: ROOT, loader: 'ts', sourcefile: 'hypium-host-runner.ts' },
  }));
  return result.outputFiles[0].text;
}

async function main() {
  let o;
  try { o = parseArgs(process.argv.slice(2)); } catch (e) {
    console.error(`hypium: ${e.message}\nusage: run.js List.test.ets [-s class Suite#case] [-s timeout MS] [--raw] [--verbose]`);
    return 2;
  }
  let code;
  try { code = await bundle(o.entries); } catch (e) {
    console.error(`hypium: could not bundle the tests:\n${formatBuildErrors(e)}`);
    console.log('0 passed, 1 failed');
    return 2;
  }
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'bm-hypium-'));
  const bundleFile = path.join(scratch, 'tests.bundle.js');
  fs.writeFileSync(bundleFile, code);
  process.setSourceMapsEnabled(true);
  installUiDecorators();

  let output = '';
  let finish;
  const finished = new Promise((resolve) => { finish = resolve; });
  const delegator = {   // stand-in for abilityDelegatorRegistry.getAbilityDelegator()
    print: (msg) => { output += `${msg}\n`; if (o.raw) process.stdout.write(`${msg}\n`); return Promise.resolve(); },
    printSync: (msg) => { output += `${msg}\n`; if (o.raw) process.stdout.write(`${msg}\n`); },
    finishTest: (msg, c, cb) => { if (cb) cb(); finish(); return Promise.resolve(); },
    executeShellCommand: (cmd, t, cb) => { const r = { stdResult: '', exitCode: 0 }; if (typeof cb === 'function') cb(null, r); return Promise.resolve(r); },
  };
  const saved = { info: console.info, debug: console.debug, log: console.log, error: console.error, warn: console.warn };
  if (!o.verbose) { console.info = () => {}; console.debug = () => {}; console.log = () => {}; console.warn = () => {}; console.error = () => {}; }
  const onCrash = (e) => { output += `host runner: uncaught ${e && e.stack ? e.stack : e}\n`; finish(); };
  process.on('uncaughtException', onCrash);
  process.on('unhandledRejection', onCrash);
  let timer;
  const limit = Number(process.env.HYPIUM_TIMEOUT_MS || 300000);
  try {
    await require(bundleFile).run(delegator, { bundleName: 'host', parameters: o.params }, scratch);
    await Promise.race([finished, new Promise((r) => { timer = setTimeout(() => { output += `host runner: no final report after ${limit} ms\n`; r(); }, limit); })]);
  } catch (e) {
    onCrash(e);
  }
  clearTimeout(timer);
  Object.assign(console, saved);
  const parsed = parseOhReport(output);
  if (!parsed.result) {
    const tail = output.split('\n').filter((l) => l.startsWith('host runner:')).join('\n');
    if (tail) console.log(tail);
  }
  console.log(formatSummary(parsed, { quiet: !o.verbose }));
  fs.rmSync(scratch, { recursive: true, force: true });
  return parsed.exitCode;
}

main().then((c) => { process.exitCode = c; process.exit(c); }, (e) => { console.error(e); process.exitCode = 2; process.exit(2); });
