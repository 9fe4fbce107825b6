/*
 * Archives (`.bmbackup`, docs/archive-format.md) on the command line. A read command (`sets`, `apps`,
 * `verify`, `export`) given an archive as its PATH verifies it whole (ArchiveReader.scan: every header, every
 * entry's SHA-256, the manifests, the trailer, the end) and unpacks it into a private temporary folder of
 * this process (CliContext.tempDir: removed when the command ends, however it ends) as a repository that
 * keeps the archive's set ids; nothing is ever written next to the archive. A truncated or damaged archive
 * is refused with the reader's message (exit 2) before anything is unpacked. An encrypted archive (format
 * version 2) unpacks into an encrypted repository (its own header, sealed manifests, ciphertext blobs): the
 * command opens it with --key as it opens any encrypted repository, and verify --full authenticates every blob.
 *
 * Why unpack rather than read in place: the reader checks an archive only from start to end (the trailer
 * vouches for the table of contents), so a command that trusted one entry without reading the rest could
 * act on an archive that is truncated or not the one it seems; the repository's own commands then run
 * unchanged on what was verified.
 */
import * as fs from 'node:fs';
import { ArchiveContents } from '../../entry/src/main/ets/backup/archive/ArchiveReader';
import { TOC_NAME } from '../../entry/src/main/ets/backup/archive/ArchiveFormat';
import { ArchiveStaging } from '../../entry/src/main/ets/backup/archive/ArchiveStaging';
import { FileStore } from '../../entry/src/main/ets/backup/port/FileStore';
import { NodeByteChannel } from '../host/NodeByteChannel';
import { NodeFileStore } from '../host/NodeFileStore';
import { absolutePath, cliErrorOf, CliContext } from './context';
import { existingFolder, openRepository } from './repo';

export const ARCHIVE_SUFFIX = '.bmbackup';

/** Whether PATH names an archive: a regular file called *.bmbackup, or one whose first entry is the archive's table of contents. */
export function isArchiveFile(p: string): boolean {
  let st: fs.Stats;
  try {
    st = fs.statSync(p);
  } catch {
    return false;
  }
  if (!st.isFile()) {
    return false;
  }
  if (p.endsWith(ARCHIVE_SUFFIX)) {
    return true;
  }
  let fd = -1;
  try {
    fd = fs.openSync(p, 'r');
    const b = Buffer.alloc(100);
    const n = fs.readSync(fd, b, 0, b.length, 0);
    const end = b.indexOf(0);
    return b.subarray(0, end >= 0 && end < n ? end : n).toString('latin1') === TOC_NAME;
  } catch {
    return false;
  } finally {
    if (fd >= 0) {
      fs.closeSync(fd);
    }
  }
}

/**
 * Whether the archive at p says it is encrypted (format version 2): a look at its table of contents only,
 * to choose how to import it; the archive is verified whole when it is read. false when unsure.
 */
export function archiveSaysEncrypted(p: string): boolean {
  let fd = -1;
  try {
    fd = fs.openSync(p, 'r');
    const head = Buffer.alloc(512);
    if (fs.readSync(fd, head, 0, 512, 0) < 512) {
      return false;
    }
    const size = parseInt(head.subarray(124, 135).toString('latin1'), 8);
    if (!Number.isInteger(size) || size <= 0 || size > 32 * 1024 * 1024) {
      return false;
    }
    const toc = Buffer.alloc(size);
    if (fs.readSync(fd, toc, 0, size, 512) < size) {
      return false;
    }
    const doc = JSON.parse(toc.toString('latin1')) as Record<string, unknown>;
    return doc.encrypted === true;
  } catch {
    return false;
  } finally {
    if (fd >= 0) {
      fs.closeSync(fd);
    }
  }
}

/** What a read command reads: a folder as given, or an archive unpacked into a temporary repository. */
export class ReadSource {
  constructor(
    /** The folder the command opens (absolute, '/'-separated). */
    readonly root: string,
    /** The archive's absolute path; undefined for a folder. */
    readonly archive: string | undefined,
    /** What the archive's check found; undefined for a folder. */
    readonly contents: ArchiveContents | undefined,
  ) {}

  /** How to name it to the user: the archive, not the temporary folder it was unpacked into. */
  display(): string {
    return this.archive ?? this.root;
  }
}

/**
 * PATH of a read command: an existing folder (exit 2 otherwise), or an archive verified and unpacked (see
 * the header). `what` prefixes messages (e.g. '--from ').
 */
export async function readSource(ctx: CliContext, given: string, what: string = ''): Promise<ReadSource> {
  const abs = absolutePath(given);
  if (!isArchiveFile(abs)) {
    return new ReadSource(existingFolder(given, what), undefined, undefined);
  }
  const contents = await unpackArchive(ctx, given, what);
  return new ReadSource(contents.root, abs, contents.contents);
}

class Unpacked {
  constructor(readonly root: string, readonly contents: ArchiveContents) {}
}

/** Verifies the archive whole, then lays it out as a repository in a temporary folder (backup/archive/ArchiveStaging). */
async function unpackArchive(ctx: CliContext, given: string, what: string): Promise<Unpacked> {
  const abs = absolutePath(given);
  const files = new NodeFileStore();
  try {
    const staged = await new ArchiveStaging(files, new NodeByteChannel(), ctx.logger).stage(abs,
      `${absolutePath(ctx.tempDir('archive'))}/stage`, (f: FileStore, root: string) => openRepository(ctx, f, root, 0));
    return new Unpacked(staged.repo.root(), staged.contents);
  } catch (e) {
    throw cliErrorOf(e as Error, `${what}${given}`);
  }
}
