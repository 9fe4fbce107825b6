/*
 * ProcessInfo on Node: process.pid, os.hostname(), and liveness by signal 0 (kill(pid, 0): no such process
 * is DEAD; a process of another user, EPERM, is ALIVE). A dead holder's pid may have been reused by an
 * unrelated process, which then reads as ALIVE: the lock waits for its heartbeat to go stale instead.
 */
import * as os from 'node:os';
import { Liveness, ProcessInfo } from '../../entry/src/main/ets/backup/port/ProcessInfo';

export class NodeProcessInfo implements ProcessInfo {
  pid(): number {
    return process.pid;
  }

  host(): string {
    return os.hostname();
  }

  liveness(pid: number): Liveness {
    if (!Number.isSafeInteger(pid) || pid <= 0) {
      return Liveness.UNKNOWN;
    }
    try {
      process.kill(pid, 0);
      return Liveness.ALIVE;
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ESRCH') {
        return Liveness.DEAD;
      }
      return code === 'EPERM' ? Liveness.ALIVE : Liveness.UNKNOWN;
    }
  }
}
