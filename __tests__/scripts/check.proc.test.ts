/**
 * `npm run check` as admins, pre-commit hooks and CI run it: a real process
 * on real files. Inside GitHub Actions every problem is also printed as an
 * `::error` workflow command that GitHub shows on the offending line.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { BuildEnvironmentError } from '../../inputs/errors';
import { annotations, escapeData, escapeProperty, repositoryPath } from '../../inputs/report';

const ROOT = join(__dirname, '..', '..');
const EMAIL_RULE = 'is not one email address like "name@example.com"';
/** A valid address with a character IAM tags cannot hold (`%`, as annotations escape it): refused by the roster. */
const TAG_RULE =
  'has "%25" (U+0025 PERCENT SIGN) at character 4, which IAM cannot store in a tag: ' +
  "tags hold only letters, numbers, spaces and _ . : / = + - @ (IAM's rule [\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]) " +
  '(the address is stored in a tag): use only letters, digits and . _ / = + - before the @';

/** A roster with three mistakes: a pasted space, an unknown field, a misspelt group. */
const BAD_ROSTER = {
  groups: [{ groupName: 'developers' }, { groupName: 'support' }],
  users: [
    { userName: 'alice.martin', email: ' alice.martin@example.com', groups: ['developers'] },
    {
      userName: 'bo.chen',
      email: 'bo.chen@example.com',
      dispalyName: 'Bo Chen',
      groups: ['developers', 'suport'],
    },
  ],
};

const THREE_PROBLEMS = [
  `$.users[0].email (user "alice.martin"): ${EMAIL_RULE}: it contains a space, a tab or a line break; found " alice.martin@example.com"; did you mean "alice.martin@example.com"?`,
  '$.users[1].dispalyName (user "bo.chen"): unknown field "dispalyName" (check the spelling; unknown fields are not allowed); did you mean "displayName"?',
  '$.users[1].groups[1] (user "bo.chen"): refers to group "suport", which is not defined in $.groups; did you mean "support"?',
];
const POSITIONS = ['13:7', '21:7', '24:9'];

let bundle: string;
const scratch: string[] = [];
afterAll(() => {
  for (const dir of scratch) rmSync(dir, { recursive: true, force: true });
});

/** A checkout-like directory: users/users.json and config/settings.json. */
function workspace(roster: unknown, settings?: unknown): string {
  const dir = mkdtempSync(join(tmpdir(), 'iam-onboarding-check-'));
  scratch.push(dir);
  mkdirSync(join(dir, 'users'));
  mkdirSync(join(dir, 'config'));
  writeFileSync(join(dir, 'users', 'users.json'), JSON.stringify(roster, null, 2) + '\n');
  writeFileSync(
    join(dir, 'config', 'settings.json'),
    settings === undefined
      ? JSON.stringify(
          {
            accountId: '123456789012',
            organisationName: 'Example Corp',
            sender: { address: 'onboarding@example.com', domain: 'example.com' },
            trail: { create: true },
            alerts: { emails: ['ops@example.com'] },
            helpContact: 'it@example.com',
          },
          null,
          2,
        )
      : JSON.stringify(settings, null, 2),
  );
  return dir;
}

/** The checker (bundled like `npm run check` bundles it) run in `cwd` with a clean environment. */
function check(cwd: string, env: Record<string, string> = {}) {
  const base: NodeJS.ProcessEnv = { ...process.env, NODE_PATH: join(ROOT, 'node_modules') };
  for (const key of [
    'GITHUB_ACTIONS',
    'GITHUB_WORKSPACE',
    'GITHUB_BASE_REF',
    'ROSTER_FILE',
    'SETTINGS_FILE',
    'ROSTER_REMOVAL_WARNING_SHARE',
  ])
    delete base[key];
  return spawnSync(process.execPath, [bundle], { cwd, env: { ...base, ...env }, encoding: 'utf8' });
}

beforeAll(async () => {
  const bin = mkdtempSync(join(tmpdir(), 'iam-onboarding-check-bin-'));
  scratch.push(bin);
  bundle = join(bin, 'check.js');
  await build({
    entryPoints: [join(ROOT, 'scripts', 'check.ts')],
    bundle: true,
    platform: 'node',
    packages: 'external',
    logLevel: 'warning',
    outfile: bundle,
  });
});

