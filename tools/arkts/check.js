#!/usr/bin/env node
'use strict';
/*
 * ArkTS check on the host: type-check plus the ArkTS linter (ArkTS 1.1 rules, as DevEco's
 * CompileArkTS step runs them through ets-loader), plus the $r resource check.
 *
 *   node tools/arkts/check.js [options] [PATH...]
 *
 * With no PATH it checks entry/src/main, entry/src/ohosTest and entry/src/test of this project.
 *   --stubs DIR       extra declarations for bare module names (default: tools/stubs), repeatable
 *   --resources DIR   resources folders for $r (default: found from the checked files)
 *   --no-resources    skip the $r check
 *   --sdk-version N   compatibleSdkVersion (default: build-profile.json5's)
 *   --compile-sdk N   compileSdkVersion (default: build-profile.json5's)
 *   --pending FILE    the list of pending SDK-rule sites (default: tools/arkts/lib/sdk-pending.json)
 *   --json            machine-readable output
 * Two type-checks, as DevEco runs them: ets-loader's program with its own tsconfig (not strict: no
 * strictNullChecks, strictFunctionTypes, noImplicitAny...; its errors are reported as `nonstrict-TS<code>`
 * when the strict pass does not report the same) and the strict one the ArkTS linter uses (`TS<code>`).
 * Project rules:
 *   project-layering  one-way dependencies between the folders of entry/src/main/ets; the core, mock and
 *                     view models import no system modules (lib/layering.js).
 *   sdk-since         a member newer than compileSdkVersion; one newer than compatibleSdkVersion that no
 *                     API-level guard dominates (lib/sdk-since.js). Accepted guards (lib/sdk-guards.js):
 *                     `if (LEVEL >= N) {...}`, `LEVEL >= N ? x : y`, `LEVEL >= N && x`, the else branch of
 *                     `if (LEVEL < N)`, an earlier `if (LEVEL < N) { return|throw }` in an enclosing block,
 *                     and an earlier call of a guard function whose body starts `if (LEVEL < p) { throw }`
 *                     (ApiLevel.require(member, API_LEVEL_18)); LEVEL is deviceInfo.sdkApiVersion or a
 *                     name/property `apiLevel`, N a literal or a const/readonly name holding one.
 *   sdk-throws        a call of a declaration with `@throws` that no try/catch in the same function handles
 *                     and no `@throws` on the enclosing function passes on (lib/sdk-throws.js).
 *   sdk-syscap        a reference to a declaration whose @syscap is not on every device type of
 *                     module.json5, not dominated by `canIUse('<syscap>')` (lib/sdk-syscap.js, data in
 *                     lib/sdk-syscaps.json).
 * The SDK levels come from build-profile.json5 (every product must agree) and the device types from
 * entry/src/main/module.json5. Findings listed in lib/sdk-pending.json (a temporary list of sites other
 * work in flight fixes) print as PENDING and do not fail; a listed site that is no longer found fails.
 * Output: `ArkTS:ERROR File: path:line:col [source code]` and the message, as DevEco prints it.
 * Exit: 0 no errors, 1 errors, 2 usage or internal error.
 */
const fs = require('fs');
const os = require('os');
const path = require('path');
const ts = require('ohos-typescript');
const { etsOptions } = require('./lib/ets-options');
const { checkResources, findResourceDirs } = require('./lib/resources');
const { checkLayering } = require('./lib/layering');
const { readLevels, readDeviceTypes } = require('./lib/sdk-levels');
const { makeGuards } = require('./lib/sdk-guards');
const { makeRefs } = require('./lib/sdk-refs');
const { checkSdkSince } = require('./lib/sdk-since');
const { checkSdkThrows } = require('./lib/sdk-throws');
const { checkSdkSyscap, loadSyscaps } = require('./lib/sdk-syscap');
const { loadPending, matchPending } = require('./lib/sdk-pending');

const ROOT = path.resolve(__dirname, '..', '..');
const THROWS_WARNING = 28040;
const SKIP_DIRS = new Set(['node_modules', 'oh_modules', 'build', '.hvigor', '.preview', '.idea']);
// Names of decorated struct members that ets-loader rewrites ($count for @Link/@Prop by reference).
const MEMBER_DECORATORS = new Set(['State', 'Prop', 'Link', 'StorageProp', 'StorageLink', 'Provide', 'Consume',
  'ObjectLink', 'Watch', 'BuilderParam', 'LocalStorageLink', 'LocalStorageProp', 'Require', 'Env']);

