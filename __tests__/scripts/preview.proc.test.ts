/** `npm run preview`: the files it writes from a saved plan, and its error without one. */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { change, peoplePlan, user } from '../support/people-plan';
import { managed, plan } from '../support/preview-plan';

describe('npm run preview', () => {
  it('npm run preview writes one HTML and one text file per person, and the index', () => {
    const dir = mkdtempSync(join(tmpdir(), 'iam-onboarding-preview-'));
    const planFile = join(dir, 'plan.json');
    writeFileSync(planFile, JSON.stringify(plan));
    const out = join(dir, 'previews');
    mkdirSync(out);
    writeFileSync(join(out, 'someone-from-an-older-plan.html'), '');
    const run = spawnSync(
      process.execPath,
      [require.resolve('tsx/cli'), 'scripts/preview.ts', '--plan', planFile, '--out', out],
      { encoding: 'utf8' },
    );
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('Welcome email previews for 3 people: alice.martin, bo, zoe');
    expect(readdirSync(out).sort()).toEqual([
      // What the admins will be told: one welcome each, and a sample bounce.
      'admin-notice-001-welcomed.txt',
      'admin-notice-002-welcomed.txt',
      'admin-notice-003-welcomed.txt',
      'admin-notice-004-bounced.txt',
      'index.html',
      'welcome-alice.martin.html',
      'welcome-alice.martin.txt',
      'welcome-bo.html',
      'welcome-bo.txt',
      'welcome-zoe.html',
      'welcome-zoe.txt',
    ]);
    // The index links every file written but itself.
    const index = readFileSync(join(out, 'index.html'), 'utf8');
    for (const f of readdirSync(out).filter((f) => f !== 'index.html'))
      expect(index).toContain(`href="${f}"`);
    expect(readFileSync(join(out, 'welcome-bo.txt'), 'utf8')).toMatch(
      /^To: bo@example.com\nSubject: Your sign-in for the Example Corp AWS account\n\nHello bo,/,
    );
  });

  it('npm run preview writes the Slack DM (Block Kit JSON and a rendering) of a Slack person', () => {
    const dir = mkdtempSync(join(tmpdir(), 'iam-onboarding-preview-'));
    const planFile = join(dir, 'plan.json');
    const slackPlan = {
      ...plan,
      resource_changes: (plan.resource_changes ?? []).map((rc) =>
        (rc.change.after as { name?: string } | null)?.name === 'bo'
          ? {
              ...rc,
              change: {
                ...rc.change,
                after: {
                  ...(rc.change.after as Record<string, unknown>),
                  tags: { ...managed('bo@example.com'), 'delivery-channel': 'slack' },
                },
              },
            }
          : rc,
      ),
    };
    writeFileSync(planFile, JSON.stringify(slackPlan));
    const out = join(dir, 'previews');
    const run = spawnSync(
      process.execPath,
      [require.resolve('tsx/cli'), 'scripts/preview.ts', '--plan', planFile, '--out', out],
      { encoding: 'utf8' },
    );
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const files = readdirSync(out);
    expect(files.filter((f) => f.includes('.slack.')).sort()).toEqual([
      'welcome-bo.slack.html',
      'welcome-bo.slack.json',
    ]);
    const json = JSON.parse(readFileSync(join(out, 'welcome-bo.slack.json'), 'utf8')) as {
      text: string;
      blocks: { type: string }[];
    };
    expect(json.blocks[0].type).toBe('header');
    expect(JSON.stringify(json.blocks)).toContain('<temporary password>');
    expect(readFileSync(join(out, 'welcome-bo.slack.html'), 'utf8')).toContain(
      '&lt;temporary password&gt;',
    );
    const index = readFileSync(join(out, 'index.html'), 'utf8');
    expect(index).toContain('href="welcome-bo.slack.html"');
    expect(index).toContain('href="welcome-bo.slack.json"');
  });

  it('npm run preview writes the resends beside the first welcomes, clearly named', () => {
    const dir = mkdtempSync(join(tmpdir(), 'iam-onboarding-preview-'));
    const planFile = join(dir, 'plan.json');
    writeFileSync(planFile, JSON.stringify(peoplePlan));
    const out = join(dir, 'previews');
    const run = spawnSync(
      process.execPath,
      [require.resolve('tsx/cli'), 'scripts/preview.ts', '--plan', planFile, '--out', out],
      { encoding: 'utf8' },
    );
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain(
      'Welcome email previews for 4 people: abe, ann, bo.chen2, rex\n' +
        'Welcome emails sent again for 2 people: ray, rose\n',
    );
    expect(
      readdirSync(out)
        .filter((f) => f.startsWith('resend-'))
        .sort(),
    ).toEqual(['resend-ray.html', 'resend-ray.txt', 'resend-rose.html', 'resend-rose.txt']);
    expect(readFileSync(join(out, 'resend-rose.txt'), 'utf8')).toMatch(
      /^To: rose@example.com\nSubject: New temporary password for the Example Corp AWS account \(\d{1,2} [A-Z][a-z]+ \d{4}\)\n\nHello Rose,\n\nThis is a new temporary password, sent because one was asked for\./,
    );
    expect(readdirSync(out)).not.toContain('resend-abe.html');
  });

  it('npm run preview keeps users named like its own files apart from them', () => {
    const dir = mkdtempSync(join(tmpdir(), 'iam-onboarding-preview-'));
    const planFile = join(dir, 'plan.json');
    const names = ['index', 'admin-notice-001-welcomed', '..', '.', 'con'];
    writeFileSync(
      planFile,
      JSON.stringify({
        format_version: '1.2',
        resource_changes: names.map((n, i) =>
          change('aws_iam_user', `u${i}`, ['create'], null, user(n, managed(`u${i}@example.com`))),
        ),
      }),
    );
    const out = join(dir, 'previews');
    const run = spawnSync(
      process.execPath,
      [require.resolve('tsx/cli'), 'scripts/preview.ts', '--plan', planFile, '--out', out],
      { encoding: 'utf8' },
    );
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const files = readdirSync(out);
    for (const n of names) {
      expect(files).toContain(`welcome-${n}.html`);
      expect(readFileSync(join(out, `welcome-${n}.txt`), 'utf8')).toMatch(/^To: u\d@example.com/);
    }
    expect(readFileSync(join(out, 'index.html'), 'utf8')).toMatch(/^<!DOCTYPE html>/);
    expect(readFileSync(join(out, 'admin-notice-001-welcomed.txt'), 'utf8')).toMatch(/^To: /);
  });

  it('npm run preview refuses two previews for one file, and leaves the old previews be', () => {
    const dir = mkdtempSync(join(tmpdir(), 'iam-onboarding-preview-'));
    const planFile = join(dir, 'plan.json');
    const clash = {
      format_version: '1.2',
      resource_changes: [
        // IAM would refuse the second; a preview must not overwrite the first.
        change('aws_iam_user', 'a', ['create'], null, user('Bo', managed('a@example.com'))),
        change('aws_iam_user', 'b', ['create'], null, user('bo', managed('b@example.com'))),
      ],
    };
    writeFileSync(planFile, JSON.stringify(clash));
    const out = join(dir, 'previews');
    mkdirSync(out);
    writeFileSync(join(out, 'index.html'), 'earlier');
    const run = spawnSync(
      process.execPath,
      [require.resolve('tsx/cli'), 'scripts/preview.ts', '--plan', planFile, '--out', out],
      { encoding: 'utf8' },
    );
    expect(run.status).toBe(1);
    expect(run.stderr.trim()).toBe(
      'No previews written: two previews would share the file name "welcome-Bo": the welcome email of "bo" and the welcome email of "Bo"; rename one of them in the roster.',
    );
    expect(readdirSync(out)).toEqual(['index.html']);
  });

  it('npm run preview without a plan says to plan first', () => {
    const run = spawnSync(
      process.execPath,
      [require.resolve('tsx/cli'), 'scripts/preview.ts', '--plan', '/nonexistent/plan.json'],
      { encoding: 'utf8' },
    );
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('run `npm run plan` first');
  });
});
