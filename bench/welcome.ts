/**
 * Size and cold start of the welcome function's bundle.
 *
 *   npx tsx bench/welcome.ts
 *
 * Size: the bundle directory zipped exactly as cdktf's TerraformAsset (type
 * ARCHIVE) zips it for Lambda (cdktf's own archiver routine, zlib level 9).
 * Cold start: time to `require` index.js in a fresh Node process, which is
 * the part of a Lambda cold start the code controls (module-scope SDK
 * clients, logger, schemas), median of several runs.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundleWelcome } from '../stacks/welcome-bundle';
import { median } from './measure';

export const ZIPPED_TARGET_BYTES = 200 * 1024;
export const LOAD_TARGET_MS = 100;
const LOAD_RUNS = 9;

export interface BenchRow {
  name: string;
  value: number;
  unit: string;
  /** Upper bound the value should stay under; absent for information-only rows. */
  target?: number;
  ok?: boolean;
}

/** Zips `dir` with the routine TerraformAsset runs (node cdktf/lib/private/fs.js src dest). */
function zipLikeTerraformAsset(dir: string, zipPath: string): number {
  execFileSync(process.execPath, [require.resolve('cdktf/lib/private/fs.js'), dir, zipPath]);
  return statSync(zipPath).size;
}

/** Milliseconds to require `entry` in a fresh Node process, as that process measures it. */
function loadTimeMs(entry: string, cwd: string): number {
  const script =
    'const t=process.hrtime.bigint();require(process.argv[1]);' +
    'process.stdout.write(String(Number(process.hrtime.bigint()-t)/1e6))';
  const out = execFileSync(process.execPath, ['--no-warnings', '-e', script, entry], {
    cwd,
    env: {
      PATH: process.env.PATH,
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE',
      AWS_SECRET_ACCESS_KEY: 'placeholder',
    },
    encoding: 'utf8',
  });
  return Number(out);
}

/** Largest contributors to the minified bundle, by package. */
function topPackages(
  metafile: ReturnType<typeof bundleWelcome>['metafile'],
  count: number,
): [string, number][] {
  const output = Object.values(metafile.outputs)[0];
  const byPackage = new Map<string, number>();
  for (const [path, { bytesInOutput }] of Object.entries(output.inputs)) {
    const name = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path)?.[1] ?? '(this project)';
    byPackage.set(name, (byPackage.get(name) ?? 0) + bytesInOutput);
  }
  return [...byPackage.entries()].sort((a, b) => b[1] - a[1]).slice(0, count);
}

export function runWelcomeBench(): BenchRow[] {
  const work = mkdtempSync(join(tmpdir(), 'welcome-bench-'));
  try {
    // Outside the repository, so a require that escaped bundling would fail here.
    const bundle = bundleWelcome({ outdir: join(work, 'welcome') });
    const zipped = zipLikeTerraformAsset(bundle.dir, join(work, 'archive.zip'));
    loadTimeMs(bundle.entry, work); // warm the OS file cache; not counted
    const loads = Array.from({ length: LOAD_RUNS }, () => loadTimeMs(bundle.entry, work));
    const loadMedian = median(loads);
    return [
      {
        name: 'welcome bundle, zipped',
        value: zipped,
        unit: 'bytes',
        target: ZIPPED_TARGET_BYTES,
        ok: zipped <= ZIPPED_TARGET_BYTES,
      },
      { name: 'welcome bundle, index.js', value: bundle.bytes, unit: 'bytes' },
      {
        name: `welcome cold load (require), median of ${LOAD_RUNS}`,
        value: Math.round(loadMedian * 10) / 10,
        unit: 'ms',
        target: LOAD_TARGET_MS,
        ok: loadMedian <= LOAD_TARGET_MS,
      },
      {
        name: 'welcome cold load, fastest',
        value: Math.round(Math.min(...loads) * 10) / 10,
        unit: 'ms',
      },
      {
        name: 'welcome cold load, slowest',
        value: Math.round(Math.max(...loads) * 10) / 10,
        unit: 'ms',
      },
      ...topPackages(bundle.metafile, 5).map(([name, bytes]) => ({
        name: `  minified bytes from ${name}`,
        value: bytes,
        unit: 'bytes',
      })),
    ];
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

export function printTable(rows: readonly BenchRow[]): void {
  const width = Math.max(...rows.map((r) => r.name.length));
  console.log(`${'measure'.padEnd(width)}  ${'value'.padStart(12)}  target`);
  for (const row of rows) {
    const value = `${row.value.toLocaleString('en-US')} ${row.unit}`;
    const target =
      row.target === undefined
        ? ''
        : `<= ${row.target.toLocaleString('en-US')} ${row.unit} ${row.ok ? 'ok' : 'MISSED'}`;
    console.log(`${row.name.padEnd(width)}  ${value.padStart(12)}  ${target}`);
  }
}

if (require.main === module) {
  const rows = runWelcomeBench();
  printTable(rows);
  if (rows.some((row) => row.ok === false)) process.exitCode = 1;
}
