'use strict';
/*
 * Loads a TypeScript entry that imports the ArkTS core (.ets) on Node: bundled in memory with esbuild the
 * way tools/hypium/run.js bundles tests (tools/host/ets-bundle.js), then required.
 *
 * The bundle is cached under node_modules/.cache/backup-manager/, keyed by the entry; the cache records
 * every input file esbuild read with its mtime and size, and is rebuilt when any of them changed (or this
 * file, or esbuild's version). Writes are atomic, so concurrent CLI runs never see half a bundle.
 */
const fs = require('fs');
const path = require('path');
const crypto = require('crypto');

const { ROOT, etsBuildOptions, formatBuildErrors, installUiDecorators } = require('../host/ets-bundle');

const CACHE_DIR = path.join(ROOT, 'node_modules', '.cache', 'backup-manager');

/** Bundles entry; returns { code, inputs: absolute paths of every file read }. Throws with esbuild's messages. */
async function build(entry) {
  const esbuild = require('esbuild');
  let result;
  try {
    result = await esbuild.build(etsBuildOptions({
      entryPoints: [entry],
      // Node packages (cli-progress) stay require()d from node_modules.
      packages: 'external',
      metafile: true, absWorkingDir: ROOT, outfile: path.join(CACHE_DIR, 'out.js'),
    }));
  } catch (e) {
    throw new Error(`could not bundle ${path.relative(ROOT, entry)}:\n${formatBuildErrors(e)}`);
  }
  const inputs = Object.keys(result.metafile.inputs).map((p) => path.resolve(ROOT, p));
  return { code: result.outputFiles[0].text, inputs };
}

function fileStamp(p) {
  try {
    const s = fs.statSync(p);
    return `${s.mtimeMs}:${s.size}`;
  } catch {
    return 'missing';
  }
}

function cacheNames(entry) {
  const esbuildVersion = require('esbuild/package.json').version;
  const id = crypto.createHash('sha256')
    .update(`${path.resolve(entry)}\n${esbuildVersion}\n${fileStamp(__filename)}\n${fileStamp(require.resolve('../host/ets-bundle'))}\n${process.version}`)
    .digest('hex').slice(0, 16);
  return { bundle: path.join(CACHE_DIR, `${id}.js`), stamps: path.join(CACHE_DIR, `${id}.inputs.json`) };
}

function cacheIsFresh(names) {
  let recorded;
  try {
    recorded = JSON.parse(fs.readFileSync(names.stamps, 'utf8'));
  } catch {
    return false;
  }
  if (!Array.isArray(recorded) || recorded.length === 0 || !fs.existsSync(names.bundle)) return false;
  return recorded.every((r) => Array.isArray(r) && fileStamp(r[0]) === r[1]);
}

function writeAtomic(file, text) {
  const temp = `${file}.${process.pid}.${Date.now()}.tmp`;
  try {
    fs.writeFileSync(temp, text);
    fs.renameSync(temp, file);
  } catch (e) {
    fs.rmSync(temp, { force: true });
    throw e;
  }
}

/**
 * Returns the module exports of entry (a .ts file), from the cache when fresh.
 * BACKUP_MANAGER_NO_CACHE=1 always rebuilds and writes nothing.
 */
async function loadEntry(entry) {
  installUiDecorators();
  process.setSourceMapsEnabled(true);
  const useCache = process.env.BACKUP_MANAGER_NO_CACHE !== '1';
  const names = cacheNames(entry);
  if (useCache && cacheIsFresh(names)) {
    return require(names.bundle);
  }
  const built = await build(entry);
  let cached = false;
  if (useCache) {
    try {
      fs.mkdirSync(CACHE_DIR, { recursive: true });
      writeAtomic(names.bundle, built.code);
      writeAtomic(names.stamps, JSON.stringify(built.inputs.map((p) => [p, fileStamp(p)])));
      cached = true;
    } catch {
      // A read-only or full node_modules only costs the cache: the bundle runs from memory.
    }
  }
  if (cached) {
    return require(names.bundle);
  }
  const m = new module.constructor(names.bundle, module);
  m.filename = names.bundle;
  m.paths = module.paths;
  m._compile(built.code, names.bundle);
  return m.exports;
}

module.exports = { loadEntry };
