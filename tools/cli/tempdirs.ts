/*
 * The CLI's temporary folders (the simulated device's, a demo's store): named after the process that made
 * them, `backup-manager-<label>-<pid>-XXXXXX` in the OS temp folder, and removed when the command ends. A
 * process killed outright (SIGKILL, a crash) cannot remove its own, so every command that makes one first
 * removes those whose process is gone: folders of this user, with that name, whose pid no longer runs.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const PREFIX = 'backup-manager-';
const NAME = /^backup-manager-[a-z]+-([0-9]+)-[A-Za-z0-9]{6}$/;

/** A new temporary folder for this process (not removed by this call's caller's end: see CliContext). */
export function makeTempDir(label: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `${PREFIX}${label}-${process.pid}-`));
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

/** Removes the temporary folders of CLI processes that are gone; returns how many. Never throws. */
export function removeOrphanedTempDirs(dir: string = os.tmpdir()): number {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return 0;
  }
  const uid = typeof process.getuid === 'function' ? process.getuid() : -1;
  let removed = 0;
  for (const name of names) {
    const m = NAME.exec(name);
    if (m === null) {
      continue;
    }
    const pid = Number(m[1]);
    if (!Number.isSafeInteger(pid) || pid <= 0 || pid === process.pid || isRunning(pid)) {
      continue;
    }
    const full = path.join(dir, name);
    try {
      const st = fs.lstatSync(full);
      if (!st.isDirectory() || (uid >= 0 && st.uid !== uid)) {
        continue;   // not a folder we could have made (a link, another user's)
      }
      fs.rmSync(full, { recursive: true, force: true });
      removed++;
    } catch {
      // Gone meanwhile, or not ours to remove: leave it.
    }
  }
  return removed;
}
