/*
 * The simulated device's byte-for-byte check of a restore, moved after the clock stops.
 *
 * After publishFile the mock hashes every file it received and compares it with what it produced; only
 * then does the bundle end, so the engine's restore time would hold the device's own hashing (about a
 * third of it with 16 MiB files, even with that hashing in a worker thread: the last bundles wait for
 * it). This FileStore, given to the mock in the throughput benchmark, defers that check without
 * weakening it:
 *
 *   - while deferring, hashFile() of a file the mock received (found by its place: <bundle folder>/<uri>)
 *     answers at once with the sha256 the backup set records for it, and remembers the claim;
 *   - when the mock removes a folder holding claimed files, the folder is moved aside instead;
 *   - settle() (after the timed run) hashes every claimed file for real and throws when one differs from
 *     the set, then removes what was moved aside.
 *
 * A file it cannot place, and everything while not deferring, goes to the wrapped store as it is. The
 * mock itself is unchanged, and so is what a test of it sees: tests never use this store.
 */
import * as path from 'node:path';
import { FileFacts, FileStore } from '../../entry/src/main/ets/backup/port/FileStore';
import { bundleDirName } from '../../entry/src/main/ets/mock/AppExtension';
import { DelegatingFileStore } from './DelegatingFileStore';

interface Claim {
  path: string;
  facts: FileFacts;
}

export class DeferredRestoreCheck extends DelegatingFileStore {
  /** "<bundle folder>/<uri>" -> what the set records. */
  private readonly expected: Map<string, FileFacts> = new Map<string, FileFacts>();
  private readonly holdDir: string;
  private deferring: boolean = false;
  private claims: Claim[] = [];
  private held: number = 0;
  /** Removals, one after the other: a folder and its parent may be removed at the same time. */
  private removals: Promise<void> = Promise.resolve();

  /** holdDir: an existing empty folder on the same file system as the mock's work folder. */
  constructor(inner: FileStore, holdDir: string) {
    super(inner);
    this.holdDir = holdDir;
  }

  /** What a restore of the set delivers: bundle id, uri, size and sha256 of every file. */
  expect(bundleId: string, uri: string, facts: FileFacts): void {
    this.expected.set(`${bundleDirName(bundleId)}/${uri}`, facts);
  }

  /** From now on the mock's checks of received files are answered from the set and checked in settle(). */
  defer(): void {
    this.deferring = true;
  }

  /** Stops deferring; hashes every claimed file for real; throws when one differs from the set. */
  async settle(): Promise<number> {
    this.deferring = false;
    await this.removals;
    const claims = this.claims;
    this.claims = [];
    const wrong: string[] = [];
    for (const c of claims) {
      let got = '';
      try {
        got = (await this.inner.hashFile(c.path)).sha256;
      } catch (e) {
        got = `unreadable (${(e as Error).message})`;
      }
      if (got !== c.facts.sha256) {
        wrong.push(`${c.path}: ${got}, the set has ${c.facts.sha256}`);
      }
    }
    await this.inner.remove(this.holdDir);
    await this.inner.mkdirs(this.holdDir);
    if (wrong.length > 0) {
      throw new Error(`the device received ${wrong.length} file(s) different from the set: ${wrong.slice(0, 3).join('; ')}`);
    }
    return claims.length;
  }

  hashFile(p: string): Promise<FileFacts> {
    const facts = this.deferring ? this.expected.get(`${path.basename(path.dirname(p))}/${path.basename(p)}`) : undefined;
    if (facts === undefined) {
      return this.inner.hashFile(p);
    }
    this.claims.push({ path: p, facts });
    return Promise.resolve({ size: facts.size, sha256: facts.sha256 });
  }

  remove(p: string): Promise<void> {
    const next = this.removals.then(() => this.removeNow(p));
    this.removals = next.catch(() => undefined);
    return next;
  }

  private async removeNow(p: string): Promise<void> {
    const prefix = `${p}/`;
    const inside = this.claims.filter((c) => c.path.startsWith(prefix));
    if (inside.length === 0) {
      return this.inner.remove(p);
    }
    this.held++;
    const to = `${this.holdDir}/${this.held}`;
    await this.inner.rename(p, to);
    for (const c of inside) {
      c.path = `${to}/${c.path.substring(prefix.length)}`;
    }
  }
}
