'use strict';
// The references from project code to SDK declarations, as DevEco's JSDoc checks see them: every
// identifier and every property name in the checked files that resolves to a declaration in an SDK file
// (the SDK declarations or the project's stand-ins for full-SDK files in tools/stubs). A call or `new`
// resolves to the overload it picks; an object literal's property names resolve through the literal's
// contextual type (`const cb: backup.GeneralCallbacks = { onBackupSizeReport: ... }`).
const path = require('path');

function isInTypePosition(ts, id) {
  for (let p = id.parent, child = id; p; child = p, p = p.parent) {
    if (ts.isExpressionWithTypeArguments(p) && p.parent && ts.isHeritageClause(p.parent)) {
      return p.parent.token === ts.SyntaxKind.ImplementsKeyword || ts.isInterfaceDeclaration(p.parent.parent);
    }
    if (ts.isTypeNode(p) || ts.isQualifiedName(p) || ts.isTypeParameterDeclaration(p)) {
      if (ts.isTypeNode(p)) return true;
      continue;
    }
    return false;
  }
  return false;
}

function isImportOrExportName(ts, id) {
  const p = id.parent;
  return ts.isImportSpecifier(p) || ts.isImportClause(p) || ts.isNamespaceImport(p) || ts.isExportSpecifier(p) ||
    ts.isImportEqualsDeclaration(p) || ts.isExternalModuleReference(p);
}

/** The call or `new` whose callee `id` names (`f()`, `a.b.f()`, `new a.C()`), or undefined. */
function calleeOf(ts, id) {
  let e = id;
  if (ts.isPropertyAccessExpression(e.parent) && e.parent.name === e) e = e.parent;
  const p = e.parent;
  if (p && (ts.isCallExpression(p) || ts.isNewExpression(p)) && p.expression === e) return p;
  return undefined;
}

function makeRefs(ts, checker, isSdkFile) {
  const sdkDecls = (decls) => (decls || []).filter((d) => isSdkFile(path.resolve(d.getSourceFile().fileName)));

  function resolve(id) {
    const call = calleeOf(ts, id);
    if (call) {
      const sig = checker.getResolvedSignature(call);
      const d = sig && sig.declaration;
      if (d && !ts.isJSDocSignature(d)) {
        const own = sdkDecls([d]);
        if (own.length) return own;
      }
    }
    const p = id.parent;
    if ((ts.isPropertyAssignment(p) || ts.isShorthandPropertyAssignment(p) || ts.isMethodDeclaration(p)) &&
      p.name === id && ts.isObjectLiteralExpression(p.parent)) {
      const type = checker.getContextualType(p.parent);
      if (!type) return [];
      const out = [];
      for (const t of type.isUnion() ? type.types : [type]) {
        const prop = checker.getPropertyOfType(t, id.text);
        if (prop) out.push(...sdkDecls(prop.declarations));
      }
      return out;
    }
    if (ts.isDeclaration(p) && p.name === id) return [];
    let sym = checker.getSymbolAtLocation(id);
    if (!sym) return [];
    if (sym.flags & ts.SymbolFlags.Alias) {
      try { sym = checker.getAliasedSymbol(sym); } catch (e) { return []; }
    }
    return sdkDecls(sym.declarations);
  }

  /** Calls visit(id, decls, typePosition) for every reference of a checked file to SDK declarations. */
  function forEachReference(sf, visit) {
    const walk = (node) => {
      if (ts.isIdentifier(node) && !isImportOrExportName(ts, node)) {
        const decls = resolve(node);
        if (decls.length) visit(node, decls, isInTypePosition(ts, node));
      }
      ts.forEachChild(node, walk);
    };
    walk(sf);
  }

  return { forEachReference, resolve };
}

/** A readable name for a declaration: container.member. */
function declName(ts, decl) {
  const parts = [];
  for (let n = decl; n && !ts.isSourceFile(n); n = n.parent) {
    if (n.name && ts.isIdentifier(n.name)) parts.unshift(n.name.text);
    else if (ts.isConstructorDeclaration(n)) parts.unshift('constructor');
    if (ts.isModuleDeclaration(n) && n.parent && ts.isSourceFile(n.parent)) break;
  }
  return parts.join('.');
}

module.exports = { makeRefs, declName, isInTypePosition, calleeOf };
