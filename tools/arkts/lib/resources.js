'use strict';
// The $r('app.<type>.<name>') check of ets-loader, against the source resource folders
// (DevEco checks against the compiled ResourceTable; the names are the same).
const fs = require('fs');
const path = require('path');

const ELEMENT_TYPES = new Set(['string', 'color', 'float', 'integer', 'boolean', 'plural', 'strarray',
  'intarray', 'pattern', 'theme', 'symbol']);
const FILE_TYPES = new Set(['media', 'profile']);

function isDir(p) { try { return fs.statSync(p).isDirectory(); } catch (e) { return false; } }

/** Reads every qualifier folder (base, zh_CN, dark, ...) of a resources dir into {type: Set(name)}. */
function readResourceTable(dirs) {
  const table = new Map();
  const add = (type, name) => { if (!table.has(type)) table.set(type, new Set()); table.get(type).add(name); };
  for (const dir of dirs) {
    if (!isDir(dir)) continue;
    for (const qualifier of fs.readdirSync(dir)) {
      const qdir = path.join(dir, qualifier);
      if (!isDir(qdir) || qualifier === 'rawfile' || qualifier === 'resfile') continue;
      for (const kind of fs.readdirSync(qdir)) {
        const kdir = path.join(qdir, kind);
        if (!isDir(kdir)) continue;
        for (const f of fs.readdirSync(kdir)) {
          if (kind === 'element' && f.endsWith('.json')) {
            const json = JSON.parse(fs.readFileSync(path.join(kdir, f), 'utf8'));
            for (const type of Object.keys(json)) {
              if (Array.isArray(json[type])) json[type].forEach((e) => e && typeof e.name === 'string' && add(type, e.name));
            }
          } else if (FILE_TYPES.has(kind)) {
            add(kind, f.replace(/\.[^.]+$/, ''));
          }
        }
      }
    }
  }
  return table;
}

/** <module>/src/<main|test|ohosTest>/resources, the module's main resources, and AppScope/resources. */
function findResourceDirs(files) {
  const dirs = new Set();
  for (const f of files) {
    const m = f.match(/^(.*)[\\/]src[\\/](main|ohosTest|test)[\\/]/);
    if (!m) continue;
    dirs.add(path.join(m[1], 'src', m[2], 'resources'));
    dirs.add(path.join(m[1], 'src', 'main', 'resources'));
    dirs.add(path.join(m[1], '..', 'AppScope', 'resources'));
  }
  return [...dirs].filter(isDir);
}

function checkResources(ts, program, rootSet, resourceDirs) {
  const diags = [];
  if (resourceDirs.length === 0) return diags;
  const table = readResourceTable(resourceDirs);
  for (const sf of program.getSourceFiles()) {
    if (!rootSet.has(path.resolve(sf.fileName))) continue;
    const visit = (node) => {
      if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === '$r') {
        const arg = node.arguments[0];
        let msg = null;
        if (!arg || !ts.isStringLiteral(arg)) {
          msg = '$r() takes a string literal (the resource compiler cannot resolve computed names).';
        } else {
          const parts = arg.text.split('.');
          if (parts.length !== 3) msg = `Resource reference '${arg.text}' must have the form app.<type>.<name>.`;
          else if (parts[0] === 'app') {
            if (!ELEMENT_TYPES.has(parts[1]) && !FILE_TYPES.has(parts[1])) msg = `Unknown resource type '${parts[1]}'.`;
            else if (!table.has(parts[1]) || !table.get(parts[1]).has(parts[2])) msg = `Unknown resource name '${parts[2]}'.`;
          } else if (parts[0] !== 'sys') msg = `Unknown resource source '${parts[0]}'.`;
        }
        if (msg) {
          const at = arg || node;
          diags.push({ file: sf, start: at.getStart(sf), length: at.getWidth(sf), messageText: msg,
            category: ts.DiagnosticCategory.Error, code: 'unknown-resource' });
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(sf);
  }
  return diags;
}

module.exports = { checkResources, findResourceDirs, readResourceTable };
