'use strict';
// Rule `sdk-throws`: a call (or `new`) of a function, method or constructor whose declaration carries a
// JSDoc `@throws` must be handled where it is made. This is DevEco's "Function may throw exceptions.
// Special handling is required." (the ArkTS compiler's checkThrowableFunction), made sound where that one
// is lenient:
//   handled   inside the `try` block of a try/catch in the same function, or in a function or method
//             whose own JSDoc declares `@throws` (it passes the error on, and its callers are checked);
//   not handled, unlike DevEco: a call inside an arrow function or a constructor (DevEco skips those), a
//             try outside the arrow function the call is in (the arrow may run later, outside it), a
//             promise call followed by `.catch(...)` (the API can throw before it returns a promise), a
//             callback overload (AsyncCallback parameter: parameter and permission errors are still
//             thrown synchronously), and `@throws { BusinessError } 401` alone (DevEco skips 401 tags of
//             files under a DevEco SDK folder only).
// Declarations count wherever they are, except packages in node_modules other than the SDK declarations.
const path = require('path');
const { throwsOf, docHost } = require('./sdk-jsdoc');
const { declName } = require('./sdk-refs');

function isFunctionBoundary(ts, n) {
  return ts.isFunctionLike(n) && !ts.isFunctionTypeNode(n) && !ts.isConstructorTypeNode(n) && !ts.isMethodSignature(n) &&
    !ts.isCallSignatureDeclaration(n) && !ts.isConstructSignatureDeclaration(n) && !ts.isIndexSignatureDeclaration(n);
}

/** How the call at `node` is handled: 'try', 'declared', or undefined. */
function handling(ts, node) {
  for (let child = node, p = node.parent; p; child = p, p = p.parent) {
    if (ts.isTryStatement(p) && p.catchClause && child === p.tryBlock) return 'try';
    if (isFunctionBoundary(ts, p)) {
      return throwsOf(ts, p).length > 0 || (ts.isArrowFunction(p) || ts.isFunctionExpression(p)) &&
        p.parent && throwsOf(ts, docHost(ts, p.parent)).length > 0 ? 'declared' : undefined;
    }
  }
  return undefined;
}

/** Where DevEco puts the warning: the callee name, or the object a method is called on. */
function reportNode(ts, call) {
  const e = call.expression;
  if (ts.isPropertyAccessExpression(e)) return e.name;
  return e;
}

function checkSdkThrows(ts, program, rootFiles, isCheckedDeclFile) {
  const checker = program.getTypeChecker();
  const diags = [];
  for (const sf of rootFiles) {
    const walk = (node) => {
      if (ts.isCallExpression(node) || ts.isNewExpression(node)) {
        const sig = checker.getResolvedSignature(node);
        const decl = sig && sig.declaration;
        if (decl && !ts.isJSDocSignature(decl) && isCheckedDeclFile(path.resolve(decl.getSourceFile().fileName))) {
          const tags = throwsOf(ts, decl);
          if (tags.length && !handling(ts, node)) {
            const at = reportNode(ts, node);
            const codes = [...new Set(tags.map((t) => t.code).filter((c) => c !== undefined))];
            diags.push({ file: sf, start: at.getStart(sf), length: at.getWidth(sf), category: ts.DiagnosticCategory.Error,
              code: 'sdk-throws',
              messageText: `'${declName(ts, decl) || at.getText(sf)}' may throw (@throws${codes.length ? ' ' + codes.join(', ') : ''}): ` +
                'call it inside a try whose catch handles the error, or declare @throws on the enclosing function ' +
                'and handle it in its callers. DevEco: "Function may throw exceptions. Special handling is required." (sdk-throws)' });
          }
        }
      }
      ts.forEachChild(node, walk);
    };
    walk(sf);
  }
  return diags;
}

module.exports = { checkSdkThrows, handling };