function usage(msg) {
  if (msg) console.error(`check: ${msg}`);
  console.error('usage: check.js [--stubs DIR]... [--resources DIR]... [--no-resources] [--sdk-version N] ' +
    '[--compile-sdk N] [--pending FILE] [--json] [PATH...]');
  return 2;
}

function parseArgs(argv) {
  const o = { stubs: [], resources: [], noResources: false, sdkVersion: undefined, compileSdk: undefined, pending: undefined,
    json: false, paths: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = () => { if (i + 1 >= argv.length) throw new Error(`${a} needs a value`); return argv[++i]; };
    if (a === '--stubs') o.stubs.push(path.resolve(next()));
    else if (a === '--resources') o.resources.push(path.resolve(next()));
    else if (a === '--no-resources') o.noResources = true;
    else if (a === '--sdk-version') o.sdkVersion = Number(next());
    else if (a === '--compile-sdk') o.compileSdk = Number(next());
    else if (a === '--pending') o.pending = path.resolve(next());
    else if (a === '--json') o.json = true;
    else if (a.startsWith('-')) throw new Error(`unknown option ${a}`);
    else o.paths.push(path.resolve(a));
  }
  if (o.stubs.length === 0) o.stubs.push(path.join(ROOT, 'tools', 'stubs'));
  if (o.paths.length === 0) {
    o.paths = ['main', 'ohosTest', 'test'].map((d) => path.join(ROOT, 'entry', 'src', d)).filter((d) => fs.existsSync(d));
  }
  if (o.sdkVersion !== undefined && !Number.isInteger(o.sdkVersion)) throw new Error('--sdk-version takes a whole number');
  if (o.compileSdk !== undefined && !Number.isInteger(o.compileSdk)) throw new Error('--compile-sdk takes a whole number');
  return o;
}

function collect(p, out, named) {
  const st = fs.statSync(p);
  if (st.isDirectory()) {
    for (const e of fs.readdirSync(p).sort()) if (!SKIP_DIRS.has(e)) collect(path.join(p, e), out, false);
  } else if (/\.(ets|ts)$/.test(p) && (named || !/\.d\.e?ts$/.test(p))) {
    out.push(p);
  }
  return out;
}

function declarationsRoot() {
  return path.dirname(require.resolve('@arkts/declarations/dist/tsconfig.base.json'));
}

function dollarNames(program, rootSet) {
  const names = new Set();
  for (const sf of program.getSourceFiles()) {
    if (!rootSet.has(path.resolve(sf.fileName)) || !sf.fileName.endsWith('.ets')) continue;
    const visit = (node) => {
      if (ts.isStructDeclaration && ts.isStructDeclaration(node)) {
        for (const m of node.members) {
          if (!ts.isPropertyDeclaration(m) || !ts.isIdentifier(m.name)) continue;
          for (const d of (ts.getAllDecorators ? ts.getAllDecorators(m) : []) || []) {
            const name = d.getText(sf).replace(/^@/, '').replace(/\(.*\)$/s, '').trim();
            if (MEMBER_DECORATORS.has(name)) names.add(`$${m.name.text}`);
          }
        }
      }
      if (ts.isIdentifier(node) && node.text.startsWith('$$')) names.add(node.text);
      ts.forEachChild(node, visit);
    };
    visit(sf);
  }
  return names;
}

