/**
 * Two tiers, chosen by file name (the rule `__tests__/tiers.test.ts` checks):
 *
 * - terraform: `*.tf.test.ts`, the tests that run the real Terraform
 *   (init/validate/plan, `terraform providers schema`, or a script that does);
 * - fast: every other `*.test.ts`, including new folders, by default.
 *
 * `npm run test:fast` / `npm run test:terraform` run one tier (their
 * `--passWithNoTests=false`, jest's default, ends the list of project names,
 * so that `npm run test:fast -- __tests__/roster` selects a path, not a
 * project); `npm test` runs the fast tier first (scripts/test.js).
 */
const TERRAFORM_TESTS = '\\.tf\\.test\\.ts$';

/** @type {import('jest').Config} */
const common = {
  testEnvironment: 'node',
  roots: ['<rootDir>/__tests__'],
  transform: { '^.+\\.ts$': 'ts-jest' },
  setupFilesAfterEnv: ['<rootDir>/__tests__/setup.ts'],
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
      testPathIgnorePatterns: ['/node_modules/', TERRAFORM_TESTS],
    },
    { ...common, displayName: 'terraform', testMatch: ['**/*.tf.test.ts'] },
  ],
};
