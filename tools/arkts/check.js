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
 *   --sdk-version N   compatibleSdkVersion given to the linter (default 12)
 *   --json            machine-readable output
 * Project rule: project-layering (one-way dependencies between the folders of entry/src/main/ets; the
 * core, mock and view models import no system modules).
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

const ROOT = path.resolve(__dirname, '..', '..');
const SKIP_DIRS = new Set(['node_modules', 'oh_modules', 'build', '.hvigor', '.preview', '.idea']);
// Names of decorated struct members that ets-loader rewrites ($count for @Link/@Prop by reference).
const MEMBER_DECORATORS = new Set(['State', 'Prop', 'Link', 'StorageProp', 'StorageLink', 'Provide', 'Consume',
  'ObjectLink', 'Watch', 'BuilderParam', 'LocalStorageLink', 'LocalStorageProp', 'Require', 'Env']);

function usage(msg) {
  if (msg) console.error(`check: ${msg}`);
  console.error('usage: check.js [--stubs DIR]... [--resources DIR]... [--no-resources] [--sdk-version N] [--json] [PATH...]');
  return 2;
}

function parseArgs(argv) {
  const o = { stubs: [], resources: [], noResources: false, sdkVersion: 12, json: false, paths: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = () => { if (i + 1 >= argv.length) throw new Error(`${a} needs a value`); return argv[++i]; };
    if (a === '--stubs') o.stubs.push(path.resolve(next()));
    else if (a === '--resources') o.resources.push(path.resolve(next()));
    else if (a === '--no-resources') o.noResources = true;
    else if (a === '--sdk-version') o.sdkVersion = Number(next());
    else if (a === '--json') o.json = true;
    else if (a.startsWith('-')) throw new Error(`unknown option ${a}`);
    else o.paths.push(path.resolve(a));
  }
  if (o.stubs.length === 0) o.stubs.push(path.join(ROOT, 'tools', 'stubs'));
  if (o.paths.length === 0) {
    o.paths = ['main', 'ohosTest', 'test'].map((d) => path.join(ROOT, 'entry', 'src', d)).filter((d) => fs.existsSync(d));
  }
  if (!Number.isInteger(o.sdkVersion)) throw new Error('--sdk-version takes a whole number');
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
    compatibleSdkVersion: o.sdkVersion, packageManagerType: 'ohpm', skipOhModulesLint: false,
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

  const service = ts.createLanguageService(host, ts.createDocumentRegistry());
  const builder = service.getBuilderProgram(/* withLinterProgram */ true);
  const program = builder.getProgram();
  const linter = ts.ArkTSLinter_1_1.runArkTSLinter(builder, undefined, undefined, 'ArkTS_1_1');
  const tsc = builder.getSyntacticDiagnostics().concat(builder.getSemanticDiagnostics());
  const resourceDirs = o.noResources ? [] : (o.resources.length ? o.resources : findResourceDirs(rootFiles));
  const resources = checkResources(ts, program, rootSet, resourceDirs);
  const layering = checkLayering(ts, program, rootSet);

  const dropped = new Set([...service.getProps(), ...extendNames, ...dollarNames(program, rootSet)]);
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
      : source === 'tsc' ? `TS${d.code}` : String(d.code);
    // Project policy: an ArkTS linter warning (globalThis, ...) fails the check like an error.
    const severity = d.category === ts.DiagnosticCategory.Error || source === 'arkts-linter' ? 'ERROR' : 'WARN';
    results.push({ severity, source, rule, file, line, col, message });
  };
  linter.forEach((d) => add(d, 'arkts-linter'));
  resources.forEach((d) => add(d, 'resource'));
  layering.forEach((d) => add(d, 'project'));
  tsc.forEach((d) => add(d, 'tsc'));
  results.sort((a, b) => (a.file || '').localeCompare(b.file || '') || a.line - b.line || a.col - b.col);
  try { fs.unlinkSync(options.tsBuildInfoFile); } catch (e) { /* never written */ }
  return { files: rootFiles.length, results };
}

function main() {
  let o;
  try { o = parseArgs(process.argv.slice(2)); } catch (e) { return usage(e.message); }
  const t0 = Date.now();
  let r;
  try { r = check(o); } catch (e) { console.error(`check: ${e.message}`); return 2; }
  const errors = r.results.filter((x) => x.severity === 'ERROR').length;
  const warnings = r.results.length - errors;
  if (o.json) {
    console.log(JSON.stringify({ files: r.files, errors, warnings, diagnostics: r.results }, null, 1));
  } else {
    for (const x of r.results) {
      console.log(`ArkTS:${x.severity} File: ${x.file || '?'}:${x.line || 0}:${x.col || 0} [${x.rule}]\n ${x.message}`);
    }
    console.log(`ArkTS check: ${r.files} file(s), ${errors} error(s), ${warnings} warning(s) in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  }
  return errors > 0 ? 1 : 0;
}

process.exitCode = main();