describe('npm run check', () => {
  it('passes the shipped files with a one-line summary', () => {
    const r = spawnSync('npm', ['run', '--silent', 'check'], {
      cwd: ROOT,
      env: { ...process.env, GITHUB_ACTIONS: '', ROSTER_FILE: '', SETTINGS_FILE: '' },
      encoding: 'utf8',
    });
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('users/users.json: 3 people, 3 groups; config/settings.json: OK\n');
  });

  it('counts a single person and group in the singular', () => {
    const dir = workspace({
      groups: [{ groupName: 'g' }],
      users: [{ userName: 'a', email: 'a@example.com' }],
    });
    const r = check(dir);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('users/users.json: 1 person, 1 group; config/settings.json: OK\n');
    expect(r.status).toBe(0);
  });

  it('outside GitHub Actions: every problem on stderr, no workflow command anywhere', () => {
    const dir = workspace(BAD_ROSTER);
    const r = check(dir);
    expect(r.status).toBe(1);
    expect(r.stderr.trimEnd().split('\n')).toEqual([
      'users/users.json has 3 problems:',
      ...THREE_PROBLEMS.map((p, i) => `  - users/users.json:${POSITIONS[i]} ${p}`),
    ]);
    expect(r.stdout).toBe('');
    expect(`${r.stdout}${r.stderr}`).not.toMatch(/^::error/m);
  });

  it('inside GitHub Actions: also one annotation per problem, at its line, path from the checkout', () => {
    const dir = workspace(BAD_ROSTER);
    // Run from elsewhere: paths are relative to GITHUB_WORKSPACE, not the current directory.
    const r = check(join(dir, 'users'), {
      GITHUB_ACTIONS: 'true',
      GITHUB_WORKSPACE: dir,
      ROSTER_FILE: join(dir, 'users', 'users.json'),
      SETTINGS_FILE: join(dir, 'config', 'settings.json'),
    });
    expect(r.status).toBe(1);
    expect(r.stdout.trimEnd().split('\n')).toEqual([
      '::error file=users/users.json,line=13,col=7,title=Roster problem::' + THREE_PROBLEMS[0],
      '::error file=users/users.json,line=21,col=7,title=Roster problem::' + THREE_PROBLEMS[1],
      '::error file=users/users.json,line=24,col=9,title=Roster problem::' + THREE_PROBLEMS[2],
    ]);
    // The plain report is still there for the log.
    expect(r.stderr).toContain(`users/users.json:13:7 ${THREE_PROBLEMS[0]}`);
  });

  it('annotates both files when both are wrong, and escapes what workflow commands must', () => {
    const dir = workspace(
      { users: [{ userName: 'pct', email: '100%@example.com' }] },
      { accountId: 123456789012 },
    );
    const r = check(dir, { GITHUB_ACTIONS: 'true', GITHUB_WORKSPACE: dir });
    expect(r.status).toBe(1);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe(
      `::error file=users/users.json,line=5,col=7,title=Roster problem::$.users[0].email (user "pct"): ${TAG_RULE}; found "100%25@example.com"`,
    );
    expect(lines.slice(1)).toEqual(
      expect.arrayContaining([
        '::error file=config/settings.json,line=2,col=3,title=Settings problem::$.accountId: must be the 12-digit AWS account id, as a string; found 123456789012; did you mean "123456789012"?',
        '::error file=config/settings.json,line=1,col=1,title=Settings problem::$.helpContact: is required: whom new people ask for help',
      ]),
    );
    expect(lines.every((l) => l.startsWith('::error file='))).toBe(true);
  });

  it('annotates a file that cannot be read, without a line', () => {
    const dir = workspace(BAD_ROSTER);
    const r = check(dir, {
      GITHUB_ACTIONS: 'true',
      GITHUB_WORKSPACE: dir,
      ROSTER_FILE: 'users/missing, really: gone.json',
    });
    expect(r.status).toBe(1);
    expect(r.stdout).toBe(
      '::error file=users/missing%2C really%3A gone.json,title=Roster problem::$: cannot read the file: file not found\n',
    );
  });
});

describe('what npm run check loads', () => {
  it('is the validation only: no cdktf, no AWS SDK, no stacks', async () => {
    const result = await build({
      entryPoints: [join(ROOT, 'scripts', 'check.ts')],
      bundle: true,
      platform: 'node',
      packages: 'external',
      write: false,
      metafile: true,
      logLevel: 'silent',
      outdir: join(tmpdir(), 'unused'),
    });
    const inputs = Object.values(result.metafile.outputs)[0].inputs;
    const files = Object.keys(inputs).sort();
    const packages = new Set(
      Object.values(result.metafile.inputs).flatMap((i) =>
        i.imports.filter((m) => m.external).map((m) => m.path),
      ),
    );
    expect([...packages].sort()).toEqual([
      'jsonc-parser',
      'node:child_process',
      'node:fs',
      'node:path',
      'zod',
      // shared/contract.ts's schema of the queued bodies (the function's zod): ~10 ms more.
      'zod/mini',
    ]);
    for (const f of files) expect(f).toMatch(/^(inputs|shared|scripts)\/[\w-]+\.ts$/);
    expect(files).not.toContain('stacks/synth.ts');
  });
});

