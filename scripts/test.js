// `npm test`: the fast test tier first, so that a mistake fails within a
// minute; then the type-check and lint; then the tier that starts processes
// (scripts, esbuild), the tier that runs the real Terraform, and the tier that deploys into a local
// moto server (jest.config.js says which test is in which). Stops at the first
// failure. Ends with the line CI reads, "jest: N passed, N failed, N
// skipped", summed over the tiers that ran (each tier prints its own counts
// in other words: scripts/jest-summary-reporter.js).
//
// Arguments go to both jest runs: `npm test -- -t roster`.
const { spawnSync } = require('node:child_process');
const { existsSync, mkdtempSync, readFileSync, rmSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');

const jestBin = require.resolve('jest/bin/jest');
const args = process.argv.slice(2);
const dir = mkdtempSync(join(tmpdir(), 'iam-onboarding-test-'));
const total = { passed: 0, failed: 0, skipped: 0 };

// The AWS SDK's "Node.js 20 will be unsupported" notice, off the way the SDK
// documents (scripts/quiet-sdk.ts says why); every other warning still prints.
const QUIET_SDK = { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' };

function run(command, argv, env = {}) {
  const r = spawnSync(command, argv, {
    stdio: 'inherit',
    env: { ...QUIET_SDK, ...process.env, ...env },
  });
  return r.status ?? 1;
}

function tier(name) {
  const file = join(dir, `${name}.json`);
  // A filter may select nothing in one tier. The flag also ends the list of
  // project names, which would otherwise swallow a test path.
  const argv = ['--selectProjects', name, `--passWithNoTests=${args.length > 0}`, ...args];
  const status = run(process.execPath, [jestBin, ...argv], {
    JEST_TIER: name,
    JEST_TIER_SUMMARY: file,
  });
  if (existsSync(file)) {
    const counts = JSON.parse(readFileSync(file, 'utf8'));
    for (const key of Object.keys(total)) total[key] += counts[key];
  }
  return status;
}

const steps = [
  ['the fast tests', () => tier('fast')],
  ['the type-check', () => run('npm', ['run', '--silent', 'typecheck'])],
  ['lint', () => run('npm', ['run', '--silent', 'lint'])],
  ['the process tests', () => tier('process')],
  ['the Terraform tests', () => tier('terraform')],
  ['the emulator tests', () => tier('emulator')],
];

let status = 0;
const took = [];
for (const [i, [name, step]] of steps.entries()) {
  const start = process.hrtime.bigint();
  status = step();
  took.push(`${name} ${(Number(process.hrtime.bigint() - start) / 1e9).toFixed(1)} s`);
  if (status !== 0) {
    const rest = steps.slice(i + 1).map(([n]) => n);
    console.log(`npm test: ${name} failed${rest.length ? `; not run: ${rest.join(', ')}` : ''}.`);
    break;
  }
}
rmSync(dir, { recursive: true, force: true });
console.log(`npm test: ${took.join(', ')}.`);
console.log(`jest: ${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped`);
process.exitCode = status;
