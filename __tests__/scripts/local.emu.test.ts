/**
 * `npm run local`, run as a person runs it, in a scratch folder: where moto
 * is missing (one line, exit 1, nothing written); the first run (the roster
 * deployed into moto, one email per person in the outbox); a re-run after
 * the roster raised one `resend` (only that change applied against the kept
 * state, and one new email, after the function's in-flight window); and
 * `--reset` (everything started over).
 *
 * The re-run waits about five minutes on purpose. moto keeps its state in
 * memory only, so each run rebuilds it by replaying the requests the last one
 * made; that re-creates every user and login profile, which are then
 * seconds old, and the function rightly defers a resend while a profile is
 * younger than its in-flight window (IN_FLIGHT_WINDOW_MS, a product
 * constant). moto has no clock to set and CreateLoginProfile takes no date,
 * so nothing in the harness can age the replayed profile short of lying to
 * the function about the time; the script waits the window out, and so does
 * this test.
 */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');
const MINUTES = 60_000;

function local(cwd: string, args: string[] = [], env: NodeJS.ProcessEnv = {}) {
  return spawnSync(
    process.execPath,
    [require.resolve('tsx/cli'), join(ROOT, 'scripts/local.ts'), ...args],
    {
      cwd,
      encoding: 'utf8',
      env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', ...env },
      maxBuffer: 64 * 1024 * 1024,
    },
  );
}

it('says in one line how to install moto, exits non-zero, and writes nothing', () => {
  const cwd = mkdtempSync(join(tmpdir(), 'iam-onboarding-local-'));
  try {
    const r = local(cwd, [], { MOTO_PYTHON: join(cwd, 'no-such-python') });
    expect(r.status).toBe(1);
    expect(r.stderr.trim().split('\n')).toEqual([
      'moto is not installed: pip install "moto[server]"',
    ]);
    expect(r.stdout).toBe('');
    expect(existsSync(join(cwd, 'cdktf.out'))).toBe(false);
  } finally {
    rmSync(cwd, { recursive: true, force: true });
  }
});

