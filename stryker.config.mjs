// Mutation testing (`npm run mutate`; not part of `npm test`, it takes
// minutes): Stryker changes the function's core and the shared rules one
// mutant at a time and runs their fast tests; a mutant no test notices is a
// gap in the tests. Bounded on purpose for a shared machine: only these
// files, only their tests (jest.mutate.config.js), one worker, and per-test
// coverage so each mutant runs just the tests that reach it. Narrow it with
// `npm run mutate -- --mutate handlers/welcome/core/request.ts`.
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  packageManager: 'npm',
  testRunner: 'jest',
  jest: {
    projectType: 'custom',
    configFile: 'jest.mutate.config.js',
    enableFindRelatedTests: false,
  },
  mutate: ['handlers/welcome/core/*.ts', 'shared/rules.ts'],
  coverageAnalysis: 'perTest',
  concurrency: 1,
  timeoutMS: 5000,
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: 'reports/mutation/mutation.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  ignorePatterns: ['cdktf.out', 'dist', 'coverage', 'reports', '.terraform'],
  tempDirName: '.stryker-tmp',
  cleanTempDir: true,
};