function check(o) {
  const rootFiles = [];
  for (const p of o.paths) {
    if (!fs.existsSync(p)) throw new Error(`no such file or folder: ${p}`);
    collect(p, rootFiles, true);
  }
  if (rootFiles.length === 0) throw new Error('no .ets or .ts files to check');
  const rootSet = new Set(rootFiles.map((f) => path.resolve(f)));
  const levels = readLevels(ROOT);
  if (o.sdkVersion !== undefined) levels.compatibleSdk = o.sdkVersion;
  if (o.compileSdk !== undefined) levels.compileSdk = o.compileSdk;

  const declRoot = declarationsRoot();
  const componentDir = path.join(declRoot, 'component');
  const sdkFiles = fs.readdirSync(componentDir).filter((f) => /\.d\.e?ts$/.test(f)).map((f) => path.join(componentDir, f));
  sdkFiles.push(path.join(declRoot, 'global.d.ts'));
  const apiDirs = [...o.stubs, path.join(declRoot, 'api'), path.join(declRoot, 'kits'), path.join(declRoot, 'arkts')];

  const options = {
    ets: etsOptions(componentDir),
    allowSyntheticDefaultImports: true, esModuleInterop: true, noImplicitAny: false, noUnusedLocals: false,
    noUnusedParameters: false, experimentalDecorators: true, resolveJsonModule: true, skipLibCheck: true,
    types: [], typeRoots: [], alwaysStrict: true, allowJs: true, checkJs: false, emitNodeModulesFiles: true,
    importsNotUsedAsValues: ts.ImportsNotUsedAsValues.Remove, module: ts.ModuleKind.ES2020,
    moduleResolution: ts.ModuleResolutionKind.NodeJs, noEmit: true, target: ts.ScriptTarget.ES2021,
    maxFlowDepth: 2000, lib: ['lib.es2021.d.ts'], strict: true,
    etsLoaderPath: path.join(declRoot, 'build-tools', 'ets-loader'), needDoArkTsLinter: true,
    isCompatibleVersion: false, incremental: true,
    tsBuildInfoFile: path.join(os.tmpdir(), `arkts-check-${process.pid}.tsbuildinfo`),
    compatibleSdkVersion: levels.compatibleSdk, packageManagerType: 'ohpm', skipOhModulesLint: false,
    tsImportSendableEnable: false,
  };

  // ets-loader resolves bare system names against <sdk>/api|kits; packages such as @ohos/hypium come
  // from oh_modules on DevEco and from node_modules here.
  const npmOptions = Object.assign({}, options, { packageManagerType: undefined });
  const cache = ts.createModuleResolutionCache(ROOT, (f) => f, options);
  const npmCache = ts.createModuleResolutionCache(ROOT, (f) => f, npmOptions);
  const resolveModuleNames = (names, containingFile) => names.map((name) => {
    if (!name.startsWith('.') && !path.isAbsolute(name)) {
      for (const dir of apiDirs) {
        for (const [ext, kind] of [['.d.ts', ts.Extension.Dts], ['.d.ets', '.d.ets']]) {
          const f = path.join(dir, name + ext);
          if (fs.existsSync(f)) return { resolvedFileName: f, extension: kind, isExternalLibraryImport: false };
        }
      }
    }
    const r = ts.resolveModuleName(name, containingFile, options, ts.sys, cache).resolvedModule ||
      ts.resolveModuleName(name, containingFile, npmOptions, ts.sys, npmCache).resolvedModule ||
      ts.resolveModuleName(name, path.join(ROOT, 'package.json'), npmOptions, ts.sys, npmCache).resolvedModule;
    return r || undefined;
  });

  const extendNames = new Set();
  const host = {
    getScriptFileNames: () => [...rootFiles, ...sdkFiles],
    getScriptVersion: () => '1',
    getScriptSnapshot: (f) => {
      if (!fs.existsSync(f)) return undefined;
      let text = fs.readFileSync(f, 'utf8');
      if (rootSet.has(path.resolve(f))) {
        // ets-loader preprocessExtend: legacy `@Extend Text.name(` form
        text = text.replace(/@Extend(\s+)([^.\s]+)\.([^(]+)\(/gm, (_m, s, comp, fn) => {
          extendNames.add(fn);
          return `@Extend(${comp})${s}function __${comp}__${fn}(`;
        });
        for (const m of text.matchAll(/@Extend\s*\([^)]+\)\s*function\s+([^(\s]+)\s*\(/gm)) extendNames.add(m[1]);
      }
      return ts.ScriptSnapshot.fromString(text);
    },
    getCurrentDirectory: () => ROOT,
    getCompilationSettings: () => options,
    getDefaultLibFileName: (opts) => ts.getDefaultLibFilePath(opts),
    fileExists: ts.sys.fileExists,
    readFile: ts.sys.readFile,
    readDirectory: ts.sys.readDirectory,
    directoryExists: ts.sys.directoryExists,
    getDirectories: ts.sys.getDirectories,
    resolveModuleNames,
    uiProps: new Set(),
    clearProps() { this.uiProps = new Set(); },
  };

  // ARKTS_CHECK_TIMES=1 prints how long each pass takes.
  const T = (label, f) => { const t = Date.now(); const r = f(); if (process.env.ARKTS_CHECK_TIMES) console.error(`${label}: ${Date.now() - t} ms`); return r; };
  const registry = ts.createDocumentRegistry();
  const service = ts.createLanguageService(host, registry);
  const builder = service.getBuilderProgram(/* withLinterProgram */ true);
  const program = builder.getProgram();
  const linter = T('linter', () => ts.ArkTSLinter_1_1.runArkTSLinter(builder, undefined, undefined, 'ArkTS_1_1'));
  const tsc = T('tsc', () => builder.getSyntacticDiagnostics().concat(builder.getSemanticDiagnostics()));
  const resourceDirs = o.noResources ? [] : (o.resources.length ? o.resources : findResourceDirs(rootFiles));
  const resources = checkResources(ts, program, rootSet, resourceDirs);
  const layering = checkLayering(ts, program, rootSet);

  // The SDK rules read the declarations of the strict program (same files, same JSDoc).
  const checker = program.getTypeChecker();
  const sdkDirs = [declRoot, ...o.stubs].map((d) => path.resolve(d) + path.sep);
  const isSdkFile = (f) => sdkDirs.some((d) => f.startsWith(d));
  const nodeModules = path.join(ROOT, 'node_modules') + path.sep;
  const isCheckedDeclFile = (f) => isSdkFile(f) || !f.startsWith(nodeModules);
  const rootSources = program.getSourceFiles().filter((sf) => rootSet.has(path.resolve(sf.fileName)));
  const refs = makeRefs(ts, checker, isSdkFile);
  const guards = makeGuards(ts, checker);
  const levelProblems = levels.problems.map((m) => ({ file: undefined, start: 0, length: 0,
    messageText: `${m} (sdk-since)`, category: ts.DiagnosticCategory.Error, code: 'sdk-since' }));
  const sdkSince = T('sdk-since', () => checkSdkSince(ts, program, rootSources, refs, guards, levels));
  const sdkThrows = T('sdk-throws', () => checkSdkThrows(ts, program, rootSources, isCheckedDeclFile));
  const sdkSyscap = T('sdk-syscap', () => checkSdkSyscap(ts, program, rootSources, refs, guards, readDeviceTypes(ROOT), loadSyscaps()));

  // DevEco's own type-check: ets-loader's tsconfig has no `strict` (only the linter's checker is strict).
  const nsOptions = Object.assign({}, options, { strict: false,
    tsBuildInfoFile: path.join(os.tmpdir(), `arkts-check-ns-${process.pid}.tsbuildinfo`) });
  const nsHost = Object.assign({}, host, { getCompilationSettings: () => nsOptions, uiProps: new Set() });
  const nsService = ts.createLanguageService(nsHost, registry);
  const nonStrict = [];
  T('nonstrict', () => {
    const nsProgram = nsService.getProgram();
    for (const sf of nsProgram.getSourceFiles()) {
      if (rootSet.has(path.resolve(sf.fileName))) nonStrict.push(...nsProgram.getSemanticDiagnostics(sf));
    }
  });
  const strictKeys = new Set(tsc.filter((d) => d.file).map((d) => `${path.resolve(d.file.fileName)}:${d.start}:${d.code}`));

  const dropped = new Set([...service.getProps(), ...nsService.getProps(), ...extendNames, ...dollarNames(program, rootSet)]);
  const pending = loadPending(o.pending);
  const seen = new Set();
  const results = [];
  const add = (d, source) => {
    if (!d.file || !rootSet.has(path.resolve(d.file.fileName))) {
      if (d.file) return;             // problems inside SDK declarations are not the project's
    }
    const message = ts.flattenDiagnosticMessageText(d.messageText, '\n');
    for (const re of [/Cannot find name\s*'(\$?\$?[_a-zA-Z0-9]+)'/, /Property\s*'(\$?[_a-zA-Z0-9]+)' does not exist on type/]) {
      const m = message.match(re);
      if (m && dropped.has(m[1])) return;
    }
    let file; let line; let col;
    if (d.file) {
      const lc = d.file.getLineAndCharacterOfPosition(d.start || 0);
      file = path.relative(process.cwd(), d.file.fileName); line = lc.line + 1; col = lc.character + 1;
    }
    const key = `${file}:${line}:${col}:${d.code}:${message}`;
    if (seen.has(key)) return;
    seen.add(key);
    const rule = source === 'arkts-linter' ? ((/\((arkts-[a-z0-9-]+)\)\s*$/.exec(message) || [])[1] || `arkts-${d.code}`)
      : source === 'tsc' ? `TS${d.code}` : source === 'tsc-nonstrict' ? `nonstrict-TS${d.code}` : String(d.code);
    // Project policy: an ArkTS linter warning (globalThis, ...) fails the check like an error.
    let severity = d.category === ts.DiagnosticCategory.Error || source === 'arkts-linter' ? 'ERROR' : 'WARN';
    if (d.file && source === 'sdk') {
      const lineText = d.file.text.split('\n')[line - 1] || '';
      if (matchPending(pending, path.relative(ROOT, path.resolve(d.file.fileName)), rule, lineText)) severity = 'PENDING';
    }
    results.push({ severity, source, rule, file, line, col, message });
  };
  linter.forEach((d) => add(d, 'arkts-linter'));
  resources.forEach((d) => add(d, 'resource'));
  layering.forEach((d) => add(d, 'project'));
  [...levelProblems, ...sdkSince, ...sdkThrows, ...sdkSyscap].forEach((d) => add(d, 'sdk'));
  // TS28040 is the compiler's own throws warning (DevEco's), for declarations outside node_modules only;
  // sdk-throws reports those calls and the SDK's.
  tsc.filter((d) => d.code !== THROWS_WARNING).forEach((d) => add(d, 'tsc'));
  nonStrict.filter((d) => d.code !== THROWS_WARNING).filter((d) => !d.file || !strictKeys.has(`${path.resolve(d.file.fileName)}:${d.start}:${d.code}`))
    .forEach((d) => add(d, 'tsc-nonstrict'));
  for (const e of pending.entries) {
    // Only sites in the files this run checks can be judged stale.
    if (!e.used && rootSet.has(path.resolve(ROOT, e.file))) {
      results.push({ severity: 'ERROR', source: 'sdk', rule: e.rule, file: path.relative(process.cwd(), path.resolve(ROOT, e.file)),
        line: e.line, col: 1, message: `stale entry in ${path.relative(ROOT, pending.file)}: '${e.text}' is no longer reported ` +
          `as ${e.rule} here; remove the entry. (${e.rule})` });
    }
  }
  results.sort((a, b) => (a.file || '').localeCompare(b.file || '') || a.line - b.line || a.col - b.col);
  for (const f of [options.tsBuildInfoFile, nsOptions.tsBuildInfoFile]) {
    try { fs.unlinkSync(f); } catch (e) { /* never written */ }
  }
  return { files: rootFiles.length, results, pendingFile: pending.file };
}

function main() {
  let o;
  try { o = parseArgs(process.argv.slice(2)); } catch (e) { return usage(e.message); }
  const t0 = Date.now();
  let r;
  try { r = check(o); } catch (e) { console.error(`check: ${e.message}`); return 2; }
  const errors = r.results.filter((x) => x.severity === 'ERROR').length;
  const pendingCount = r.results.filter((x) => x.severity === 'PENDING').length;
  const warnings = r.results.length - errors - pendingCount;
  if (o.json) {
    console.log(JSON.stringify({ files: r.files, errors, warnings, pending: pendingCount, diagnostics: r.results }, null, 1));
  } else {
    for (const x of r.results) {
      console.log(`ArkTS:${x.severity} File: ${x.file || '?'}:${x.line || 0}:${x.col || 0} [${x.rule}]\n ${x.message}`);
    }
    const pend = pendingCount ? `, ${pendingCount} pending (${path.relative(ROOT, r.pendingFile)})` : '';
    console.log(`ArkTS check: ${r.files} file(s), ${errors} error(s), ${warnings} warning(s)${pend} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  }
  return errors > 0 ? 1 : 0;
}

process.exitCode = main();
