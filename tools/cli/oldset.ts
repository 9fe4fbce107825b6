/*
 * A set of the old layout (DIR/sets/<id>, written before the repository) made restorable by the engine,
 * which streams every file from a blob: the set is staged as a one-set repository in a temporary folder
 * (removed when the command ends). Each file
 * is copied to the blob its set.json names, the recorded SHA-256, not the copy's own: the restore hashes
 * every blob as it sends it, so a file damaged since its backup fails its app alone, as the old restore
 * did, and a missing file leaves its blob missing (the same). The old set is only read.
 */
import { FileStore, FileStoreError, StoreErrorKind } from '../../entry/src/main/ets/backup/port/FileStore';
import { BundleOutcome, SetManifest, SetStoreError } from '../../entry/src/main/ets/backup/model/SetManifest';
import { RepoHeader, RepoLayout, serializeRepoHeader } from '../../entry/src/main/ets/backup/repo/RepoLayout';
import { Repository } from '../../entry/src/main/ets/backup/repo/Repository';
import {
  AppEntry, BlobRef, RepoFile, serializeSnapshotManifest, SnapshotManifest,
} from '../../entry/src/main/ets/backup/repo/SnapshotManifest';
import { BackupSetStore } from '../../entry/src/main/ets/backup/store/BackupSetStore';
import { absolutePath, cliErrorOf, CliContext } from './context';
import { openRepository } from './repo';

async function copyTo(files: FileStore, src: string, target: string): Promise<boolean> {
  let fd: number;
  try {
    fd = await files.openRead(src);
  } catch (e) {
    if (e instanceof FileStoreError && (e.kind === StoreErrorKind.NOT_FOUND || e.kind === StoreErrorKind.NOT_A_FILE)) {
      return false;   // the restore finds the blob missing and fails that app
    }
    throw e;
  }
  try {
    await files.copyFromFd(fd, target);
    return true;
  } finally {
    files.closeQuietly(fd);
  }
}

/** The file's path when every folder on the way is a real folder; undefined otherwise (a link is not followed). */
async function checkedPath(store: BackupSetStore, setId: string, bundleId: string, uri: string): Promise<string | undefined> {
  try {
    return await store.checkedFilePath(setId, bundleId, uri);
  } catch (e) {
    if (e instanceof SetStoreError) {
      return undefined;   // the restore finds the blob missing and fails that app
    }
    throw e;
  }
}

/** The old set `setId` under oldRoot as a one-set repository (same set id) in a temporary folder. */
export async function stageOldSet(ctx: CliContext, files: FileStore, oldRoot: string, setId: string): Promise<Repository> {
  const store = new BackupSetStore(files, oldRoot, ctx.logger);
  let m: SetManifest;
  try {
    m = await store.get(setId);
  } catch (e) {
    throw cliErrorOf(e as Error, `${store.setDir(setId)}: not a readable backup set`);
  }
  const root = absolutePath(ctx.tempDir('old-set'));
  const layout = new RepoLayout(root);
  try {
    for (const dir of [layout.blobsDir, layout.snapshotsDir, layout.tmpDir, layout.runsDir, layout.noticesDir]) {
      await files.mkdirs(dir);
    }
    await files.writeTextAtomic(layout.header, serializeRepoHeader(new RepoHeader()));
    const snap = new SnapshotManifest();
    snap.id = m.id;
    snap.createdAt = m.createdAt;
    snap.finishedAt = Math.max(m.createdAt, m.finishedAt);
    snap.device = m.device;
    snap.importedFrom = store.setDir(setId);
    // The capability file: a real blob (named by its own hash), as the plan reads it.
    const capsTemp = `${layout.tmpDir}/capabilities.json`;
    if (await copyTo(files, store.capabilitiesPath(setId), capsTemp)) {
      const facts = await files.hashFile(capsTemp);
      await files.mkdirs(layout.blobDir(facts.sha256));
      await files.rename(capsTemp, layout.blobPath(facts.sha256));
      const ref = new BlobRef();
      ref.blob = facts.sha256;
      ref.size = facts.size;
      snap.capabilities = ref;
    }
    const placed = new Set<string>();
    for (const b of m.bundles) {
      const e = new AppEntry();
      e.id = b.id;
      e.name = b.name;
      e.appIndex = b.appIndex;
      e.versionName = b.versionName;
      e.versionCode = b.versionCode;
      e.outcome = b.outcome;
      e.errorCode = b.errorCode;
      e.errorKind = b.errorKind;
      e.errorMessage = b.errorMessage;
      e.resultReport = b.resultReport;
      if (b.outcome === BundleOutcome.DONE) {
        for (const f of b.files) {
          if (!placed.has(f.sha256)) {
            await files.mkdirs(layout.blobDir(f.sha256));
            const src = await checkedPath(store, setId, b.id, f.uri);
            if (src !== undefined && await copyTo(files, src, layout.blobPath(f.sha256))) {
              placed.add(f.sha256);
            }
          }
          const rf = new RepoFile();
          rf.uri = f.uri;
          rf.blob = f.sha256;
          rf.size = f.size;
          e.files.push(rf);
        }
      }
      snap.apps.push(e);
    }
    await files.writeTextAtomic(layout.snapshotPath(snap.id), serializeSnapshotManifest(snap));
  } catch (e) {
    throw cliErrorOf(e as Error, `${store.setDir(setId)}: cannot be read for the restore`);
  }
  return openRepository(ctx, files, root);
}
