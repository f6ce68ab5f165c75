/**
 * Three tiers, chosen by file name (the rule `__tests__/tiers.proc.test.ts`
 * checks):
 *
 * - terraform: `*.tf.test.ts`, the tests that run the real Terraform
 *   (init/validate/plan, `terraform providers schema`, or a script that does);
 * - process: `*.proc.test.ts`, the tests that start another process (a
 *   script, jest, the bundled function) or run esbuild, but not Terraform;
 * - emulator: `*.emu.test.ts`, the tests that deploy the stack into a local
 *   moto server (emulator/) with the real Terraform and run the flow there;
 * - fast: every other `*.test.ts`, in-process, including new folders.
 *
 * `npm run test:fast` / `npm run test:process` / `npm run test:terraform` run one tier (their
 * `--passWithNoTests=false`, jest's default, ends the list of project names,
 * so that `npm run test:fast -- __tests__/roster` selects a path, not a
 * project); `npm test` runs the fast tier first (scripts/test.js).
 */
const TERRAFORM_TESTS = '\\.tf\\.test\\.ts$';
const PROCESS_TESTS = '\\.proc\\.test\\.ts$';
const EMULATOR_TESTS = '\\.emu\\.test\\.ts$';

/** @type {import('jest').Config} */
const common = {
  testEnvironment: 'node',
  roots: ['<rootDir>/__tests__'],
  transform: { '^.+\\.ts$': 'ts-jest' },
  setupFilesAfterEnv: ['<rootDir>/__tests__/support/setup.ts'],
};

/** @type {import('jest').Config} */
module.exports = {
  testTimeout: 120000,
  reporters: ['default', '<rootDir>/scripts/jest-summary-reporter.js'],
  projects: [
    {
      ...common,
      displayName: 'fast',
      testMatch: ['**/*.test.ts'],
      testPathIgnorePatterns: ['/node_modules/', TERRAFORM_TESTS, PROCESS_TESTS, EMULATOR_TESTS],
      // Starting a process there throws (see the file).
      setupFilesAfterEnv: [
        ...common.setupFilesAfterEnv,
        '<rootDir>/__tests__/support/in-process.ts',
      ],
    },
    {
      ...common,
      displayName: 'process',
      testMatch: ['**/*.proc.test.ts'],
    },
    { ...common, displayName: 'terraform', testMatch: ['**/*.tf.test.ts'] },
    // One moto server per file, and Terraform applies that take minutes.
    { ...common, displayName: 'emulator', testMatch: ['**/*.emu.test.ts'] },
  ],
};
