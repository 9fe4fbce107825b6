'use strict';
/*
 * How host tools run the app's ArkTS code on Node: esbuild bundles .ets as TypeScript (ArkTS without UI is
 * TypeScript to esbuild), legacy decorators on, '@ohos.*'/'@kit.*' imports resolved to the host stand-ins
 * under tools/host/ohos or refused with a clear message, and the ArkUI state decorators of view models
 * defined as no-ops. Used by the hypium runner (tools/hypium/run.js) and the CLI (tools/cli/bundle.js).
 */
const fs = require('fs');
const path = require('path');

const ROOT = path.resolve(__dirname, '..', '..');
const HOST_OHOS = path.join(__dirname, 'ohos');

const ohosHostModules = {
  name: 'ohos-host-modules',
  setup(build) {
    build.onResolve({ filter: /^@(ohos|kit|system)\./ }, (a) => {
      for (const ext of ['.ts', '.js']) {
        const f = path.join(HOST_OHOS, a.path + ext);
        if (fs.existsSync(f)) return { path: f };
      }
      return { errors: [{ text: `'${a.path}' has no host stand-in (tools/host/ohos/${a.path}.ts); keep it out of code that runs on Node` }] };
    });
  },
};

/** esbuild options shared by every host bundle of ArkTS code; `extra` adds or overrides. */
function etsBuildOptions(extra) {
  return Object.assign({
    bundle: true, write: false, platform: 'node', format: 'cjs', target: 'node20',
    loader: { '.ets': 'ts' }, resolveExtensions: ['.ets', '.ts', '.js'],
    tsconfigRaw: { compilerOptions: { experimentalDecorators: true, useDefineForClassFields: false } },
    sourcemap: 'inline', sourcesContent: false, plugins: [ohosHostModules], logLevel: 'silent',
  }, extra);
}

/** esbuild's errors as `file:line:col: text` lines. */
function formatBuildErrors(e) {
  const errs = (e.errors || []).map((x) => `${x.location ? `${x.location.file}:${x.location.line}:${x.location.column}: ` : ''}${x.text}`);
  return errs.join('\n') || e.message;
}

/** ArkUI state-management decorators as no-ops: view models are plain classes on the host. */
function installUiDecorators() {
  const memberDeco = () => () => undefined;
  globalThis.ObservedV2 = (target) => target;
  globalThis.Observed = (target) => target;
  globalThis.Sendable = (target) => target;
  globalThis.Trace = () => undefined;
  globalThis.Track = () => undefined;
  globalThis.Computed = () => undefined;
  globalThis.Type = memberDeco;
  globalThis.Monitor = memberDeco;
}

module.exports = { ROOT, etsBuildOptions, formatBuildErrors, installUiDecorators };
