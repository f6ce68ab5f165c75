/**
 * The three test tiers (jest.config.js), named by the file's suffix:
 * - `*.tf.test.ts`, the `terraform` tier: the test runs Terraform (itself,
 *   through the code it imports, or through a script it starts);
 * - `*.emu.test.ts`, the `emulator` tier: it runs moto (the local AWS
 *   emulator, emulator/), as a server or in-process in Python;
 * - `*.proc.test.ts`, the `process` tier: it starts another process or runs
 *   esbuild, but never Terraform;
 * - every other `*.test.ts`, the `fast` tier: in-process only.
 * (The moto tier's tests also run Terraform; they are judged as emulator tests.)
 * Checked here against what jest itself selects, so that a new test file can
 * neither fall out of every tier nor bring a process into the fast one.
 */
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { promisify } from 'node:util';

const ROOT = join(__dirname, '..');
const TESTS = '__tests__';

/** Every file under __tests__ that looks like a test to anyone, whatever jest matches. */
function testFiles(dir = join(ROOT, TESTS)): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return e.name === 'node_modules' ? [] : testFiles(path);
    return /\.(test|spec)\.[cm]?[jt]sx?$/.test(e.name) ? [relative(ROOT, path)] : [];
  });
}

/** The files jest runs for one project (tier), as `jest --listTests` reports them. */
async function tier(project: string): Promise<string[]> {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [require.resolve('jest/bin/jest'), '--listTests', '--json', '--selectProjects', project],
    { cwd: ROOT },
  );
  return (JSON.parse(stdout) as string[]).map((f) => relative(ROOT, f)).sort();
}

// --- which files run Terraform, or any other process ---------------------

