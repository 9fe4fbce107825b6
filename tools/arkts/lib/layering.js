'use strict';
// Project rule `project-layering`: the folders of entry/src/main/ets are layers and dependencies point one
// way (pages -> view models -> backup core -> ports; mock and platform implement ports). The backup core,
// the mock and the view models are plain ArkTS: they may import nothing from '@ohos.*'/'@kit.*' except
// type-only imports from '@ohos.base', so the same code runs on a device, on the emulator and on Node.
const path = require('path');

const SYSTEM_FREE = new Set(['backup', 'mock', 'viewmodel']);
// layer -> layers it may import from (itself always allowed)
const ALLOWED = {
  backup: [],
  mock: ['backup'],
  viewmodel: ['backup', 'mock'],
  platform: ['backup'],
  components: ['backup', 'viewmodel'],
  pages: ['backup', 'viewmodel', 'components', 'app'],
  app: ['backup', 'mock', 'platform', 'viewmodel'],
  entryability: null,      // the composition root may import anything
};

function layerOf(file) {
  const m = /[\\/]entry[\\/]src[\\/]main[\\/]ets[\\/]([^\\/]+)[\\/]/.exec(path.resolve(file));
  return m ? m[1] : null;
}

function checkLayering(ts, program, rootSet) {
  const diags = [];
  for (const sf of program.getSourceFiles()) {
    if (!rootSet.has(path.resolve(sf.fileName))) continue;
    const layer = layerOf(sf.fileName);
    if (!layer || !(layer in ALLOWED)) continue;
    for (const st of sf.statements) {
      if (!(ts.isImportDeclaration(st) || ts.isExportDeclaration(st)) || !st.moduleSpecifier || !ts.isStringLiteral(st.moduleSpecifier)) continue;
      const spec = st.moduleSpecifier.text;
      const typeOnly = ts.isImportDeclaration(st) ? !!(st.importClause && st.importClause.isTypeOnly) : !!st.isTypeOnly;
      let msg = null;
      if (/^@(ohos|kit|system)\./.test(spec)) {
        if (SYSTEM_FREE.has(layer) && !(spec === '@ohos.base' && typeOnly)) {
          msg = `'${layer}/' is plain ArkTS: it may not import '${spec}' (only \`import type\` from '@ohos.base'); reach the system through a port.`;
        }
      } else if (spec.startsWith('.')) {
        const target = layerOf(path.resolve(path.dirname(sf.fileName), spec) + '.ets');
        const allowed = ALLOWED[layer];
        if (target && target !== layer && allowed !== null && !allowed.includes(target)) {
          msg = `'${layer}/' may not depend on '${target}/' (dependencies point one way: ${layer} -> ${allowed.join(', ') || 'nothing outside itself'}).`;
        }
      }
      if (msg) {
        diags.push({ file: sf, start: st.moduleSpecifier.getStart(sf), length: st.moduleSpecifier.getWidth(sf),
          messageText: `${msg} (project-layering)`, category: ts.DiagnosticCategory.Error, code: 'project-layering' });
      }
    }
  }
  return diags;
}

module.exports = { checkLayering };
