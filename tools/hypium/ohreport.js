'use strict';
// Reads the OHOS_REPORT_* lines that hypium prints through AbilityDelegator.print (on a device `aa test`
// relays them to stdout) and turns them into per-case results, a summary and an exit code.
//   per case:  OHOS_REPORT_STATUS: class=<suite> ... test=<case> ... OHOS_REPORT_STATUS_CODE: <n>
//              n: 1 started, 0 pass, -1 error (exception), -2 failure (assertion), -3 ignored
//   at the end: OHOS_REPORT_RESULT: stream=Tests run: N, Failure: F, Error: E, Pass: P[, Ignore: I]
//              OHOS_REPORT_CODE: <n>   (hypium sets -1 only for failures, so errors are judged here)
const STATUS = { 0: 'pass', '-1': 'error', '-2': 'fail', '-3': 'ignore' };

function parseOhReport(text) {
  const cases = [];
  let suite = ''; let test = ''; let stack = []; let inStack = false;
  let result = null; let reportCode = null;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    let m;
    if ((m = /^OHOS_REPORT_STATUS: class=(.*)$/.exec(line))) { suite = m[1]; inStack = false; }
    else if ((m = /^OHOS_REPORT_STATUS: test=(.*)$/.exec(line))) { test = m[1]; inStack = false; }
    else if ((m = /^OHOS_REPORT_STATUS: stack=(.*)$/.exec(line))) { stack = [m[1]]; inStack = true; }
    else if ((m = /^OHOS_REPORT_STATUS_CODE: (-?\d+)$/.exec(line))) {
      const code = Number(m[1]);
      if (code !== 1) cases.push({ suite, test, status: STATUS[code] || `code ${code}`, message: stack.join('\n') });
      stack = []; inStack = false;
    } else if ((m = /^OHOS_REPORT_RESULT: stream=Tests run: (\d+), Failure: (\d+), Error: (\d+), Pass: (\d+)(?:, Ignore: (\d+))?/.exec(line))) {
      result = { total: +m[1], failure: +m[2], error: +m[3], pass: +m[4], ignore: +(m[5] || 0) };
    } else if ((m = /^OHOS_REPORT_CODE: (-?\d+)$/.exec(line))) {
      reportCode = Number(m[1]);
    } else if (line.startsWith('OHOS_REPORT_')) {
      inStack = false;
    } else if (inStack && line) {
      stack.push(line);
    }
  }
  const reasons = [];
  if (!result) reasons.push('no final OHOS_REPORT_RESULT line (crash, hang or the tests never started)');
  else {
    if (result.failure > 0) reasons.push(`${result.failure} failure(s)`);
    if (result.error > 0) reasons.push(`${result.error} error(s)`);
    if (result.total === 0) reasons.push('no tests ran');
  }
  if (reportCode !== null && reportCode !== 0 && reasons.length === 0) reasons.push(`OHOS_REPORT_CODE ${reportCode}`);
  return { cases, result, reportCode, reasons, exitCode: reasons.length ? 1 : 0 };
}

function formatSummary(parsed, opts = {}) {
  const out = [];
  for (const c of parsed.cases) {
    if (opts.quiet && c.status === 'pass') continue;
    const mark = { pass: 'PASS', fail: 'FAIL', error: 'ERROR', ignore: 'SKIP' }[c.status] || c.status;
    out.push(`${mark.padEnd(5)} ${c.suite}#${c.test}${c.message ? `\n      ${c.message.replace(/\n/g, '\n      ')}` : ''}`);
  }
  const r = parsed.result;
  if (r) out.push(`Tests run: ${r.total}, Pass: ${r.pass}, Failure: ${r.failure}, Error: ${r.error}, Ignore: ${r.ignore}`);
  if (parsed.exitCode) out.push(`FAILED: ${parsed.reasons.join('; ')}`);
  const passed = r ? r.pass : 0;
  const failed = r ? r.failure + r.error : 0;
  // The closing line CI reads. A run with no result or no tests counts one failure, so it never reads as green.
  const shown = parsed.exitCode && failed === 0 ? 1 : failed;
  out.push(`${passed} passed, ${shown} failed${r && r.ignore ? `, ${r.ignore} skipped` : ''}`);
  return out.join('\n');
}

module.exports = { parseOhReport, formatSummary };

if (require.main === module) {   // hdc shell aa test ... | node tools/hypium/ohreport.js
  let buf = '';
  process.stdin.setEncoding('utf8');
  process.stdin.on('data', (d) => { buf += d; });
  process.stdin.on('end', () => {
    const p = parseOhReport(buf);
    console.log(formatSummary(p));
    process.exitCode = p.exitCode;
  });
}