/** A child process whose command is terraform: spawnSync('terraform', ...), execFile("terraform"). */
const STARTS_TERRAFORM =
  /\b(?:spawn|spawnSync|exec|execSync|execFile|execFileSync)\(\s*['"`]terraform\b/;

/** Code that runs moto: its server module or Python that imports it. */
const RUNS_MOTO = /['"`]moto\.server['"`]|\bfrom moto(?:\.[\w.]+)? import\b/;

/**
 * Code that can start a process, run esbuild (whose service is a child
 * process) or drive a browser with playwright (which starts Chromium).
 */
const STARTS_A_PROCESS =
  /(?:from|require\()\s*['"](?:(?:node:)?child_process|esbuild|playwright-core)['"]/;

function resolveModule(from: string, specifier: string): string | undefined {
  const base = resolve(dirname(from), specifier);
  return [`${base}.ts`, join(base, 'index.ts'), base].find(
    (p) => existsSync(p) && p.endsWith('.ts'),
  );
}

/** Project files a file imports as values (type-only imports load nothing). */
function valueImports(file: string, text: string): string[] {
  const specifiers: string[] = [];
  const statement = /^\s*(?:import|export)\s+(type\s+)?([^'"]*?)\s*from\s+['"](\.[^'"]+)['"]/gm;
  for (const m of text.matchAll(statement)) {
    const names = /\{([^}]*)\}/.exec(m[2])?.[1];
    const onlyTypes =
      m[1] !== undefined ||
      (names !== undefined &&
        !/[^{,]\s*\S/.test(m[2].replace(/\{[^}]*\}/, '')) &&
        names.split(',').every((n) => /^\s*(type\s|$)/.test(n)));
    if (!onlyTypes) specifiers.push(m[3]);
  }
  for (const m of text.matchAll(/\brequire\(\s*['"](\.[^'"]+)['"]\s*\)/g)) specifiers.push(m[1]);
  return specifiers.flatMap((s) => resolveModule(file, s) ?? []);
}

/** Scripts a test starts as processes: `scripts/x.ts`, `main.ts`, or `npm run x`. */
function startedScripts(text: string): string[] {
  const scripts = (
    JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
    }
  ).scripts;
  const files = [...text.matchAll(/['"`]((?:scripts|bench)\/[\w-]+\.ts|main\.ts)['"`]/g)].map(
    (m) => m[1],
  );
  const npmRun =
    /['"`]npm['"`]\s*,\s*\[\s*['"`]run['"`]\s*,\s*(?:['"`]--?[\w-]+['"`]\s*,\s*)*['"`]([\w:-]+)['"`]/g;
  for (const m of text.matchAll(npmRun)) {
    files.push(...(scripts[m[1]]?.match(/[\w./-]+\.ts\b/g) ?? []));
  }
  return files.map((f) => join(ROOT, f)).filter((f) => existsSync(f));
}

/** Whether running `file` reaches code matching `starts`: it, or what it imports or starts, does. */
function reaches(starts: RegExp, file: string, seen = new Set<string>()): boolean {
  if (seen.has(file)) return false;
  seen.add(file);
  const text = readFileSync(file, 'utf8');
  if (starts.test(text)) return true;
  return [...valueImports(file, text), ...startedScripts(text)].some((f) =>
    reaches(starts, f, seen),
  );
}
const runsTerraform = (file: string) => reaches(STARTS_TERRAFORM, file);

/** The fast test that checks the fast tier's guard by asking it for processes. */
const GUARD_TEST = `${TESTS}/fast-tier.test.ts`;

/**
 * Whether a test starts a process itself or through its support files. The
 * project's code it imports may be able to (synthesis can bundle with
 * esbuild); whether a fast test makes it do so is caught when it happens, by
 * the fast tier's guard (__tests__/support/in-process.ts).
 */
function startsAProcess(file: string, seen = new Set<string>()): boolean {
  if (seen.has(file)) return false;
  seen.add(file);
  const text = readFileSync(file, 'utf8');
  if (STARTS_A_PROCESS.test(text)) return true;
  return valueImports(file, text)
    .filter((f) => relative(ROOT, f).startsWith(`${TESTS}/`))
    .some((f) => startsAProcess(f, seen));
}

describe('test tiers', () => {
  let fast: string[];
  let processes: string[];
  let terraform: string[];
  let emulator: string[];
  beforeAll(async () => {
    [fast, processes, terraform, emulator] = await Promise.all([
      tier('fast'),
      tier('process'),
      tier('terraform'),
      tier('emulator'),
    ]);
  });

  it('put every test file in exactly one tier', () => {
    const files = testFiles().sort();
    expect(files.length).toBeGreaterThan(20);
    const tiersOf = (file: string) => ({
      file,
      tiers: [
        fast.includes(file) && 'fast',
        processes.includes(file) && 'process',
        terraform.includes(file) && 'terraform',
        emulator.includes(file) && 'emulator',
      ].filter(Boolean),
    });
    // A file listed here matches no tier (say *.spec.ts) or several.
    expect(files.map(tiersOf).filter((t) => t.tiers.length !== 1)).toEqual([]);
    expect([...fast, ...processes, ...terraform, ...emulator].sort()).toEqual(files);
  });

  it('run Terraform only in the terraform tier, and there only the files named *.tf.test.ts', () => {
    // These two name scripts and commands as data: this file starts only jest,
    // and the guard's own test only tries to start Terraform, to be refused.
    const exempt = [relative(ROOT, __filename), GUARD_TEST];
    const runsTerraform = (f: string) =>
      !exempt.includes(relative(ROOT, f)) && reaches(STARTS_TERRAFORM, f);
    // Rename a test listed here to *.tf.test.ts (see jest.config.js).
    expect([...fast, ...processes].filter((f) => runsTerraform(join(ROOT, f)))).toEqual([]);
    expect(terraform.length).toBeGreaterThan(0);
    expect(terraform.filter((f) => !/\.tf\.test\.ts$/.test(f))).toEqual([]);
    // A test listed here runs no Terraform: it belongs in another tier.
    expect(terraform.filter((f) => !runsTerraform(join(ROOT, f)))).toEqual([]);
  });

  it('run moto only in the emulator tier, and there only the files named *.emu.test.ts', () => {
    const runsMoto = (f: string) => reaches(RUNS_MOTO, join(ROOT, f));
    // Rename a test listed here to *.emu.test.ts (see jest.config.js).
    expect([...fast, ...processes, ...terraform].filter(runsMoto)).toEqual([]);
    expect(emulator.length).toBeGreaterThan(0);
    expect(emulator.filter((f) => !/\.emu\.test\.ts$/.test(f))).toEqual([]);
    // A test listed here runs no moto: it belongs in another tier.
    expect(emulator.filter((f) => !runsMoto(f))).toEqual([]);
    // Through emulator/flow.ts, which starts moto's pattern matcher.
    expect(runsMoto('__tests__/emulator/welcome.emu.test.ts')).toBe(true);
    expect(runsMoto('__tests__/stacks/backend.tf.test.ts')).toBe(false);
  });

  it('keep the fast tier in-process: a test that starts a process or esbuild is *.proc.test.ts', () => {
    // Rename a test listed here to *.proc.test.ts, or split out its process part.
    expect(fast.filter((f) => f !== GUARD_TEST && startsAProcess(join(ROOT, f)))).toEqual([]);
    expect(processes.filter((f) => !/\.proc\.test\.ts$/.test(f))).toEqual([]);
    // A test listed here starts no process: it belongs in the fast tier.
    expect(processes.filter((f) => !startsAProcess(join(ROOT, f)))).toEqual([]);
  });

  it('recognise Terraform and other processes however a test reaches them', () => {
    const at = (f: string) => join(ROOT, f);
    // Through review/terraform-plan.ts, imported as a value.
    expect(runsTerraform(at('__tests__/stacks/backend.tf.test.ts'))).toBe(true);
    // Through a support file that starts `terraform providers schema` itself.
    expect(runsTerraform(at('__tests__/support/prior-state.ts'))).toBe(true);
    // Through `npm run plan`, which starts scripts/plan.ts.
    expect(startedScripts("spawnSync('npm', ['run', '--silent', 'plan'])")).toEqual([
      at('scripts/plan.ts'),
    ]);
    expect(runsTerraform(at('scripts/plan.ts'))).toBe(true);
    // A type-only import of the same module loads nothing.
    expect(runsTerraform(at('review/plan-summary.ts'))).toBe(false);
    expect(runsTerraform(at('scripts/preview.ts'))).toBe(false);
    // A process started by a support file counts; the project's code is left to the guard.
    expect(startsAProcess(at('__tests__/review/roster-changes.tf.test.ts'))).toBe(true);
    expect(startsAProcess(at('__tests__/stacks/constructs.test.ts'))).toBe(false);
  });
});
