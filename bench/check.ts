/**
 * `npm run check` on generated rosters of 10 to 1000 people: median wall
 * time and peak memory over several runs, as a pre-commit hook runs it, and
 * the checker's own process without npm (`node dist/check.js`, which
 * `npm run check` has just bundled). Target: 1000 people well under a
 * second (at most 1 s, npm included).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { measure, median } from './measure';
import { generateRoster } from './synth';

export const CHECK_SIZES = [10, 100, 1000] as const;
export const CHECK_TARGET_SECONDS = 1;

export interface CheckRow {
  readonly people: number;
  readonly runs: number;
  readonly medianSeconds: number;
  readonly medianPeakMiB: number;
  /** The checker alone: `node dist/check.js`, no npm. */
  readonly medianCheckerSeconds: number;
}

export function runCheckBench(runs = 5, sizes: readonly number[] = CHECK_SIZES): CheckRow[] {
  const dir = mkdtempSync(join(tmpdir(), 'iam-onboarding-bench-check-'));
  try {
    return sizes.map((people) => {
      const roster = join(dir, `roster-${people}.json`);
      writeFileSync(roster, JSON.stringify(generateRoster(people), null, 2));
      const env = { ...process.env, ROSTER_FILE: roster, GITHUB_ACTIONS: '' };
      const npm = ['npm', 'run', '--silent', 'check'];
      const node = [process.execPath, 'dist/check.js'];
      measure(npm, env); // bundles dist/check.js and warms the file cache
      const samples = Array.from({ length: runs }, () => measure(npm, env));
      const checker = Array.from({ length: runs }, () => measure(node, env));
      return {
        people,
        runs,
        medianSeconds: median(samples.map((s) => s.seconds)),
        medianPeakMiB: median(samples.map((s) => s.peakMiB)),
        medianCheckerSeconds: median(checker.map((s) => s.seconds)),
      };
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function formatCheckRows(rows: readonly CheckRow[]): string {
  const lines = [
    '| people | runs | median wall (s) | median peak memory (MiB) | checker alone, no npm (s) |',
    '| -----: | ---: | --------------: | -----------------------: | ------------------------: |',
    ...rows.map(
      (r) =>
        `| ${r.people} | ${r.runs} | ${r.medianSeconds.toFixed(2)} | ${r.medianPeakMiB.toFixed(0)} | ${r.medianCheckerSeconds.toFixed(2)} |`,
    ),
  ];
  const thousand = rows.find((r) => r.people === 1000);
  if (thousand) {
    const ok = thousand.medianSeconds <= CHECK_TARGET_SECONDS;
    lines.push(
      '',
      `target 1000 people <= ${CHECK_TARGET_SECONDS} s: ${ok ? 'met' : 'MISSED'} (${thousand.medianSeconds.toFixed(2)} s)`,
    );
  }
  return lines.join('\n');
}

if (require.main === module) {
  console.log(formatCheckRows(runCheckBench(Number(process.env.BENCH_RUNS ?? 5))));
}
