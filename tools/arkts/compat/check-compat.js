#!/usr/bin/env node
'use strict';
/*
 * Type-compatibility check between the BackupModule port and the official '@ohos.file.backup'.
 * Compiles tools/arkts/compat/port-compat.ts as an ordinary TypeScript program (ohos-typescript, strict,
 * no ArkTS linter) with:
 *   '@ohos.file.backup' -> tools/stubs/@ohos.file.backup.d.ts
 *   '@ohos.base'        -> @arkts/declarations api/@ohos.base.d.ts
 *   'backup-port'       -> entry/src/main/ets/backup/port/BackupModule.ets (or --port FILE)
 *
 *   node tools/arkts/compat/check-compat.js [--port FILE] [--self-test]
 *
 * Exit 0 when compatible; 1 with tsc-style diagnostics on any incompatibility; 2 on usage errors.
 * --self-test: every fixture under tools/arkts/compat/fixtures/<name>/ (BackupModule.ts, a port with one
 * deliberate mismatch, and expect.txt, text the diagnostics must contain) must fail with that text, and
 * the real port must pass. Exit 0 when all of that holds.
 */
const fs = require('fs');
const path = require('path');
const ts = require('ohos-typescript');

const ROOT = path.resolve(__dirname, '..', '..', '..');
const COMPAT = path.join(__dirname, 'port-compat.ts');
const FIXTURES = path.join(__dirname, 'fixtures');
const PORT = path.join(ROOT, 'entry', 'src', 'main', 'ets', 'backup', 'port', 'BackupModule.ets');

function declarationsApi() {
  return path.join(path.dirname(require.resolve('@arkts/declarations/dist/tsconfig.base.json')), 'api');
}

function extensionOf(file) {
  for (const ext of [ts.Extension.Dts, ts.Extension.Dets, ts.Extension.Ets, ts.Extension.Ts]) {
    if (file.endsWith(ext)) return ext;
  }
  throw new Error(`not a TypeScript or ArkTS file: ${file}`);
}

/** Compiles port-compat.ts against portFile; returns the diagnostics (of any file but the declarations). */
function compile(portFile) {
  const fixed = new Map([
    ['@ohos.file.backup', path.join(ROOT, 'tools', 'stubs', '@ohos.file.backup.d.ts')],
    ['@ohos.base', path.join(declarationsApi(), '@ohos.base.d.ts')],
    ['backup-port', portFile],
  ]);
  for (const f of fixed.values()) if (!fs.existsSync(f)) throw new Error(`missing ${f}`);
  const options = {
    strict: true, noEmit: true, target: ts.ScriptTarget.ES2021, lib: ['lib.es2021.d.ts'], types: [],
    module: ts.ModuleKind.ES2020, moduleResolution: ts.ModuleResolutionKind.NodeJs,
    allowSyntheticDefaultImports: true, esModuleInterop: true, skipLibCheck: true,
  };
  const host = ts.createCompilerHost(options, true);
  host.resolveModuleNames = (names, containingFile) => names.map((name) => {
    const f = fixed.get(name);
    if (f) return { resolvedFileName: f, extension: extensionOf(f), isExternalLibraryImport: false };
    if (name.startsWith('.')) {
      for (const ext of ['.ets', '.ts', '.d.ts', '.d.ets']) {
        const c = path.resolve(path.dirname(containingFile), name + ext);
        if (fs.existsSync(c)) return { resolvedFileName: c, extension: extensionOf(c), isExternalLibraryImport: false };
      }
    }
    return undefined;   // reported as TS2307 "Cannot find module"
  });
  const program = ts.createProgram({ rootNames: [COMPAT], options, host });
  const declarations = new Set([...fixed.values()].filter((f) => /\.d\.e?ts$/.test(f)));
  return ts.getPreEmitDiagnostics(program).filter((d) => !d.file || !declarations.has(d.file.fileName));
}

function format(diagnostics) {
  return ts.formatDiagnostics(diagnostics, {
    getCanonicalFileName: (f) => f, getCurrentDirectory: () => process.cwd(), getNewLine: () => '\n',
  });
}

function selfTest() {
  let ok = true;
  const real = compile(PORT);
  if (real.length > 0) {
    ok = false;
    console.log(`self-test: the real port is not compatible:\n${format(real)}`);
  }
  const names = fs.existsSync(FIXTURES) ? fs.readdirSync(FIXTURES).sort() : [];
  if (names.length === 0) {
    console.log('self-test: no fixtures');
    return 1;
  }
  for (const name of names) {
    const port = path.join(FIXTURES, name, 'BackupModule.ts');
    const expectFile = path.join(FIXTURES, name, 'expect.txt');
    if (!fs.existsSync(port) || !fs.existsSync(expectFile)) {
      ok = false;
      console.log(`self-test: fixture ${name} needs BackupModule.ts and expect.txt`);
      continue;
    }
    const expected = fs.readFileSync(expectFile, 'utf8').split('\n').map((l) => l.trim()).filter((l) => l !== '');
    const diagnostics = compile(port);
    const text = format(diagnostics);
    const inFixtureOnly = diagnostics.length > 0 && diagnostics.every((d) => d.file && d.file.fileName === port);
    const missing = expected.filter((e) => !text.includes(e));
    if (diagnostics.length === 0 || inFixtureOnly || missing.length > 0) {
      ok = false;
      console.log(`self-test: fixture ${name} was not caught as expected` +
        `${missing.length ? ` (missing: ${missing.map((m) => JSON.stringify(m)).join(', ')})` : ''}:\n${text || '(no diagnostics)\n'}`);
    } else {
      console.log(`self-test: fixture ${name} caught (${diagnostics.length} diagnostic(s))`);
    }
  }
  console.log(ok ? 'compat self-test: passed' : 'compat self-test: FAILED');
  return ok ? 0 : 1;
}

function main(argv) {
  let port = PORT;
  let self = false;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--self-test') self = true;
    else if (argv[i] === '--port' && i + 1 < argv.length) port = path.resolve(argv[++i]);
    else {
      console.error(`check-compat: unknown argument ${argv[i]}\nusage: check-compat.js [--port FILE] [--self-test]`);
      return 2;
    }
  }
  if (self) return selfTest();
  const diagnostics = compile(port);
  if (diagnostics.length > 0) {
    process.stdout.write(format(diagnostics));
    console.log(`port compat: ${diagnostics.length} incompatibilit${diagnostics.length === 1 ? 'y' : 'ies'} ` +
      `between ${path.relative(process.cwd(), port)} and @ohos.file.backup`);
    return 1;
  }
  console.log('port compat: BackupModule port and @ohos.file.backup are compatible');
  return 0;
}

try {
  process.exitCode = main(process.argv.slice(2));
} catch (e) {
  console.error(`check-compat: ${e.message}`);
  process.exitCode = 2;
}