describe('npm run check on removals', () => {
  const people = (names: readonly string[]) => ({
    groups: [],
    users: names.map((n) => ({ userName: n, email: `${n}@example.com` })),
  });
  const FIVE = ['ann', 'bo', 'cy', 'dee', 'eve'];

  /** A workspace whose roster is committed with FIVE people, then rewritten. */
  function committed(now: unknown): string {
    const dir = workspace(people(FIVE));
    const git = (...args: string[]) =>
      execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], {
        cwd: dir,
        stdio: 'ignore',
      });
    git('init', '-q');
    git('add', '.');
    git('commit', '-qm', 'roster');
    writeFileSync(join(dir, 'users', 'users.json'), JSON.stringify(now, null, 2));
    return dir;
  }

  it('warns, and still passes, when users is empty', () => {
    const r = check(workspace({ groups: [], users: [] }));
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('users/users.json: 0 people, 0 groups; config/settings.json: OK\n');
    expect(r.stderr).toBe(
      'users/users.json: warning: users is empty: a plan would remove every person this stack manages, with their passwords and access keys\n',
    );
  });

  it('says how many the committed roster had when the list is emptied', () => {
    const r = check(committed({ groups: [], users: [] }));
    expect(r.stderr).toContain('remove every person this stack manages (5 in HEAD)');
  });

  it('warns when a change removes more than 20% of the committed people, naming them', () => {
    const r = check(committed(people(['ann', 'bo', 'cy'])));
    expect(r.status).toBe(0);
    expect(r.stderr).toBe(
      'users/users.json: warning: this change removes 2 of 5 people (40%) of the roster in HEAD, more than 20% (ROSTER_REMOVAL_WARNING_SHARE): dee, eve; check it is meant\n',
    );
    const gh = check(committed(people(['ann', 'bo', 'cy'])), {
      GITHUB_ACTIONS: 'true',
      GITHUB_WORKSPACE: '',
    });
    expect(gh.stdout).toMatch(
      /^::warning file=users\/users.json,title=Roster warning::this change removes 2 of 5 people/m,
    );
  });

  it('stays quiet at or below the share, which the environment sets', () => {
    expect(check(committed(people(['ann', 'bo', 'cy', 'dee']))).stderr).toBe('');
    expect(check(committed(people(['ann', 'bo', 'cy', 'Dee', 'eve', 'fay']))).stderr).toBe('');
    const half = { ROSTER_REMOVAL_WARNING_SHARE: '50%' };
    expect(check(committed(people(['ann', 'bo', 'cy'])), half).stderr).toBe('');
    expect(check(committed(people(['ann', 'bo'])), half).stderr).toMatch(/removes 3 of 5 people/);
  });

  it('refuses a share that is not one', () => {
    const r = check(committed(people(FIVE)), { ROSTER_REMOVAL_WARNING_SHARE: 'lots' });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('ROSTER_REMOVAL_WARNING_SHARE must be a share between 0 and 1');
  });

  it('without git history, checks only the empty list', () => {
    expect(check(workspace(people(['ann']))).stderr).toBe('');
  });
});

describe('workflow commands', () => {
  it("escape as GitHub's runner reads them: %, CR, LF in data; also : and , in properties", () => {
    expect(escapeData('50% done\r\nnext: a, b')).toBe('50%25 done%0D%0Anext: a, b');
    expect(escapeProperty('dir: a, b%\n')).toBe('dir%3A a%2C b%25%0A');
  });

  it('name files from the repository root, with forward slashes', () => {
    expect(repositoryPath('users/users.json', '/repo')).toBe('users/users.json');
    expect(repositoryPath('/repo/config/settings.json', '/repo')).toBe('config/settings.json');
    expect(repositoryPath('/elsewhere/x.json', '/repo')).toBe('/elsewhere/x.json');
  });

  it('annotate an error outside the files without a file', () => {
    expect(
      annotations(new BuildEnvironmentError('TF_STATE_KEY set without TF_STATE_BUCKET'), '/repo'),
    ).toEqual(['::error title=Configuration problem::TF_STATE_KEY set without TF_STATE_BUCKET']);
  });
});
