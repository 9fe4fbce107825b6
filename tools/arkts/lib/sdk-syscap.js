'use strict';
// Rule `sdk-syscap`: a value reference (a call, a read) to an SDK declaration whose `@syscap` is not on
// every device type of module.json5 must be dominated by `canIUse('<that syscap>')` (sdk-guards.js).
//
// How DevEco decides (ets-loader's syscap check, api_check_utils.ts): it intersects the SysCaps lists of
// the SDK's api/device-define/<deviceType>.json for the module's deviceTypes and warns on every reference
// to a declaration whose own @syscap tag is not in that intersection, unless an `if (canIUse('<tag>'))`
// encloses it. The lists here are in sdk-syscaps.json (derived facts; the file says from which tags).
//
// One deliberate difference: a namespace tagged with a syscap that no device of these types declares at all
// (backgroundTaskManager's SystemCapability.ResourceSchedule.BackgroundTaskManager.Core, which no device
// lists) is judged by the member reached through it: `ns.member` is guarded by canIUse('<member's syscap>').
// DevEco accepts only canIUse('<namespace tag>') there, and that call returns false on every device, which
// would switch the feature off; so such a site may still draw DevEco's warning (README, DevEco section).
const fs = require('fs');
const path = require('path');
const { ownSyscap, syscapOf } = require('./sdk-jsdoc');
const { declName } = require('./sdk-refs');

function loadSyscaps(file) {
  const data = JSON.parse(fs.readFileSync(file || path.join(__dirname, 'sdk-syscaps.json'), 'utf8'));
  return { deviceTypes: data.deviceTypes, every: new Set(data.onEveryDevice), some: new Set(data.onSomeDevice) };
}

function checkSdkSyscap(ts, program, rootFiles, refs, guards, deviceTypes, data) {
  const diags = [];
  const missing = deviceTypes.filter((t) => !data.deviceTypes.includes(t));
  if (missing.length) {
    diags.push({ file: undefined, start: 0, length: 0, category: ts.DiagnosticCategory.Error, code: 'sdk-syscap',
      messageText: `module.json5 declares device type(s) ${missing.join(', ')} that tools/arkts/lib/sdk-syscaps.json has no ` +
        `syscap lists for (it covers ${data.deviceTypes.join(', ')}); add them from the SDK's device definitions. (sdk-syscap)` });
    return diags;
  }
  const types = deviceTypes.join(', ');
  for (const sf of rootFiles) {
    refs.forEachReference(sf, (id, decls, typePosition) => {
      if (typePosition) return;
      let cap;
      let which;
      for (const d of decls) {
        const c = ownSyscap(ts, d);
        if (c !== undefined) { cap = c; which = d; break; }
      }
      if (cap === undefined || data.every.has(cap)) return;
      const caps = guards.factsAt(id).caps;
      const name = declName(ts, which) || id.text;
      let msg;
      if (!data.some.has(cap) && ts.isPropertyAccessExpression(id.parent) && id.parent.expression === id) {
        const memberDecls = refs.resolve(id.parent.name);
        const member = memberDecls.map((d) => ownSyscap(ts, d) || syscapOf(ts, d)).find((c) => c !== undefined);
        if (member !== undefined && member !== cap) {
          if (caps.has(member)) return;
          msg = `'${name}' is tagged ${cap}, which no device type declared (${types}) has; what its member ` +
            `'${id.parent.name.text}' needs is ${member}: reach it only under \`if (canIUse('${member}'))\`. ` +
            `DevEco accepts only canIUse('${cap}') here, which is false on every device.`;
        }
      }
      if (!msg) {
        if (caps.has(cap)) return;
        msg = `'${name}' needs ${cap}, which not every device type declared (${types}) has: reach it only under ` +
          `\`if (canIUse('${cap}'))\`.`;
      }
      diags.push({ file: sf, start: id.getStart(sf), length: id.getWidth(sf), messageText: `${msg} (sdk-syscap)`,
        category: ts.DiagnosticCategory.Error, code: 'sdk-syscap' });
    });
  }
  return diags;
}

module.exports = { checkSdkSyscap, loadSyscaps };
