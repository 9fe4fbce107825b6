'use strict';
// Reading the SDK's JSDoc tags the way DevEco's checks read them: `@since`, `@throws`, `@syscap`.
//
// @since forms met in the SDK declarations: `@since 12`, `@since 12 dynamic` (ArkTS 1.1; `@since 22 static`
// is the ArkTS 1.2 level and is ignored), `@since arkts {'1.1':'12', '1.2':'20'}` (the 1.1 value counts).
// A declaration can carry several JSDoc blocks (one per API level that changed its tags); like ets-loader's
// SinceJSDocChecker the first `@since` found, block by block, is the level that introduced it. A declaration
// without one inherits the level of its container (interface, class, enum, namespace).
// @throws is read from the last JSDoc block (ts.getJSDocTags, as the compiler's own throws check does).

function tagText(ts, tag) {
  if (!tag.comment) return '';
  if (typeof tag.comment === 'string') return tag.comment;
  return tag.comment.map((c) => c.text || '').join('');
}

/** The ArkTS 1.1 API level one `@since` comment names, or undefined (an ArkTS 1.2-only level, or none). */
function parseSince(text) {
  const t = String(text).trim();
  const arkts = /^arkts\s*\{([^}]*)\}/.exec(t);
  if (arkts) {
    const m = /'1\.1'\s*:\s*'(\d+)'/.exec(arkts[1]);
    return m ? Number(m[1]) : undefined;
  }
  const m = /^(\d+)(?:\s+(dynamic|static|dynamiconly|staticonly))?\b/.exec(t);
  if (!m) return undefined;
  if (m[2] && m[2].startsWith('static')) return undefined;
  return Number(m[1]);
}

/** The node whose `jsDoc` documents `decl` (a variable's comment sits on its statement). */
function docHost(ts, decl) {
  if (ts.isVariableDeclaration(decl) && decl.parent && decl.parent.parent && ts.isVariableStatement(decl.parent.parent)) {
    return decl.parent.parent;
  }
  return decl;
}

function jsDocBlocks(ts, decl) {
  const host = docHost(ts, decl);
  return host.jsDoc || [];
}

/** The `@since` level written on `decl` itself, or undefined. */
function ownSince(ts, decl) {
  for (const block of jsDocBlocks(ts, decl)) {
    for (const tag of block.tags || []) {
      if (tag.tagName.escapedText !== 'since') continue;
      const v = parseSince(tagText(ts, tag));
      if (v !== undefined) return v;
    }
  }
  return undefined;
}

function isContainer(ts, node) {
  return ts.isInterfaceDeclaration(node) || ts.isClassDeclaration(node) || ts.isEnumDeclaration(node) ||
    ts.isModuleDeclaration(node) || ts.isTypeLiteralNode(node);
}

/** The declaration's API level: its own `@since`, else its nearest container's. */
function sinceOf(ts, decl) {
  for (let n = decl; n && !ts.isSourceFile(n); n = n.parent) {
    if (n === decl || isContainer(ts, n)) {
      const v = ownSince(ts, n);
      if (v !== undefined) return v;
    }
  }
  return undefined;
}

/** `@syscap` of the declaration or its nearest container that has one. */
function syscapOf(ts, decl) {
  for (let n = decl; n && !ts.isSourceFile(n); n = n.parent) {
    if (n !== decl && !isContainer(ts, n)) continue;
    for (const block of jsDocBlocks(ts, n)) {
      for (const tag of block.tags || []) {
        if (tag.tagName.escapedText === 'syscap') {
          const m = /SystemCapability\.[A-Za-z0-9_.]+/.exec(tagText(ts, tag));
          if (m) return m[0];
        }
      }
    }
  }
  return undefined;
}

/** `@syscap` written on the declaration itself (last JSDoc block, as DevEco reads it), or undefined. */
function ownSyscap(ts, decl) {
  for (const tag of ts.getJSDocTags(docHost(ts, decl))) {
    if (tag.tagName.escapedText === 'syscap') {
      const m = /SystemCapability\.[A-Za-z0-9_.]+/.exec(tagText(ts, tag));
      return m ? m[0] : tagText(ts, tag).trim();
    }
  }
  return undefined;
}

/** The `@throws` tags of the declaration (last JSDoc block), each as `{ code, text }`. */
function throwsOf(ts, decl) {
  const out = [];
  for (const tag of ts.getJSDocTags(docHost(ts, decl))) {
    if (tag.tagName.escapedText !== 'throws') continue;
    const text = tagText(ts, tag).replace(/\s+/g, ' ').trim();
    const m = /\}\s*(\d+)/.exec(text);
    out.push({ code: m ? Number(m[1]) : undefined, text });
  }
  return out;
}

module.exports = { parseSince, ownSince, sinceOf, syscapOf, ownSyscap, throwsOf, tagText, docHost };
