'use strict';
// The `ets` block of ets-loader's compilerOptions (developtools_ace_ets2bundle compiler/tsconfig.json),
// with the component lists derived from the component declarations actually in use.
const fs = require('fs');
const path = require('path');

const EMIT_DECORATORS = [
  'Entry:1', 'Component:0', 'Reusable:0', 'CustomDialog:0', 'Consume:1', 'Link:0', 'LocalStorageLink:1',
  'LocalStorageProp:1', 'ObjectLink:0', 'Prop:0', 'Provide:1', 'State:0', 'StorageLink:1', 'StorageProp:1',
  'Builder:0', 'LocalBuilder:0', 'BuilderParam:0', 'Observed:0', 'Require:0', 'Sendable:0', 'Track:0',
  'ComponentV2:1', 'ObservedV2:0', 'Trace:0', 'Local:0', 'Param:0', 'Once:0', 'Event:0', 'Monitor:1',
  'Provider:1', 'Consumer:1', 'Computed:0', 'Type:1', 'Env:1',
].map((s) => { const [name, p] = s.split(':'); return { name, emitParameters: p === '1' }; });

// `declare const X: XInterface` names that are not UI components.
const NOT_COMPONENTS = new Set(['Common', 'ForEach', 'LazyForEach', 'GestureGroup', 'TapGesture',
  'LongPressGesture', 'PanGesture', 'SwipeGesture', 'PinchGesture', 'RotationGesture']);

function etsOptions(componentDir) {
  const components = new Set();
  const withAttributes = new Set();
  for (const f of fs.readdirSync(componentDir)) {
    if (!/\.d\.e?ts$/.test(f)) continue;
    const text = fs.readFileSync(path.join(componentDir, f), 'utf8');
    for (const m of text.matchAll(/^\s*declare\s+const\s+(\w+)\s*:\s*(\w+)Interface\b/gm)) {
      if (m[1] === m[2] && !NOT_COMPONENTS.has(m[1])) components.add(m[1]);
    }
    for (const m of text.matchAll(/^\s*declare\s+class\s+(\w+)Attribute\b/gm)) withAttributes.add(m[1]);
  }
  const names = [...components].sort();
  return {
    emitDecorators: EMIT_DECORATORS,
    propertyDecorators: ['Link', 'Prop', 'ObjectLink', 'Consume'].map((name) => ({ name, needInitialization: false })),
    render: { method: ['build', 'pageTransition'], decorator: ['LocalBuilder', 'Builder'] },
    components: names,
    extend: {
      decorator: ['Extend', 'AnimatableExtend'],
      components: names.filter((n) => withAttributes.has(n)).map((name) => ({ name, type: `${name}Attribute`, instance: `${name}Instance` })),
    },
    styles: { decorator: 'Styles', component: { name: 'Common', type: 'T', instance: 'CommonInstance' }, property: 'stateStyles' },
    concurrent: { decorator: 'Concurrent' },
    customComponent: 'CustomComponent',
    syntaxComponents: {
      paramsUICallback: ['ForEach', 'LazyForEach'],
      attrUICallback: [{ name: 'Repeat', attributes: ['each', 'template'] }],
    },
  };
}

module.exports = { etsOptions };
