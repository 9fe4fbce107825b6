'use strict';
// TEMPORARY allowlist of SDK-rule findings that other work in flight fixes (sdk-pending.json). Each entry
// names one site: file (relative to the project), rule, and the trimmed text of the reported line (the line
// number is for people; the text keeps the entry valid while lines move). A listed finding is printed as
// PENDING and does not fail the check; an entry that matches nothing fails it ("stale"), so the list is
// emptied as the fixes land. Only the sdk-* rules can be listed.
const fs = require('fs');
const path = require('path');

const FILE = path.join(__dirname, 'sdk-pending.json');

function loadPending(file) {
  file = file || FILE;
  if (!fs.existsSync(file)) return { file, entries: [] };
  const data = JSON.parse(fs.readFileSync(file, 'utf8'));
  const entries = (Array.isArray(data.entries) ? data.entries : []).map((e) => ({
    file: String(e.file), rule: String(e.rule), line: Number(e.line), text: String(e.text).trim(), used: false,
  }));
  for (const e of entries) {
    if (!/^sdk-(since|throws|syscap)$/.test(e.rule)) throw new Error(`${file}: only sdk-* rules can be pending (${e.rule})`);
  }
  return { file, entries };
}

/** Marks the entry matching a result (root-relative file, rule, line text) and returns it, or undefined. */
function matchPending(pending, relFile, rule, lineText) {
  const text = lineText.trim();
  const e = pending.entries.find((x) => x.file === relFile && x.rule === rule && x.text === text);
  if (e) e.used = true;
  return e;
}

module.exports = { loadPending, matchPending, PENDING_FILE: FILE };
