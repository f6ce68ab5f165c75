/**
 * Deploy figures against the local emulator (moto, emulator/): for generated
 * rosters of 10, 100 and 1000 people, `terraform apply` into a fresh moto
 * server and the plan that follows: wall time, peak memory (Terraform and
 * its provider), and the API calls each made per person, counted at the
 * emulator (its recorder), which does not drift with the machine.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { prepare } from '../emulator/deploy';
import { MOTO_ENV } from '../emulator/gaps';
import { startMoto } from '../emulator/moto-server';
import { synthesize } from '../stacks/synth';
import { measure, median } from './measure';
import { generateRoster } from './synth';

export const EMULATOR_SIZES = [10, 100, 1000] as const;

export interface EmulatorRow {
  readonly people: number;
  readonly runs: number;
  readonly applySeconds: number;
  readonly applyPeakMiB: number;
  readonly planSeconds: number;
  readonly planPeakMiB: number;
  /** The apply's API calls divided by the people (the pipeline's own calls included: they dominate small rosters). */
  readonly applyCalls: number;
  readonly planCalls: number;
}

interface Sample {
  apply: { seconds: number; peakMiB: number; calls: number };
  plan: { seconds: number; peakMiB: number; calls: number };
}

async function once(people: number): Promise<Sample> {
  const dir = mkdtempSync(join(tmpdir(), 'iam-onboarding-bench-emu-'));
  const moto = await startMoto({ env: MOTO_ENV });
  try {
    const rosterFile = join(dir, 'roster.json');
    writeFileSync(rosterFile, JSON.stringify(generateRoster(people)));
    const { stackDir } = synthesize({ outdir: join(dir, 'out'), rosterFile });
    const workDir = join(dir, 'tf');
    const env = prepare({ stackDir, workDir, endpoint: moto.endpoint });
    const step = async (args: string[]) => {
      const before = (await moto.requests()).length;
      const run = measure(['terraform', `-chdir=${workDir}`, ...args], env);
      return { ...run, calls: (await moto.requests()).length - before };
    };
    const common = ['-input=false', '-no-color', '-lock=false'];
    const apply = await step(['apply', ...common, '-auto-approve']);
    const plan = await step(['plan', ...common]);
    return { apply, plan };
  } finally {
    await moto.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function runEmulatorBench(
  runs = 1,
  sizes: readonly number[] = EMULATOR_SIZES,
): Promise<EmulatorRow[]> {
  const rows: EmulatorRow[] = [];
  for (const people of sizes) {
    const samples: Sample[] = [];
    // 1000 people take minutes a run: one run there unless asked for more.
    for (let i = 0; i < (people >= 1000 ? Math.min(runs, 1) : runs); i++) {
      const s = await once(people);
      samples.push(s);
      // Each run on stderr, so a median can be read beside its spread.
      console.error(
        `  ${people} people, run ${i + 1}: apply ${s.apply.seconds.toFixed(1)} s ${s.apply.peakMiB.toFixed(0)} MiB ${s.apply.calls} calls; plan ${s.plan.seconds.toFixed(1)} s ${s.plan.peakMiB.toFixed(0)} MiB ${s.plan.calls} calls`,
      );
    }
    const m = (f: (s: Sample) => number) => median(samples.map(f));
    rows.push({
      people,
      runs: samples.length,
      applySeconds: m((s) => s.apply.seconds),
      applyPeakMiB: m((s) => s.apply.peakMiB),
      planSeconds: m((s) => s.plan.seconds),
      planPeakMiB: m((s) => s.plan.peakMiB),
      applyCalls: m((s) => s.apply.calls) / people,
      planCalls: m((s) => s.plan.calls) / people,
    });
  }
  return rows;
}

export function formatEmulatorRows(rows: readonly EmulatorRow[]): string {
  const head =
    '| people | runs | apply s | apply peak MiB | plan s | plan peak MiB | apply calls/person | plan calls/person |';
  const sep =
    '| -----: | ---: | ------: | -------------: | -----: | ------------: | -----------------: | ----------------: |';
  const lines = rows.map(
    (r) =>
      `| ${r.people} | ${r.runs} | ${r.applySeconds.toFixed(1)} | ${r.applyPeakMiB.toFixed(0)} | ${r.planSeconds.toFixed(1)} | ${r.planPeakMiB.toFixed(0)} | ${r.applyCalls.toFixed(1)} | ${r.planCalls.toFixed(1)} |`,
  );
  return [head, sep, ...lines].join('\n');
}
