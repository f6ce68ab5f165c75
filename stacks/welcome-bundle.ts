/**
 * Bundles the welcome function into one self-contained `index.js` for the
 * Lambda asset (the CDKTF construct wraps the directory in a TerraformAsset).
 *
 * The AWS SDK clients are bundled rather than taken from the runtime
 * (docs/design.md, "The function runs on nodejs22.x with its own AWS SDK"), and the output
 * must be byte-for-byte deterministic: the asset hash
 * is computed from the directory's contents, so it must change only when the
 * code does. esbuild is deterministic for the same inputs; on top of that the
 * bundle holds no absolute paths, timestamps or source maps, and the output
 * directory is emptied first so stale files cannot end up in the archive.
 */
import { buildSync, version as esbuildVersion, type BuildOptions, type Metafile } from 'esbuild';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { sha256Base64, zipDirectorySync } from './zip';

/** Repository root (this file lives in stacks/). */
const ROOT = resolve(__dirname, '..');

export const WELCOME_ENTRY = join(ROOT, 'handlers', 'welcome', 'index.ts');
/** Under cdktf.out, which is git-ignored. */
export const DEFAULT_WELCOME_BUNDLE_DIR = join(ROOT, 'cdktf.out', '.assets-src', 'welcome');

export interface WelcomeBundleOptions {
  /** Directory to write index.js into; emptied first. */
  outdir?: string;
  /**
   * Reuse the bundle already in `outdir` when esbuild, the build options and
   * the content of every input file are unchanged. Synthesis runs on every
   * `cdktf synth`, `plan` and `deploy`; rebundling the SDK each time costs
   * about a third of a second for identical bytes.
   * @default true
   */
  cache?: boolean;
}

export interface WelcomeBundle {
  /** The directory to archive for Lambda (contains only index.js). */
  dir: string;
  /** Absolute path of the bundled index.js. */
  entry: string;
  /** Lambda handler setting for this bundle. */
  handler: 'index.handler';
  /** Size of index.js in bytes. */
  bytes: number;
  /** esbuild's metafile, to see what the bundle is made of. Not written to `dir`. */
  metafile: Metafile;
  /**
   * The deployment package: a zip of index.js with a fixed timestamp, so the
   * same code gives the same bytes on every machine. Beside `dir`, not in it.
   */
  archive: string;
  /**
   * Base64 SHA-256 of `archive`: what Lambda reports as CodeSha256 and what
   * `source_code_hash` must equal, or every plan would show a code update.
   */
  archiveSha256: string;
}

function sha256(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

/** What a bundle was built from, kept beside (not inside) the asset directory. */
interface BuildStamp {
  readonly key: string;
  readonly inputs: Record<string, string>;
  readonly output: string;
  readonly archiveSha256: string;
  readonly metafile: Metafile;
}

function stampPath(dir: string): string {
  return `${dir}.build.json`;
}

function archivePath(dir: string): string {
  return `${dir}.zip`;
}

/** The cached bundle, when every input still has the content it was built from. */
function cachedBundle(dir: string, key: string): WelcomeBundle | undefined {
  const entry = join(dir, 'index.js');
  if (!existsSync(stampPath(dir)) || !existsSync(entry)) return undefined;
  let stamp: BuildStamp;
  try {
    stamp = JSON.parse(readFileSync(stampPath(dir), 'utf8')) as BuildStamp;
  } catch {
    return undefined;
  }
  if (stamp.key !== key) return undefined;
  const code = readFileSync(entry);
  if (sha256(code) !== stamp.output) return undefined;
  const archive = archivePath(dir);
  if (!existsSync(archive)) return undefined;
  if (sha256Base64(readFileSync(archive)) !== stamp.archiveSha256) return undefined;
  for (const [input, hash] of Object.entries(stamp.inputs)) {
    const file = join(ROOT, input);
    if (!existsSync(file) || sha256(readFileSync(file)) !== hash) return undefined;
  }
  return {
    dir,
    entry,
    handler: 'index.handler',
    bytes: code.length,
    metafile: stamp.metafile,
    archive,
    archiveSha256: stamp.archiveSha256,
  };
}

export function bundleWelcome(options: WelcomeBundleOptions = {}): WelcomeBundle {
  const dir = resolve(options.outdir ?? DEFAULT_WELCOME_BUNDLE_DIR);
  const entry = join(dir, 'index.js');
  const buildOptions = {
    absWorkingDir: ROOT,
    entryPoints: [WELCOME_ENTRY],
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    minify: true,
    sourcemap: false,
    // ES module builds first: the SDK and zod tree-shake far better than their CJS builds.
    mainFields: ['module', 'main'],
    // Keep the licence notices of bundled packages (at the end, out of the way).
    legalComments: 'eof',
    metafile: true,
    logLevel: 'silent',
  } satisfies BuildOptions;
  const key = sha256(JSON.stringify({ esbuildVersion, buildOptions }));
  if (options.cache !== false) {
    const cached = cachedBundle(dir, key);
    if (cached) return cached;
  }

  rmSync(dir, { recursive: true, force: true });
  rmSync(stampPath(dir), { force: true });
  rmSync(archivePath(dir), { force: true });
  mkdirSync(dir, { recursive: true });
  const result = buildSync({ ...buildOptions, outfile: entry });
  if (result.errors.length > 0) {
    throw new Error(`bundling the welcome function failed: ${result.errors[0].text}`);
  }
  const output = Object.values(result.metafile.outputs)[0];
  const inputs = Object.fromEntries(
    Object.keys(result.metafile.inputs).map((input) => [
      input,
      sha256(readFileSync(join(ROOT, input))),
    ]),
  );
  const archive = archivePath(dir);
  const { archiveSha256 } = zipDirectorySync(dir, archive);
  const stamp: BuildStamp = {
    key,
    inputs,
    output: sha256(readFileSync(entry)),
    archiveSha256,
    metafile: result.metafile,
  };
  writeFileSync(stampPath(dir), JSON.stringify(stamp));
  return {
    dir,
    entry,
    handler: 'index.handler',
    bytes: output.bytes,
    metafile: result.metafile,
    archive,
    archiveSha256,
  };
}
