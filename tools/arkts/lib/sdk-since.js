'use strict';
// Rule `sdk-since`: API levels. A declaration's level is its `@since` (sdk-jsdoc.js), else its container's.
//   - newer than compileSdkVersion: an error anywhere (the SDK that builds the app does not declare it);
//   - newer than compatibleSdkVersion: an error in a value position (a call, a read, a property written)
//     unless an API-level guard dominates the reference (sdk-guards.js lists the forms). Types are erased,
//     so a type position needs only compileSdkVersion.
const { sinceOf } = require('./sdk-jsdoc');
const { declName } = require('./sdk-refs');

function checkSdkSince(ts, program, rootFiles, refs, guards, levels) {
  const diags = [];
  if (!Number.isInteger(levels.compileSdk) || !Number.isInteger(levels.compatibleSdk)) return diags;
  for (const sf of rootFiles) {
    refs.forEachReference(sf, (id, decls, typePosition) => {
      let since;
      let which;
      for (const d of decls) {
        const s = sinceOf(ts, d);
        if (s !== undefined && (since === undefined || s < since)) { since = s; which = d; }
      }
      if (since === undefined) return;
      const name = declName(ts, which) || id.text;
      let msg;
      if (since > levels.compileSdk) {
        msg = `'${name}' is declared since API ${since}, newer than compileSdkVersion ${levels.compileSdk}: ` +
          'the SDK that builds the app does not have it.';
      } else if (!typePosition && since > levels.compatibleSdk) {
        const known = guards.factsAt(id).level;
        if (known < since) {
          msg = `'${name}' is API ${since}, newer than compatibleSdkVersion ${levels.compatibleSdk}: reach it only under ` +
            `an API-level guard (e.g. \`if (apiLevel >= ${since}) {...}\`; see tools/arkts/lib/sdk-guards.js)` +
            (known ? `; the guards here prove API ${known} only.` : '.');
        }
      }
      if (msg) {
        diags.push({ file: sf, start: id.getStart(sf), length: id.getWidth(sf), messageText: `${msg} (sdk-since)`,
          category: ts.DiagnosticCategory.Error, code: 'sdk-since' });
      }
    });
  }
  return diags;
}

module.exports = { checkSdkSince };
