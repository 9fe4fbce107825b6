#!/usr/bin/env node
'use strict';
/*
 * Type-checks the host TypeScript (the Node FileStore and logger, the host stand-ins of system modules, the
 * CLI, the benchmarks and the host-only test suites), which imports the ArkTS core, with the project's
 * TypeScript (ohos-typescript), strict, against @types/node. esbuild, which runs them, does not check
 * types, so this is what catches a core API change that breaks them. host-shims.d.ts declares the few
 * packages without their own types.
 *
 *   node tools/host/typecheck.js        exit 0 clean, 1 type errors (printed as file:line:col message)
 */
const fs = require('fs');
const path = require('path');
const ts = require('ohos-typescript');

const ROOT = path.resolve(__dirname, '..', '..');

function collect(dir, out) {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) collect(p, out);
    else if (/\.ts$/.test(e.name) && !/\.d\.ts$/.test(e.name)) out.push(p);
  }
  return out;
}

const files = [
  ...collect(path.join(ROOT, 'tools', 'host'), []),
  ...collect(path.join(ROOT, 'tools', 'cli'), []),
  ...collect(path.join(ROOT, 'tools', 'bench'), []),
  // CapsFuzz.test.ts is left out: fast-check 4's declarations need TypeScript 5.7 (ohos-typescript is 4.9);
  // the suite itself runs in every npm test.
  ...collect(path.join(ROOT, 'tools', 'host-tests'), []).filter((f) => !f.endsWith('CapsFuzz.test.ts')),
];
const options = {
  strict: true, noEmit: true, target: ts.ScriptTarget.ES2021, module: ts.ModuleKind.CommonJS,
  moduleResolution: ts.ModuleResolutionKind.NodeJs, lib: ['lib.es2021.d.ts'], experimentalDecorators: true,
  skipLibCheck: true, types: ['node'], typeRoots: [path.join(ROOT, 'node_modules', '@types')], baseUrl: ROOT,
  paths: {
    '@ohos.base': ['node_modules/@arkts/declarations/dist/api/@ohos.base.d.ts'],
    // System modules resolve to their host stand-ins, as the bundler resolves them (tools/host/ets-bundle.js).
    '@kit.*': ['tools/host/ohos/@kit.*'],
    '@ohos.file.*': ['tools/host/ohos/@ohos.file.*'],
    '@ohos.bundle.*': ['tools/host/ohos/@ohos.bundle.*'],
    '@ohos.resourceschedule.*': ['tools/host/ohos/@ohos.resourceschedule.*'],
    '@ohos.commonEventManager': ['tools/host/ohos/@ohos.commonEventManager'],
  },
};
const host = ts.createCompilerHost(options);
// The core's relative imports name .ets files without an extension.
host.resolveModuleNames = (names, containing) => names.map((name) => {
  if (name.startsWith('.')) {
    for (const ext of ['.ets', '.ts', '.d.ts']) {
      const f = path.resolve(path.dirname(containing), name + ext);
      if (fs.existsSync(f)) return { resolvedFileName: f, extension: ext === '.d.ts' ? ts.Extension.Dts : ts.Extension.Ts };
    }
  }
  return ts.resolveModuleName(name, containing, options, host).resolvedModule;
});
const program = ts.createProgram([...files, path.join(__dirname, 'host-shims.d.ts')], options, host);
const mine = new Set(files.map((f) => path.resolve(f)));
const diags = ts.getPreEmitDiagnostics(program).filter((d) => d.file && mine.has(path.resolve(d.file.fileName)));
for (const d of diags) {
  const p = d.file.getLineAndCharacterOfPosition(d.start);
  console.log(`${path.relative(ROOT, d.file.fileName)}:${p.line + 1}:${p.character + 1} ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
}
console.log(`${diags.length} type error(s) in ${files.length} files`);
process.exit(diags.length > 0 ? 1 : 0);
