'use strict';
// Run-time guards the SDK rules recognise: what is known at a node because of the conditions that must
// have held for control to reach it. Two kinds of fact:
//   level  the device's API level is at least K (for `sdk-since`)
//   caps   canIUse('SystemCapability.X') returned true (for `sdk-syscap`)
//
// An API-level expression is `deviceInfo.sdkApiVersion`, or a name or property called `apiLevel` or
// `sdkApiVersion` (the project's convention for a value holding the device's API level, e.g. one injected
// for tests). A level is a numeric literal or a `const`/`readonly` name initialised with one
// (API_LEVEL_18 = 18). Recognised conditions, combined with `!`, `&&`, `||` and parentheses:
//   LEVEL >= N, LEVEL > N, LEVEL === N (and the mirrored N <= LEVEL, ...); canIUse('S')
// A fact holds at a node only when a guard dominates it:
//   if (C) { node }            if (C) {...} else { node }      (C false there)
//   C ? node : x               C ? x : node                    C && node          C || node
//   an earlier statement of an enclosing block `if (C) { ...; return|throw }` (C false after it), or an
//   earlier statement that calls a guard function: a function or method of the project whose body starts
//   with `if (LEVEL < p) { throw ... }` for a parameter p, called with a level for p
//   (ApiLevel.require('member', API_LEVEL_18) in platform/PlatformBackupModule.ets).
// Arrow functions and function expressions created under a guard keep its facts (the level and the
// device's syscaps do not change while the app runs); a function or method declaration, a constructor or
// an accessor starts with no facts, since it can be called from anywhere.

const NONE = Object.freeze({ level: 0, caps: new Set() });

function merge(a, b) { // both hold
  return { level: Math.max(a.level, b.level), caps: new Set([...a.caps, ...b.caps]) };
}
function meet(a, b) { // one of them holds
  return { level: Math.min(a.level, b.level), caps: new Set([...a.caps].filter((c) => b.caps.has(c))) };
}

function unparen(ts, e) {
  while (e && (ts.isParenthesizedExpression(e) || ts.isNonNullExpression(e))) e = e.expression;
  return e;
}

