/**
 * Reproducible zip archives for Lambda code. Entries are sorted, carry one
 * fixed timestamp and fixed permissions, so the same files give the same
 * bytes on every machine: the archive's SHA-256 then changes exactly when the
 * code does. fflate does the zip format (a small, well-kept library with no
 * dependencies), in-process: cdktf's AssetType.ARCHIVE spawns a Node process
 * per synthesis and stamps entries with file mtimes.
 */
import { zipSync, type Zippable } from 'fflate';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Zip times are local DOS times from 1980 on; one fixed value keeps archives reproducible. */
const ZIP_MTIME = new Date(1980, 0, 1, 0, 0, 0);
/** Regular file, rw-r--r--: readable by the Lambda runtime's user (high 16 bits of the external attributes). */
const UNIX_FILE_ATTRS = 0o100644 << 16;

export interface Archive {
  /** Path of the written zip. */
  readonly archive: string;
  /** Base64 SHA-256 of the zip: what Lambda reports as CodeSha256 and `source_code_hash` expects. */
  readonly archiveSha256: string;
}

function filesUnder(dir: string, prefix = ''): [string, string][] {
  return readdirSync(dir)
    .sort()
    .flatMap((name): [string, string][] => {
      const path = join(dir, name);
      return statSync(path).isDirectory()
        ? filesUnder(path, `${prefix}${name}/`)
        : [[`${prefix}${name}`, path]];
    });
}

export function sha256Base64(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('base64');
}

/** Writes a reproducible zip of every file under `dir` (paths relative to it) to `archive`. */
export function zipDirectorySync(dir: string, archive: string): Archive {
  const entries: Zippable = {};
  for (const [name, path] of filesUnder(dir)) {
    entries[name] = [
      readFileSync(path),
      { level: 9, mtime: ZIP_MTIME, os: 3, attrs: UNIX_FILE_ATTRS },
    ];
  }
  const zip = zipSync(entries);
  writeFileSync(archive, zip);
  return { archive, archiveSha256: sha256Base64(zip) };
}
