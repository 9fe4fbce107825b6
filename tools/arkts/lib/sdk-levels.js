'use strict';
// The SDK levels and device types the DevEco build uses, read from the project's own files:
// build-profile.json5 (app.products[*].compileSdkVersion / compatibleSdkVersion / targetSdkVersion; every
// product must agree, since the host check has one set of declarations) and entry/src/main/module.json5
// (module.deviceTypes, which decide the syscap set `sdk-syscap` checks against).
const fs = require('fs');
const path = require('path');
const JSON5 = require('json5');

function readJson5(file) {
  return JSON5.parse(fs.readFileSync(file, 'utf8'));
}

/** { compileSdk, compatibleSdk, targetSdk, problems[] } from build-profile.json5 under root. */
function readLevels(root) {
  const file = path.join(root, 'build-profile.json5');
  const problems = [];
  let products = [];
  try {
    const app = (readJson5(file).app || {});
    products = Array.isArray(app.products) ? app.products : [];
  } catch (e) {
    return { compileSdk: undefined, compatibleSdk: undefined, targetSdk: undefined, file, problems: [`cannot read ${file}: ${e.message}`] };
  }
  if (products.length === 0) problems.push(`${file} declares no app.products`);
  const pick = (key) => {
    const values = new Map();
    for (const p of products) {
      const v = p[key];
      values.set(p.name || '?', v === undefined ? undefined : Number(v));
    }
    const distinct = [...new Set(values.values())];
    if (distinct.length > 1) {
      problems.push(`products disagree on ${key} (${[...values].map(([n, v]) => `${n}: ${v}`).join(', ')}); ` +
        'the host check has one set of SDK declarations, so every product must use the same level');
    }
    return distinct[0];
  };
  const compileSdk = pick('compileSdkVersion');
  const compatibleSdk = pick('compatibleSdkVersion');
  const targetSdk = pick('targetSdkVersion');
  if (!Number.isInteger(compileSdk)) problems.push(`compileSdkVersion missing or not a whole number in ${file}`);
  if (!Number.isInteger(compatibleSdk)) problems.push(`compatibleSdkVersion missing or not a whole number in ${file}`);
  if (Number.isInteger(compileSdk) && Number.isInteger(compatibleSdk) && compatibleSdk > compileSdk) {
    problems.push(`compatibleSdkVersion ${compatibleSdk} is newer than compileSdkVersion ${compileSdk}`);
  }
  if (targetSdk !== undefined && Number.isInteger(compileSdk) && targetSdk > compileSdk) {
    problems.push(`targetSdkVersion ${targetSdk} is newer than compileSdkVersion ${compileSdk}`);
  }
  return { compileSdk, compatibleSdk, targetSdk, file, problems };
}

/** module.deviceTypes of entry/src/main/module.json5 under root ([] when unreadable). */
function readDeviceTypes(root) {
  try {
    const m = readJson5(path.join(root, 'entry', 'src', 'main', 'module.json5')).module || {};
    return Array.isArray(m.deviceTypes) ? m.deviceTypes.map(String) : [];
  } catch (e) {
    return [];
  }
}

module.exports = { readLevels, readDeviceTypes };
