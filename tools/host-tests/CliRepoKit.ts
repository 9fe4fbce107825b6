/*
 * Repositories for the CLI's repository tests, made the way a user can make one without the device:
 * folders in backup_tool's layout (written here, with chosen file times) imported with `import`.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { cliIn, CliRun } from './CliKit';

/** 2026-07-01 10:00:00 UTC. */
export const T1 = Date.UTC(2026, 6, 1, 10, 0, 0);
/** A day later. */
export const T2 = T1 + 24 * 3600 * 1000;

export function capsJson(apps: string[]): string {
  const infos = apps.map((name) => ({
    allToBackup: true, appIndex: 0, extensionName: 'ext', fullBackupOnly: false, name, requireCompatibility: false,
    restoreDeps: '', spaceOccupied: 100, supportScene: '', versionCode: 1000000, versionName: '1.0.0',
  }));
  return JSON.stringify({
    backupVersion: '26', bundleInfos: infos, deviceType: 'phone', increAppIndex: true,
    systemFullName: 'OpenHarmony-6.0.0.0',
  });
}

/** One app of a backup_tool folder: its data files (uri -> content); manage.json lists them unless noManage. */
export interface ToolApp {
  id: string;
  files: Record<string, string>;
  noManage?: boolean;
}

/** Writes a backup_tool folder at dir with every file dated `time`. */
export function toolFolder(dir: string, apps: ToolApp[], time: number): string {
  fs.mkdirSync(dir, { recursive: true });
  const when = new Date(time);
  for (const a of apps) {
    const bundle = path.join(dir, a.id);
    fs.mkdirSync(bundle, { recursive: true });
    const names = Object.keys(a.files);
    for (const uri of names) {
      fs.writeFileSync(path.join(bundle, uri), a.files[uri]);
    }
    if (a.noManage !== true) {
      fs.writeFileSync(path.join(bundle, 'manage.json'), JSON.stringify(names.map((n) => ({ fileName: n }))));
    }
    for (const name of fs.readdirSync(bundle)) {
      fs.utimesSync(path.join(bundle, name), when, when);
    }
  }
  fs.writeFileSync(path.join(dir, 'capabilities.json'), capsJson(apps.map((a) => a.id)));
  return dir;
}

/** `import repo --from folder --json`; throws unless it made a set. */
export async function importSet(repo: string, folder: string): Promise<string> {
  const r: CliRun = await cliIn(['import', repo, '--from', folder, '--json']);
  const doc = r.json();
  if (typeof doc.setId !== 'string') {
    throw new Error(`import made no set (exit ${r.code}): ${r.stdout}${r.stderr}`);
  }
  return doc.setId;
}

export const NOTES_V1 = 'notes, first version';
export const NOTES_V2 = 'notes, second version, longer';
export const MAIL = 'mail, the same in both';

/**
 * A repository of two sets under dir/repo: set 1 (T1) notes v1 and mail, set 2 (T2) notes v2 and the same
 * mail. Returns [repo, set 1, set 2].
 */
export async function twoSets(dir: string): Promise<string[]> {
  const repo = path.join(dir, 'repo');
  const a = toolFolder(path.join(dir, 'tool1'), [
    { id: 'com.example.notes', files: { 'part.0.tar': NOTES_V1 } },
    { id: 'com.example.mail', files: { 'part.0.tar': MAIL } },
  ], T1);
  const b = toolFolder(path.join(dir, 'tool2'), [
    { id: 'com.example.notes', files: { 'part.0.tar': NOTES_V2 } },
    { id: 'com.example.mail', files: { 'part.0.tar': MAIL } },
  ], T2);
  const s1 = await importSet(repo, a);
  const s2 = await importSet(repo, b);
  return [repo, s1, s2];
}

/** The path of a blob in a repository. */
export function blobPath(repo: string, blob: string): string {
  return path.join(repo, 'blobs', blob.substring(0, 2), blob);
}

/** The blob of an app's uri in a set (read from its manifest). */
export function blobOf(repo: string, setId: string, appId: string, uri: string): string {
  const m = JSON.parse(fs.readFileSync(path.join(repo, 'snapshots', `${setId}.json`), 'utf8')) as {
    apps: { id: string; files: { uri: string; blob: string }[] }[];
  };
  const app = m.apps.find((a) => a.id === appId);
  const f = app?.files.find((x) => x.uri === uri);
  if (f === undefined) {
    throw new Error(`no ${appId}/${uri} in ${setId}`);
  }
  return f.blob;
}

/** Every file under dir, relative, sorted. */
export function tree(dir: string): string[] {
  const out: string[] = [];
  const walk = (rel: string): void => {
    for (const name of fs.readdirSync(path.join(dir, rel))) {
      const r = rel === '' ? name : `${rel}/${name}`;
      if (fs.lstatSync(path.join(dir, r)).isDirectory()) {
        walk(r);
      } else {
        out.push(r);
      }
    }
  };
  walk('');
  return out.sort();
}