describe('npm run local: a first run, a re-run that raises a resend, and --reset', () => {
  const roster = JSON.parse(readFileSync(join(ROOT, 'users/users.json'), 'utf8')) as {
    users: { userName: string; email: string; resend?: number }[];
  };
  const emails = roster.users.map((u) => u.email).sort();
  const bo = roster.users.find((u) => u.userName === 'bo.chen')!;
  let cwd: string;
  let rosterFile: string;
  const run = (args: string[] = []) =>
    local(cwd, args, {
      ROSTER_FILE: rosterFile,
      SETTINGS_FILE: join(ROOT, 'config/settings.json'),
    });
  const outbox = () => join(cwd, 'cdktf.out/local/outbox');
  /** Each email in the outbox: its address and subject, from its .txt, by file name. */
  const mail = () =>
    existsSync(outbox())
      ? readdirSync(outbox())
          .filter((f) => f.endsWith('.txt'))
          .sort()
          .map((f) => {
            const text = readFileSync(join(outbox(), f), 'utf8');
            return {
              file: f,
              to: /^To: (.*)$/m.exec(text)![1],
              subject: /^Subject: (.*)$/m.exec(text)![1],
              password: /Temporary password:\s+(\S+)/.exec(text)?.[1],
              html: existsSync(join(outbox(), f.replace(/\.txt$/, '.html'))),
            };
          })
      : [];
  const explain = (r: SpawnSyncReturns<string>) =>
    `exit ${r.status}\n--- stdout\n${r.stdout}\n--- stderr\n${r.stderr.slice(-4000)}`;
  let first: SpawnSyncReturns<string>;
  let firstMail: ReturnType<typeof mail>;

  beforeAll(() => {
    cwd = mkdtempSync(join(tmpdir(), 'iam-onboarding-local-'));
    rosterFile = join(cwd, 'users.json');
    writeFileSync(rosterFile, JSON.stringify(roster));
    first = run();
    firstMail = mail();
  }, 15 * MINUTES);

  afterAll(() => rmSync(cwd, { recursive: true, force: true }));

  it('first run: deploys the roster, a clean plan after it, one email per person in the outbox, the state kept', () => {
    expect({ status: first.status, why: first.status === 0 ? '' : explain(first) }).toEqual({
      status: 0,
      why: '',
    });
    expect(first.stdout).toMatch(
      new RegExp(
        `Deployed into moto \\S+ in \\d+ s \\(${roster.users.length} created, 0 resend, 0 removed; the plan after it: no changes\\)`,
      ),
    );
    expect(firstMail.map((m) => m.to).sort()).toEqual(emails);
    for (const m of firstMail) {
      expect(m.subject).toMatch(/^Your sign-in for the .* AWS account$/);
      expect(m.password).toBeDefined();
      expect(m.html).toBe(true);
      expect(first.stdout).toContain(`${m.to}: "${m.subject}"`);
    }
    for (const f of ['terraform.tfstate', 'requests.jsonl', 'emulator.json'])
      expect(existsSync(join(cwd, 'cdktf.out/local', f))).toBe(true);
  });

  it(
    're-run with one resend raised: only that change applied, its deferral said, then one new email with a new password',
    () => {
      writeFileSync(
        rosterFile,
        JSON.stringify({
          ...roster,
          users: roster.users.map((u) => (u === bo ? { ...u, resend: (u.resend ?? 0) + 1 } : u)),
        }),
      );
      const started = Date.now();
      const r = run();
      const took = Date.now() - started;
      expect({ status: r.status, why: r.status === 0 ? '' : explain(r) }).toEqual({
        status: 0,
        why: '',
      });
      expect(r.stdout).toMatch(/\(0 created, 1 resend, 0 removed; the plan after it: no changes\)/);
      // The replay re-created bo.chen's profile seconds ago: deferred, said why, waited out.
      expect(r.stdout).toMatch(
        /bo\.chen: resend deferred: within the 5-minute in-flight window \(its login profile is \d+ s old: the replay of moto's state re-created it\)/,
      );
      expect(r.stdout).toMatch(/waiting \d+ s for the queue's next delivery/);
      expect(took).toBeGreaterThan(5 * MINUTES);
      const fresh = mail().filter((m) => !firstMail.some((f) => f.file === m.file));
      expect(fresh.map((m) => m.to)).toEqual([bo.email]);
      expect(fresh[0].subject).toMatch(/^New temporary password for the .* AWS account \(.+\)$/);
      const old = firstMail.find((m) => m.to === bo.email)!.password;
      expect(fresh[0].password).toBeDefined();
      expect(fresh[0].password).not.toBe(old);
      expect(r.stdout).not.toContain('no resend email');
    },
    15 * MINUTES,
  );

  it(
    '--reset starts over: a fresh deploy, everyone welcomed again, the old outbox gone',
    () => {
      const before = readFileSync(join(cwd, 'cdktf.out/local/requests.jsonl'), 'utf8').length;
      const r = run(['--reset']);
      expect({ status: r.status, why: r.status === 0 ? '' : explain(r) }).toEqual({
        status: 0,
        why: '',
      });
      expect(r.stdout).toMatch(
        new RegExp(
          `\\(${roster.users.length} created, 0 resend, 0 removed; the plan after it: no changes\\)`,
        ),
      );
      const after = mail();
      expect(after.map((m) => m.to).sort()).toEqual(emails);
      expect(after.some((m) => firstMail.some((f) => f.file === m.file))).toBe(false);
      for (const m of after) expect(m.subject).toMatch(/^Your sign-in for the .* AWS account$/);
      // Nothing was replayed: the recording holds this run's requests only.
      expect(readFileSync(join(cwd, 'cdktf.out/local/requests.jsonl'), 'utf8').length).toBeLessThan(
        before,
      );
    },
    15 * MINUTES,
  );
});
