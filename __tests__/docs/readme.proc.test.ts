/**
 * The README kept true: every `npm run …` command it shows is run, with the
 * flags it shows, and must succeed (and print what the README says it
 * prints, where it shows output); every repository file it names must exist.
 * The commands are read from the README (support/readme.ts), so a line added
 * there is checked here. Only the scripts in SKIPPED are not run, each for
 * the reason given; a command that shows a placeholder (`--state FILE`) is
 * not run as typed.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hasPlaceholder, readmeCommands, readmePaths } from '../support/readme';

const README = readFileSync('README.md', 'utf8');
const scripts = Object.keys(
  (JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> }).scripts,
);

/** Scripts not run here, and why. A test script with a path argument is narrow, and is run. */
const SKIPPED: Readonly<Record<string, string>> = {
  deploy: 'needs AWS credentials and applies to a real account',
  reconcile: 'needs AWS credentials: it lists and queues in the account',
  redrive: 'needs AWS credentials: it reads the dead-letter queue in the account',
  plan: 'runs the real Terraform for minutes; __tests__/scripts/plan.tf.test.ts and plan-state.tf.test.ts run it, --state included',
  preview:
    'reads the plan `npm run plan` writes; __tests__/scripts/preview.proc.test.ts runs it on one',
  test: 'the whole suite, which this test is part of',
  'test:fast': 'a whole tier (npm test runs it); run here only when narrowed to a path',
  'test:process': 'a whole tier (npm test runs it), this test included',
  'test:terraform': 'a whole tier (npm test runs it)',
  'test:emulator': 'a whole tier (npm test runs it): deploys into moto for minutes',
  lint: 'npm test runs it over the whole repository',
  format: 'rewrites files in the working tree',
  bench: 'measures for minutes on purpose',
  local: 'deploys the stack to the local AWS emulator; the emulator tier runs it',
  mutate: 'mutation testing runs for many minutes',
  'provider-calls':
    'records in moto for minutes and rewrites the committed record; __tests__/emulator/provider-calls.emu.test.ts records the same lifecycle',
};

const commands = readmeCommands(README);
const runnable = commands.filter(
  (c) =>
    !hasPlaceholder(c) &&
    (!(c.script in SKIPPED) || (c.script.startsWith('test:') && c.args.length > 0)),
);
const root = mkdtempSync(join(tmpdir(), 'iam-onboarding-readme-'));

/** No AWS settings of the machine's, output kept out of the checkout, not inside this jest run. */
function cleanEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, CDKTF_OUTDIR: join(root, 'cdktf.out') };
  for (const k of Object.keys(env))
    if (k.startsWith('AWS_') || k.startsWith('TF_STATE_') || k.startsWith('JEST_TIER'))
      delete env[k];
  return env;
}

/** Files `npm run schema` regenerates: running it must leave them as committed. */
const SCHEMAS = ['users/users.schema.json', 'config/settings.schema.json'];

describe('the README', () => {
  it('names only npm scripts that package.json defines', () => {
    const missing = commands.filter((c) => !scripts.includes(c.script)).map((c) => c.command);
    expect(missing).toEqual([]);
  });

  it('shows commands this test runs (its reading of the README works)', () => {
    const run = runnable.map((c) => c.command);
    expect(run).toEqual(expect.arrayContaining(['npm run check', 'npm run synth']));
    expect(run.some((c) => c.startsWith('npm run test:fast -- '))).toBe(true);
  });

  it.each(runnable.map((c) => [c.command, c] as const))(
    '`%s` succeeds as shown',
    (_name, c) => {
      const before = SCHEMAS.map((f) => readFileSync(f, 'utf8'));
      const r = spawnSync('npm', c.command.split(' ').slice(1), {
        encoding: 'utf8',
        env: cleanEnv(),
        timeout: 280_000,
      });
      const tail = (s: string) => s.split('\n').slice(-15).join('\n');
      expect({ command: c.command, status: r.status, stderr: tail(r.stderr ?? '') }).toEqual({
        command: c.command,
        status: 0,
        stderr: expect.any(String),
      });
      if (c.output !== undefined) expect(r.stdout.trim()).toBe(c.output);
      expect(SCHEMAS.map((f) => readFileSync(f, 'utf8'))).toEqual(before);
    },
    300_000,
  );

  const topLevel = new Set(
    readdirSync('.').filter((f) => !['.git', 'node_modules', 'cdktf.out', 'dist'].includes(f)),
  );

  it('names only repository files that exist', () => {
    const paths = readmePaths(README, topLevel);
    expect(paths).toEqual(
      expect.arrayContaining(['users/users.json', 'docs/review-and-delivery.md']),
    );
    expect(paths.filter((p) => !existsSync(p))).toEqual([]);
  });

  it.each(readdirSync('docs').filter((f) => f.endsWith('.md')))(
    'docs/%s names only repository files that exist',
    (file) => {
      const paths = readmePaths(readFileSync(`docs/${file}`, 'utf8'), topLevel);
      expect(paths.filter((p) => !existsSync(p))).toEqual([]);
    },
  );
});
