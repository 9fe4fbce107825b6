#!/usr/bin/env node
'use strict';
/*
 * Type-checks the host CLI, the benchmarks and the CLI test suite (TypeScript that imports the ArkTS core)
 * with the project's TypeScript (ohos-typescript), strict. esbuild, which runs them, does not check types,
 * so this is what catches a core API change that breaks them. Node's own modules are declared loosely
 * (types/host-shims.d.ts: the project has no @types/node).
 *
 *   node tools/cli/typecheck.js        exit 0 clean, 1 type errors (printed as file:line:col message)
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
  ...collect(path.join(ROOT, 'tools', 'cli'), []),
  ...collect(path.join(ROOT, 'tools', 'bench'), []),
  path.join(ROOT, 'tools', 'host-tests', 'Cli.test.ts'),
];
const options = {
  strict: true, noEmit: true, target: ts.ScriptTarget.ES2021, module: ts.ModuleKind.CommonJS,
  moduleResolution: ts.ModuleResolutionKind.NodeJs, lib: ['lib.es2021.d.ts'], experimentalDecorators: true,
  skipLibCheck: true, types: [], baseUrl: ROOT,
  paths: { '@ohos.base': ['node_modules/@arkts/declarations/dist/api/@ohos.base.d.ts'] },
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
const program = ts.createProgram([...files, path.join(__dirname, 'types', 'host-shims.d.ts')], options, host);
const mine = new Set(files.map((f) => path.resolve(f)));
const diags = ts.getPreEmitDiagnostics(program).filter((d) => d.file && mine.has(path.resolve(d.file.fileName)));
for (const d of diags) {
  const p = d.file.getLineAndCharacterOfPosition(d.start);
  console.log(`${path.relative(ROOT, d.file.fileName)}:${p.line + 1}:${p.character + 1} ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
}
console.log(`${diags.length} type error(s) in ${files.length} files`);
process.exit(diags.length > 0 ? 1 : 0);
