/** Email previews: the function's own renderer, a marked placeholder, escaped names. */
import { renderWelcomeEmail } from '../../handlers/welcome/core/message';
import {
  kindStem,
  PASSWORD_PLACEHOLDER,
  PREVIEW_INDEX_FILE,
  peopleAdded,
  previewStem,
  previewText,
  renderIndex,
  renderPreviews,
} from '../../review/email-preview';
import { HOSTILE, managed, plan, settings, userChange } from '../support/preview-plan';

describe('email previews', () => {
  it('are for the people the plan creates a user for, and only those the function would welcome', () => {
    expect(peopleAdded(plan)).toEqual([
      { userName: 'alice.martin', email: 'alice.martin@example.com', displayName: 'Alice Martin' },
      { userName: 'bo', email: 'bo@example.com' },
      { userName: 'zoe', email: 'zoe@example.com', displayName: HOSTILE },
    ]);
  });

  it("are rendered by the function's renderer, with the placeholder as the password", () => {
    const issuedAtMs = Date.UTC(2026, 11, 2, 10, 0);
    const [alice] = renderPreviews(peopleAdded(plan), settings, issuedAtMs);
    expect(alice.email).toEqual(
      renderWelcomeEmail({
        userName: 'alice.martin',
        displayName: 'Alice Martin',
        email: 'alice.martin@example.com',
        signInUrl: 'https://123456789012.signin.aws.amazon.com/console',
        organisationName: 'Example Corp',
        helpContact: 'it-help@example.com',
        password: PASSWORD_PLACEHOLDER,
        issuedAtMs,
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

  it('say when an unused password stops working when expiry is on, as the function does', () => {
    const issuedAtMs = Date.UTC(2026, 11, 2, 10, 17, 42);
    const on = { ...settings, expiry: { enabled: true, unusedPasswordDays: 7 } };
    const [alice] = renderPreviews(peopleAdded(plan), on, issuedAtMs);
    expect(alice.email.text).toContain(
      'If unused, the temporary password stops working on 9 December 2026 at 10:17 UTC.\n' +
        'After that, ask it-help@example.com for a new one.',
    );
    const off = { ...settings, expiry: { enabled: false, unusedPasswordDays: 7 } };
    expect(renderPreviews(peopleAdded(plan), off, issuedAtMs)[0].email.text).not.toContain(
      'stops working on',
    );
  });

  it("show a rename's email when the planned user carries the renamed-from tag, as the function reads it", () => {
    const renamePlan = {
      ...plan,
      resource_changes: [
        userChange(['create'], 'ada.king', {
          ...managed('ada@example.com'),
          'renamed-from': 'ada.lovelace',
        }),
      ],
    };
    const [ada] = renderPreviews(peopleAdded(renamePlan), settings, Date.UTC(2026, 11, 2));
    expect(ada.person).toMatchObject({ userName: 'ada.king', renamedFrom: 'ada.lovelace' });
    expect(ada.email.subject).toBe('Your new user name for the Example Corp AWS account');
    expect(ada.email.text).toContain('Your user name has changed from ada.lovelace to ada.king.');
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
      // The password's own block: the row under its label.
      const cell = /Temporary password<\/td><\/tr>\n<tr><td[^>]*>([^<]*)<\/td>/.exec(
        p.email.html,
      )?.[1];
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
    expect(index).toContain('<a href="welcome-zoe.html">HTML</a>');
  });

  it('refuse a user name that is not an IAM name as a file name', () => {
    expect(previewStem('alice.martin+ops@x=y,z_-')).toBe('alice.martin+ops@x=y,z_-');
    for (const bad of ['../etc/passwd', 'a/b', '', 'a b', 'x'.repeat(65)])
      expect(() => previewStem(bad)).toThrow(/not an IAM user name/);
  });

  it('key every IAM name safely: never alone, never the index or a notice', () => {
    for (const name of ['.', '..', 'index', 'con', 'admin-notice-001-welcomed']) {
      for (const kind of ['welcome', 'resend'] as const) {
        const stem = kindStem(name, kind);
        expect(stem).toBe(`${kind}-${name}`);
        expect(`${stem}.html`).not.toBe(PREVIEW_INDEX_FILE);
        expect(stem).not.toMatch(/^admin-notice-/);
      }
    }
  });

  it('label the index columns by what they hold, and link the admin notices', () => {
    const previews = renderPreviews(peopleAdded(plan), settings);
    const index = renderIndex(previews, settings, [
      { file: 'admin-notice-001-welcomed.txt', kind: 'welcomed', userName: 'bo', subject: 'S <b>' },
    ]);
    expect(index).toContain(
      '<tr><th>User name</th><th>Which email</th><th>Greeting (display name)</th><th>Sent to</th><th>Subject</th><th>Channel</th><th>Preview</th></tr>',
    );
    expect(index).not.toMatch(/<th>(Email|Address)<\/th>/);
    expect(index).toContain(
      '<tr><td>bo</td><td>welcomed</td><td>S &lt;b&gt;</td><td><a href="admin-notice-001-welcomed.txt">text</a></td></tr>',
    );
    expect(renderIndex(previews, settings)).toContain('the admins are told nothing');
  });
});
