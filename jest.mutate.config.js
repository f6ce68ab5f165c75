/**
 * The jest setup Stryker runs (stryker.config.mjs, `npm run mutate`): the
 * fast tier's own settings, narrowed to the tests of the mutated files (the
 * function's core and the shared rules), so one mutant costs a few test
 * files, not the whole suite.
 */
const { projects } = require('./jest.config');

const fast = projects.find((p) => p.displayName === 'fast');

/** @type {import('jest').Config} */
module.exports = {
  ...fast,
  displayName: undefined,
  // MUTATE_TESTS (comma-separated test files, from the repository's root)
  // narrows it further, e.g. to the one test file of the one file mutated.
  testMatch: process.env.MUTATE_TESTS
    ? process.env.MUTATE_TESTS.split(',').map((p) => `<rootDir>/${p.trim()}`)
    : [
        '<rootDir>/__tests__/handlers/welcome/core/*.test.ts',
        '<rootDir>/__tests__/shared/rules*.test.ts',
      ],
  // Type-checking each mutant again buys nothing (Stryker marks the mutated
  // files @ts-nocheck anyway; `npm run typecheck` checks the real code).
  transform: { '^.+\\.ts$': ['ts-jest', { diagnostics: false }] },
  setupFilesAfterEnv: [...fast.setupFilesAfterEnv, '<rootDir>/__tests__/support/mutate-setup.ts'],
};
