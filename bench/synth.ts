/**
 * `npm run synth` on generated rosters of 10 to 5000 people: median wall time
 * and peak memory over several runs. Target: 1000 people in at most 1.5 s,
 * cost linear in the roster.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { measure, median } from './measure';

export const SIZES = [10, 100, 1000, 5000] as const;

/** A roster of n plausible people spread over a few groups, with tags. */
export function generateRoster(n: number): unknown {
  const groups = ['developers', 'operators', 'analysts', 'billing', 'support'].map((g, i) => ({
    groupName: g,
    policies: [
      `arn:aws:iam::aws:policy/${['ReadOnlyAccess', 'PowerUserAccess', 'AmazonAthenaFullAccess', 'job-function/Billing', 'AWSSupportAccess'][i]}`,
    ],
  }));
  const users = Array.from({ length: n }, (_, i) => ({
    userName: `person${i}.example`,
    email: `person${i}@example.com`,
    displayName: `Person ${i}`,
    groups: [
      groups[i % groups.length].groupName,
      groups[(i * 7 + 1) % groups.length].groupName,
    ].filter((g, j, a) => a.indexOf(g) === j),
    tags: { team: `team-${i % 12}`, 'cost-center': String(4000 + (i % 50)) },
  }));
  return { groups, users };
}

export interface SynthRow {
  readonly people: number;
  readonly runs: number;
  readonly medianSeconds: number;
  readonly medianPeakMiB: number;
  readonly msPerPerson: number;
}

export function runSynthBench(runs = 5, sizes: readonly number[] = SIZES): SynthRow[] {
  const dir = mkdtempSync(join(tmpdir(), 'iam-onboarding-bench-'));
  try {
    return sizes.map((people) => {
      const roster = join(dir, `roster-${people}.json`);
      writeFileSync(roster, JSON.stringify(generateRoster(people)));
      const env = { ...process.env, ROSTER_FILE: roster, CDKTF_OUTDIR: join(dir, 'out') };
      measure(['npm', 'run', '--silent', 'synth'], env); // warm the file cache and the bundle cache
      const samples = Array.from({ length: runs }, () =>
        measure(['npm', 'run', '--silent', 'synth'], env),
      );
      const seconds = median(samples.map((s) => s.seconds));
      return {
        people,
        runs,
        medianSeconds: seconds,
        medianPeakMiB: median(samples.map((s) => s.peakMiB)),
        msPerPerson: (seconds * 1000) / people,
      };
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function formatSynthRows(rows: readonly SynthRow[]): string {
  const lines = [
    '| people | runs | median wall (s) | median peak memory (MiB) | ms per person |',
    '| -----: | ---: | --------------: | -----------------------: | ------------: |',
    ...rows.map(
      (r) =>
        `| ${r.people} | ${r.runs} | ${r.medianSeconds.toFixed(2)} | ${r.medianPeakMiB.toFixed(0)} | ${r.msPerPerson.toFixed(2)} |`,
    ),
  ];
  const big = rows.filter((r) => r.people >= 1000);
  if (big.length === 2) {
    // Marginal cost per person between the two largest sizes: linear growth keeps it flat.
    const [a, b] = big as [SynthRow, SynthRow];
    const marginal = ((b.medianSeconds - a.medianSeconds) * 1000) / (b.people - a.people);
    lines.push(
      '',
      `marginal cost from ${a.people} to ${b.people} people: ${marginal.toFixed(2)} ms per person`,
    );
  }
  const thousand = rows.find((r) => r.people === 1000);
  if (thousand) {
    const ok = thousand.medianSeconds <= 1.5;
    lines.push(
      `target 1000 people <= 1.5 s: ${ok ? 'met' : 'MISSED'} (${thousand.medianSeconds.toFixed(2)} s)`,
    );
  }
  return lines.join('\n');
}

if (require.main === module) {
  console.log(formatSynthRows(runSynthBench(Number(process.env.BENCH_RUNS ?? 5))));
}
