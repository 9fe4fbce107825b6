/*
 * Shared by the host suites of the FileStore implementations (NodeFileStore, FsFileStore on its stand-ins).
 */
import { FileStoreError } from '../../entry/src/main/ets/backup/port/FileStore';

/** The FileStoreError work rejects with; fails the test when it succeeds or rejects with anything else. */
export async function errorOf(work: Promise<unknown>): Promise<FileStoreError> {
  try {
    await work;
  } catch (e) {
    if (e instanceof FileStoreError) {
      return e;
    }
    throw new Error(`not a FileStoreError: ${String(e)}`);
  }
  throw new Error('expected a FileStoreError, the call succeeded');
}
