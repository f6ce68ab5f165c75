/**
 * The fast tier's guard: a fast test runs in-process. Starting a process
 * (a script, Terraform, esbuild's service) throws, naming the way out, so a
 * test that slips one in fails at once instead of slowly making the fast
 * tier slow. Both module names are replaced (libraries ask for
 * `child_process`, the project's code for `node:child_process`), and
 * esbuild's entry points too: its synchronous calls start the service from a
 * worker thread, out of jest's reach.
 */
const refuse = (name: string) => () => {
  throw new Error(
    `${name} in a fast test: fast tests run in-process. ` +
      'Name the test *.proc.test.ts (or *.tf.test.ts when it runs Terraform), ' +
      'or give the code a stand-in (e.g. fixtureCode() instead of an esbuild bundle).',
  );
};

function guarded<T extends object>(module: string, starters: readonly string[]): T {
  const actual = jest.requireActual<T>(module);
  return {
    ...actual,
    ...Object.fromEntries(starters.map((n) => [n, refuse(`${module}.${n}`)])),
  };
}

const PROCESS_STARTERS = [
  'spawn',
  'spawnSync',
  'exec',
  'execSync',
  'execFile',
  'execFileSync',
  'fork',
];
const ESBUILD_CALLS = [
  'build',
  'buildSync',
  'context',
  'transform',
  'transformSync',
  'analyzeMetafile',
  'analyzeMetafileSync',
  'formatMessages',
  'formatMessagesSync',
  'initialize',
];

jest.mock('node:child_process', () => guarded('node:child_process', PROCESS_STARTERS));
jest.mock('child_process', () => guarded('child_process', PROCESS_STARTERS));
jest.mock('esbuild', () => guarded('esbuild', ESBUILD_CALLS));
