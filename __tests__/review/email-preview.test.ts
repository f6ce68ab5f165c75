/** Email previews: the function's own renderer, a marked placeholder, escaped names. */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { renderWelcomeEmail } from '../../handlers/welcome/core/message';
import {
  PASSWORD_PLACEHOLDER,
  peopleAdded,
  previewStem,
  previewText,
  renderIndex,
  renderPreviews,
  type PreviewSettings,
} from '../../lib/email-preview';
import type { ResourceChange, TerraformPlan } from '../../lib/offline-plan';

const settings: PreviewSettings = {
  accountId: '123456789012',
  organisationName: 'Example Corp',
  helpContact: 'it-help@example.com',
};

function userChange(
  actions: ResourceChange['change']['actions'],
  name: string,
  tags: Record<string, string>,
  path = '/iam-onboarding/',
): ResourceChange {
  return {
    address: `aws_iam_user.${name.replace(/\W/g, '_')}`,
    type: 'aws_iam_user',
    name: name.replace(/\W/g, '_'),
    mode: 'managed',
    change: {
      actions,
      before: actions.includes('delete') ? { name, path, tags } : null,
      after: actions.includes('create') || actions.includes('update') ? { name, path, tags } : null,
    },
  };
}

const managed = (email: string, displayName?: string) => ({
  'managed-by': 'iam-onboarding',
  email,
  ...(displayName === undefined ? {} : { 'display-name': displayName }),
});

const HOSTILE = '<script>alert("x")</script> & <b onmouseover=1>';

const plan: TerraformPlan = {
  format_version: '1.2',
  resource_changes: [
    userChange(['create'], 'zoe', managed('zoe@example.com', HOSTILE)),
    userChange(['create'], 'alice.martin', managed('alice.martin@example.com', 'Alice Martin')),
    userChange(['delete', 'create'], 'bo', managed('bo@example.com')),
    userChange(['update'], 'carla', managed('carla@example.com')),
    userChange(['delete'], 'dan', managed('dan@example.com')),
    // The function skips these, so no preview either.
    userChange(['create'], 'no-email', { 'managed-by': 'iam-onboarding' }),
    userChange(['create'], 'elsewhere', managed('e@example.com'), '/other/'),
    userChange(['create'], 'unmanaged', { email: 'u@example.com' }),
  ],
};

describe('email previews', () => {
  it('are for the people the plan creates a user for, and only those the function would welcome', () => {
    expect(peopleAdded(plan)).toEqual([
      { userName: 'alice.martin', email: 'alice.martin@example.com', displayName: 'Alice Martin' },
      { userName: 'bo', email: 'bo@example.com' },
      { userName: 'zoe', email: 'zoe@example.com', displayName: HOSTILE },
    ]);
  });

  it("are rendered by the function's renderer, with the placeholder as the password", () => {
    const [alice] = renderPreviews(peopleAdded(plan), settings);
    expect(alice.email).toEqual(
      renderWelcomeEmail({
        userName: 'alice.martin',
        displayName: 'Alice Martin',
        email: 'alice.martin@example.com',
        signInUrl: 'https://123456789012.signin.aws.amazon.com/console',
        organisationName: 'Example Corp',
        helpContact: 'it-help@example.com',
        password: PASSWORD_PLACEHOLDER,
      }),
    );
    expect(alice.email.text).toContain('Temporary password: <temporary password>');
    expect(alice.email.html).toContain('&lt;temporary password&gt;');
  });

  it('show the MFA set-up steps when the settings require MFA, as the function sends them', () => {
    const [withMfa] = renderPreviews(peopleAdded(plan), {
      ...settings,
      security: { requireMfa: true },
    });
    expect(withMfa.email.text).toContain('choose "Assign MFA device"');
    const [without] = renderPreviews(peopleAdded(plan), {
      ...settings,
      security: { requireMfa: false },
    });
    expect(without.email.text).not.toContain('MFA');
  });

  it('use the account alias for the sign-in address when the settings give one', () => {
    const [alice] = renderPreviews(peopleAdded(plan), {
      ...settings,
      accountAlias: 'example-corp',
    });
    expect(alice.email.text).toContain('https://example-corp.signin.aws.amazon.com/console');
  });

  it('contain no real-looking password', () => {
    for (const p of renderPreviews(peopleAdded(plan), settings)) {
      for (const body of [p.email.text, previewText(p)]) {
        const line = body.split('\n').find((l) => l.startsWith('Temporary password:'))!;
        expect(line).toBe(`Temporary password: ${PASSWORD_PLACEHOLDER}`);
      }
      const cell = /Temporary password<\/td><td[^>]*>([^<]*)<\/td>/.exec(p.email.html)?.[1];
      expect(cell).toBe('&lt;temporary password&gt;');
    }
  });

  it('escape a hostile display name in the email and in the index', () => {
    const previews = renderPreviews(peopleAdded(plan), settings);
    const zoe = previews.find((p) => p.person.userName === 'zoe')!;
    const index = renderIndex(previews, settings);
    for (const html of [zoe.email.html, index]) {
      expect(html).not.toContain('<script');
      expect(html).not.toContain('<b onmouseover');
      expect(html).toContain('&lt;script&gt;');
    }
    expect(index).toContain('<a href="zoe.html">HTML</a>');
  });

  it('refuse a user name that is not an IAM name as a file name', () => {
    expect(previewStem('alice.martin+ops@x=y,z_-')).toBe('alice.martin+ops@x=y,z_-');
    for (const bad of ['../etc/passwd', 'a/b', '..', '', 'a b', 'x'.repeat(65)])
      expect(() => previewStem(bad)).toThrow(/not an IAM user name/);
  });

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
      'alice.martin.html',
      'alice.martin.txt',
      'bo.html',
      'bo.txt',
      'index.html',
      'zoe.html',
      'zoe.txt',
    ]);
    expect(readFileSync(join(out, 'bo.txt'), 'utf8')).toMatch(
      /^To: bo@example.com\nSubject: Your sign-in for the Example Corp AWS account\n\nHello bo,/,
    );
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