function makeGuards(ts, checker) {
  function constInit(e, test) {
    e = unparen(ts, e);
    if (test(e)) return e;
    if (!ts.isIdentifier(e) && !ts.isPropertyAccessExpression(e)) return undefined;
    let sym = checker.getSymbolAtLocation(e);
    if (sym && (sym.flags & ts.SymbolFlags.Alias)) sym = checker.getAliasedSymbol(sym);
    const d = sym && sym.valueDeclaration;
    if (!d || !d.initializer || !test(d.initializer)) return undefined;
    if (ts.isVariableDeclaration(d) && d.parent && (d.parent.flags & ts.NodeFlags.Const)) return d.initializer;
    if (ts.isPropertyDeclaration(d) && (ts.getCombinedModifierFlags(d) & ts.ModifierFlags.Readonly)) return d.initializer;
    return undefined;
  }
  function levelConst(e) {
    const n = constInit(e, ts.isNumericLiteral);
    return n ? Number(n.text) : undefined;
  }
  function stringConst(e) {
    const s = constInit(e, (x) => ts.isStringLiteral(x) || ts.isNoSubstitutionTemplateLiteral(x));
    return s ? s.text : undefined;
  }
  function isLevelExpr(e) {
    e = unparen(ts, e);
    const name = ts.isIdentifier(e) ? e.text : ts.isPropertyAccessExpression(e) ? e.name.text : undefined;
    return name === 'apiLevel' || name === 'sdkApiVersion';
  }
  function isCanIUse(e) {
    e = unparen(ts, e);
    return ts.isCallExpression(e) && ts.isIdentifier(e.expression) && e.expression.text === 'canIUse' &&
      e.arguments.length === 1 ? stringConst(e.arguments[0]) : undefined;
  }

  // The level known when `LEVEL op N` (or `N op LEVEL`) is true (when === true) or false.
  function comparison(e, when) {
    const op = e.operatorToken.kind;
    const K = ts.SyntaxKind;
    let levelLeft;
    let n;
    if (isLevelExpr(e.left) && (n = levelConst(e.right)) !== undefined) levelLeft = true;
    else if (isLevelExpr(e.right) && (n = levelConst(e.left)) !== undefined) levelLeft = false;
    else return 0;
    // normalise to LEVEL op' N
    const mirror = { [K.GreaterThanToken]: K.LessThanToken, [K.GreaterThanEqualsToken]: K.LessThanEqualsToken,
      [K.LessThanToken]: K.GreaterThanToken, [K.LessThanEqualsToken]: K.GreaterThanEqualsToken };
    const o = levelLeft ? op : (mirror[op] !== undefined ? mirror[op] : op);
    if (when) {
      if (o === K.GreaterThanEqualsToken || o === K.EqualsEqualsEqualsToken || o === K.EqualsEqualsToken) return n;
      if (o === K.GreaterThanToken) return n + 1;
    } else {
      if (o === K.LessThanToken || o === K.ExclamationEqualsEqualsToken || o === K.ExclamationEqualsToken) return n;
      if (o === K.LessThanEqualsToken) return n + 1;
    }
    return 0;
  }

  /** Facts known when condition `e` evaluated to `when`. */
  function factsOf(e, when) {
    e = unparen(ts, e);
    if (ts.isPrefixUnaryExpression(e) && e.operator === ts.SyntaxKind.ExclamationToken) return factsOf(e.operand, !when);
    if (ts.isBinaryExpression(e)) {
      const k = e.operatorToken.kind;
      if (k === ts.SyntaxKind.AmpersandAmpersandToken) {
        return when ? merge(factsOf(e.left, true), factsOf(e.right, true)) : meet(factsOf(e.left, false), factsOf(e.right, false));
      }
      if (k === ts.SyntaxKind.BarBarToken) {
        return when ? meet(factsOf(e.left, true), factsOf(e.right, true)) : merge(factsOf(e.left, false), factsOf(e.right, false));
      }
      const level = comparison(e, when);
      return level ? { level, caps: new Set() } : NONE;
    }
    const cap = isCanIUse(e);
    if (cap !== undefined && when) return { level: 0, caps: new Set([cap]) };
    return NONE;
  }

  function alwaysExits(s, throwOnly) {
    if (!s) return false;
    if (ts.isThrowStatement(s)) return true;
    if (ts.isReturnStatement(s)) return !throwOnly;
    if (ts.isBlock(s)) return s.statements.some((x) => alwaysExits(x, throwOnly));
    if (ts.isIfStatement(s)) return alwaysExits(s.thenStatement, throwOnly) && alwaysExits(s.elseStatement, throwOnly);
    return false;
  }

  // A guard function: `if (LEVEL < p) { throw }` first in its body; the level is the argument given for p.
  const guardParamCache = new Map();
  function guardParamIndex(decl) {
    if (guardParamCache.has(decl)) return guardParamCache.get(decl);
    let index = -1;
    const first = decl.body && ts.isBlock(decl.body) ? decl.body.statements[0] : undefined;
    if (first && ts.isIfStatement(first) && !first.elseStatement && alwaysExits(first.thenStatement, true)) {
      const c = unparen(ts, first.expression);
      if (ts.isBinaryExpression(c)) {
        const K = ts.SyntaxKind;
        let p;
        if (c.operatorToken.kind === K.LessThanToken && isLevelExpr(c.left)) p = unparen(ts, c.right);
        else if (c.operatorToken.kind === K.GreaterThanToken && isLevelExpr(c.right)) p = unparen(ts, c.left);
        if (p && ts.isIdentifier(p)) index = decl.parameters.findIndex((q) => ts.isIdentifier(q.name) && q.name.text === p.text);
      }
    }
    guardParamCache.set(decl, index);
    return index;
  }
  function guardCallLevel(stmt) {
    if (!ts.isExpressionStatement(stmt)) return 0;
    const call = unparen(ts, stmt.expression);
    if (!ts.isCallExpression(call)) return 0;
    const sig = checker.getResolvedSignature(call);
    const decl = sig && sig.declaration;
    if (!decl || !(ts.isMethodDeclaration(decl) || ts.isFunctionDeclaration(decl))) return 0;
    if (decl.getSourceFile().isDeclarationFile) return 0;
    const i = guardParamIndex(decl);
    if (i < 0 || i >= call.arguments.length) return 0;
    const n = levelConst(call.arguments[i]);
    return n === undefined ? 0 : n;
  }

  function statementsOf(p) {
    if (ts.isBlock(p) || ts.isSourceFile(p) || ts.isModuleBlock(p) || ts.isCaseClause(p) || ts.isDefaultClause(p)) return p.statements;
    return undefined;
  }

  /** Everything known at `node` from the guards that dominate it. */
  function factsAt(node) {
    let facts = NONE;
    for (let child = node, p = node.parent; p; child = p, p = p.parent) {
      if (ts.isFunctionDeclaration(p) || ts.isMethodDeclaration(p) || ts.isConstructorDeclaration(p) ||
        ts.isGetAccessorDeclaration(p) || ts.isSetAccessorDeclaration(p) || ts.isClassLike(p)) break;
      if (ts.isIfStatement(p)) {
        if (child === p.thenStatement) facts = merge(facts, factsOf(p.expression, true));
        else if (child === p.elseStatement) facts = merge(facts, factsOf(p.expression, false));
      } else if (ts.isConditionalExpression(p)) {
        if (child === p.whenTrue) facts = merge(facts, factsOf(p.condition, true));
        else if (child === p.whenFalse) facts = merge(facts, factsOf(p.condition, false));
      } else if (ts.isBinaryExpression(p) && child === p.right) {
        if (p.operatorToken.kind === ts.SyntaxKind.AmpersandAmpersandToken) facts = merge(facts, factsOf(p.left, true));
        else if (p.operatorToken.kind === ts.SyntaxKind.BarBarToken) facts = merge(facts, factsOf(p.left, false));
      } else {
        const list = statementsOf(p);
        if (list) {
          for (const s of list) {
            if (s === child) break;
            if (ts.isIfStatement(s)) {
              if (alwaysExits(s.thenStatement, false)) facts = merge(facts, factsOf(s.expression, false));
              if (s.elseStatement && alwaysExits(s.elseStatement, false)) facts = merge(facts, factsOf(s.expression, true));
            } else {
              const level = guardCallLevel(s);
              if (level) facts = merge(facts, { level, caps: new Set() });
            }
          }
        }
      }
    }
    return facts;
  }

  return { factsAt, isCanIUse, isLevelExpr, levelConst };
}

module.exports = { makeGuards };
