/**
 * The two test tiers (jest.config.js). The rule: a test that runs Terraform
 * (itself, through the code it imports, or through a script it starts) is
 * named `*.tf.test.ts` and runs in the `terraform` tier; every other test
 * runs in the `fast` tier, wherever it lives. Checked here against what jest
 * itself selects, so that a new test file can neither fall out of both tiers
 * nor bring Terraform into the fast one.
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

// --- which files run Terraform ---------------------------------------------

/** A child process whose command is terraform: spawnSync('terraform', ...), execFile("terraform"). */
const STARTS_TERRAFORM =
  /\b(?:spawn|spawnSync|exec|execSync|execFile|execFileSync)\(\s*['"`]terraform\b/;

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

/** Whether running `file` can start Terraform: it, or what it imports or starts, does. */
function runsTerraform(file: string, seen = new Set<string>()): boolean {
  if (seen.has(file)) return false;
  seen.add(file);
  const text = readFileSync(file, 'utf8');
  if (STARTS_TERRAFORM.test(text)) return true;
  return [...valueImports(file, text), ...startedScripts(text)].some((f) => runsTerraform(f, seen));
}

describe('test tiers', () => {
  let fast: string[];
  let terraform: string[];
  beforeAll(async () => {
    [fast, terraform] = await Promise.all([tier('fast'), tier('terraform')]);
  });

  it('put every test file in exactly one tier', () => {
    const files = testFiles().sort();
    expect(files.length).toBeGreaterThan(20);
    const tiersOf = (file: string) => ({
      file,
      tiers: [fast.includes(file) && 'fast', terraform.includes(file) && 'terraform'].filter(
        Boolean,
      ),
    });
    // A file listed here matches neither tier (say *.spec.ts) or both.
    expect(files.map(tiersOf).filter((t) => t.tiers.length !== 1)).toEqual([]);
    expect([...fast, ...terraform].sort()).toEqual(files);
  });

  it('run Terraform only in the terraform tier, and there only the files named *.tf.test.ts', () => {
    // This file names scripts and commands as data; the only process it starts is jest.
    const self = relative(ROOT, __filename);
    const runs = (f: string) => f !== self && runsTerraform(join(ROOT, f));
    // Rename a test listed here to *.tf.test.ts (see jest.config.js).
    expect(fast.filter(runs)).toEqual([]);
    expect(terraform.length).toBeGreaterThan(0);
    expect(terraform.filter((f) => !/\.tf\.test\.ts$/.test(f))).toEqual([]);
    // A test listed here runs no Terraform: it belongs in the fast tier.
    expect(terraform.filter((f) => !runs(f))).toEqual([]);
  });

  it('recognise Terraform however a test reaches it', () => {
    const at = (f: string) => join(ROOT, f);
    // Through lib/offline-plan.ts, imported as a value.
    expect(runsTerraform(at('__tests__/review/backend.tf.test.ts'))).toBe(true);
    // Through a support file that starts `terraform providers schema` itself.
    expect(runsTerraform(at('__tests__/review/support/prior-state.ts'))).toBe(true);
    // Through `npm run plan`, which starts scripts/plan.ts.
    expect(startedScripts("spawnSync('npm', ['run', '--silent', 'plan'])")).toEqual([
      at('scripts/plan.ts'),
    ]);
    expect(runsTerraform(at('scripts/plan.ts'))).toBe(true);
    // A type-only import of the same module loads nothing.
    expect(runsTerraform(at('lib/plan-summary.ts'))).toBe(false);
    expect(runsTerraform(at('scripts/preview.ts'))).toBe(false);
  });
});
