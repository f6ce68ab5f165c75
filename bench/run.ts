/**
 * `npm run bench`: every speed and size target of the project, measured.
 * Synthesis of generated rosters (issue: 1000 people in <= 1.5 s, linear),
 * `npm run check` (1000 people in <= 1 s), then the welcome function's
 * bundle (<= 200 KB zipped, <= 100 ms to load). Exits non-zero when a target
 * is missed. BENCH_RUNS sets runs per size.
 */
import { CHECK_TARGET_SECONDS, formatCheckRows, runCheckBench } from './check';
import { EMULATOR_SIZES, formatEmulatorRows, runEmulatorBench } from './emulator';
import { printTable, runWelcomeBench } from './welcome';
import { formatSynthRows, runSynthBench } from './synth';

const runs = Number(process.env.BENCH_RUNS ?? 5);
// `npm run bench -- emulator` runs only the deploy figures against moto (minutes).
const emulatorOnly = process.argv.slice(2).includes('emulator');
const emulatorSizes = process.env.BENCH_EMULATOR_SIZES
  ? process.env.BENCH_EMULATOR_SIZES.split(',').map(Number)
  : [...EMULATOR_SIZES];

async function emulatorBench(): Promise<void> {
  const emuRuns = Number(process.env.BENCH_EMULATOR_RUNS ?? 3);
  console.log(
    `\nterraform apply into moto and the plan after it, median of ${emuRuns} runs per size (one at 1000):\n`,
  );
  console.log(formatEmulatorRows(await runEmulatorBench(emuRuns, emulatorSizes)));
}

if (emulatorOnly) {
  void emulatorBench().catch((e: unknown) => {
    console.error(e instanceof Error ? e.message : e);
    process.exitCode = 1;
  });
} else {
  main();
}

function main(): void {
  console.log(`npm run synth, median of ${runs} runs per size (after one warm-up run):\n`);
  const synthRows = runSynthBench(runs);
  console.log(formatSynthRows(synthRows));

  console.log(`\nnpm run check, median of ${runs} runs per size (after one warm-up run):\n`);
  const checkRows = runCheckBench(runs);
  console.log(formatCheckRows(checkRows));

  console.log('\nwelcome function bundle:\n');
  const welcomeRows = runWelcomeBench();
  printTable(welcomeRows);

  const thousand = synthRows.find((r) => r.people === 1000);
  const checkThousand = checkRows.find((r) => r.people === 1000);
  if (
    (thousand && thousand.medianSeconds > 1.5) ||
    (checkThousand && checkThousand.medianSeconds > CHECK_TARGET_SECONDS) ||
    welcomeRows.some((r) => r.ok === false)
  ) {
    process.exitCode = 1;
  }
  void emulatorBench();
}
