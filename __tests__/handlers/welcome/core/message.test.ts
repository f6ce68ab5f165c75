import fc from 'fast-check';
import {
  DISPLAY_NAME_MAX,
  expiryMoment,
  renderWelcomeEmail,
  type WelcomeEmailInput,
} from '../../../../handlers/welcome/core/message';
import { formatMailbox } from '../../../../handlers/welcome/core/text';
import { checkMailbox } from '../../../../shared/rules';

const PLACEHOLDER = 'PLACEHOLDER-PASSWORD-1234';

const base: WelcomeEmailInput = {
  userName: 'ada.lovelace',
  displayName: 'Ada Lovelace',
  email: 'ada.lovelace@example.com',
  signInUrl: 'https://example-corp.signin.aws.amazon.com/console',
  organisationName: 'Example Corp',
  helpContact: 'it-help@example.com or #it-help on Slack',
  password: PLACEHOLDER,
  /** 2 December 2026, 10:17:42 UTC. */
  issuedAtMs: Date.UTC(2026, 11, 2, 10, 17, 42),
  unusedPasswordDays: 7,
};

describe('renderWelcomeEmail', () => {
  it('renders subject, text and HTML (snapshot)', () => {
    expect(renderWelcomeEmail(base)).toMatchSnapshot();
  });

  it('says near the top that it replaces any earlier email (snapshot)', () => {
    const email = renderWelcomeEmail({ ...base, replacesEarlier: true });
    expect(email).toMatchSnapshot();
    const plain = renderWelcomeEmail(base);
    expect(plain.text).not.toContain('replaces');
    expect(plain.html).not.toContain('replaces');
    for (const body of [email.text, email.html]) {
      const notice = body.indexOf('This email replaces any earlier welcome email');
      expect(notice).toBeGreaterThan(0);
      expect(notice).toBeLessThan(body.indexOf(PLACEHOLDER));
      expect(notice).toBeLessThan(body.indexOf('You now have your own sign-in'));
      expect(body).toContain('Only the temporary password below works');
    }
    expect(email.subject).toBe(plain.subject);
  });

  it('walks the person through MFA set-up after the password change when MFA is required', () => {
    const email = renderWelcomeEmail({ ...base, mfaRequired: true });
    const text = email.text;
    const change = text.indexOf('You must choose a new password');
    const steps = text.indexOf('set up multi-factor authentication (MFA)');
    expect(change).toBeGreaterThan(0);
    expect(steps).toBeGreaterThan(change);
    expect(text).toMatch(
      /\n {2}1\. Sign in .*\n {2}2\. .*"Security credentials".*\n {2}3\. .*"Assign MFA device".*\n {2}4\. Sign out/,
    );
    expect(email.html).toContain(
      '<li style="margin:0 0 8px 0">Under &quot;Multi-factor authentication (MFA)&quot;, choose &quot;Assign MFA device&quot;',
    );
    expect(renderWelcomeEmail(base).text).not.toContain('MFA');
  });

  it('says when an unused password stops working, in UTC with the month spelled out, and whom to ask', () => {
    const { text, html } = renderWelcomeEmail(base);
    expect(text).toContain(
      'If unused, the temporary password stops working on 9 December 2026 at 10:17 UTC.\n' +
        'After that, ask it-help@example.com or #it-help on Slack for a new one.',
    );
    expect(html).toContain(
      'stops working on <strong>9&nbsp;December&nbsp;2026&nbsp;at&nbsp;10:17&nbsp;UTC</strong>',
    );
    expect(html).toContain(
      'After that, ask it-help@example.com or #it-help on Slack for a new one.',
    );
    const off = renderWelcomeEmail({ ...base, unusedPasswordDays: undefined });
    expect(off.text).not.toContain('stops working on');
    expect(off.html).not.toContain('stops working on');
  });

  it.each([
    // Never later than the real moment: seconds are dropped, not rounded up.
    [Date.UTC(2026, 11, 2, 10, 17, 59, 999), 7, '9 December 2026 at 10:17 UTC'],
    // A year's and a leap day's edge, counted in UTC whatever the reader's zone.
    [Date.UTC(2026, 11, 31, 23, 59), 1, '1 January 2027 at 23:59 UTC'],
    [Date.UTC(2028, 1, 28, 0, 5), 1, '29 February 2028 at 00:05 UTC'],
    [Date.UTC(2026, 0, 1, 0, 0), 45, '15 February 2026 at 00:00 UTC'],
  ])('dates a password issued at %p with %p days as %p', (issuedAtMs, days, expected) => {
    expect(expiryMoment(issuedAtMs, days)).toBe(expected);
  });

  it('gives a resend a dated subject of its own and an opening that says the password is new', () => {
    const first = renderWelcomeEmail(base);
    const resend = renderWelcomeEmail({ ...base, resend: true, replacesEarlier: true });
    expect(resend.subject).toBe(
      'New temporary password for the Example Corp AWS account (2 December 2026)',
    );
    const nextDay = renderWelcomeEmail({
      ...base,
      resend: true,
      issuedAtMs: base.issuedAtMs + 86_400_000,
    });
    expect(nextDay.subject).not.toBe(resend.subject);
    expect(resend.subject).not.toBe(first.subject);
    for (const body of [resend.text, resend.html]) {
      const notice = body.indexOf(
        'This is a new temporary password, sent because one was asked for.',
      );
      expect(notice).toBeGreaterThan(0);
      expect(notice).toBeLessThan(body.indexOf(PLACEHOLDER));
      expect(body).toContain('The password in any earlier email no longer works');
      expect(body).not.toContain('You now have your own sign-in');
    }
  });

  it('tells a renamed person the old user name, its password and MFA device no longer work', () => {
    const renamed = renderWelcomeEmail({
      ...base,
      userName: 'ada.king',
      renamedFrom: 'ada.lovelace',
      mfaRequired: true,
    });
    expect(renamed.subject).toBe('Your new user name for the Example Corp AWS account');
    for (const body of [renamed.text, renamed.html]) {
      const notice = body.indexOf('Your user name has changed from ada.lovelace to ada.king.');
      expect(notice).toBeGreaterThan(0);
      expect(notice).toBeLessThan(body.indexOf(PLACEHOLDER));
      expect(body).toContain(
        'The old user name ada.lovelace, its password and any MFA device set up for it no longer work.',
      );
      expect(body).toContain(
        'Your authenticator app may still show an entry for the old user name',
      );
    }
    expect(renamed.text).toContain('User name:          ada.king');
    expect(renamed.text).not.toContain('Only the temporary password below works');
    // Sent again (an orphaned profile replaced): only this copy's password works.
    expect(
      renderWelcomeEmail({
        ...base,
        userName: 'ada.king',
        renamedFrom: 'ada.lovelace',
        replacesEarlier: true,
      }).text,
    ).toContain('Only the temporary password below works');
    // A resend after the rename is a resend.
    expect(
      renderWelcomeEmail({
        ...base,
        userName: 'ada.king',
        renamedFrom: 'ada.lovelace',
        resend: true,
      }).subject,
    ).toMatch(/^New temporary password/);
  });

  it("carries a display name up to the roster's limit, and cuts only what is longer", () => {
    const name = `Ada ${'x'.repeat(DISPLAY_NAME_MAX - 4)}`;
    expect(name).toHaveLength(256);
    expect(renderWelcomeEmail({ ...base, displayName: name }).text).toContain(`Hello ${name},`);
    const cut = renderWelcomeEmail({ ...base, displayName: `${name}y` }).text.split('\n')[0];
    expect(cut).toBe(`Hello ${name.slice(0, 255)}…,`);
  });

  it('keeps the comma after a right-to-left name where it belongs', () => {
    const { text, html } = renderWelcomeEmail({ ...base, displayName: 'ليلى عبد الله' });
    expect(text.split('\n')[0]).toBe('Hello \u2068ليلى عبد الله\u2069,');
    expect(html).toContain('Hello <span dir="auto">ليلى عبد الله</span>,');
    expect(renderWelcomeEmail({ ...base, displayName: '山田 太郎' }).text).toMatch(
      /^Hello 山田 太郎,/,
    );
  });

  it('puts the password alone in a monospace block that selects whole', () => {
    const { html } = renderWelcomeEmail(base);
    const block = /<tr><td style="([^"]*)">([^<]*)<\/td><\/tr>\n<\/table>/.exec(html);
    expect(block?.[2]).toBe(PLACEHOLDER);
    expect(block?.[1]).toMatch(/monospace/);
    expect(block?.[1]).toMatch(/user-select:all/);
    expect(block?.[1]).toMatch(/word-break:break-all/);
  });

  it('greets by user name when there is no display name', () => {
    const { text, html } = renderWelcomeEmail({ ...base, displayName: undefined });
    expect(text.startsWith('Hello ada.lovelace,')).toBe(true);
    expect(html).toMatch(/<p[^>]*>Hello <span dir="auto">ada.lovelace<\/span>,<\/p>/);
  });

  it('escapes every value in the HTML body', () => {
    const hostile = '<script>alert("x")</script> & \'quoted\'';
    const { html } = renderWelcomeEmail({
      userName: hostile,
      displayName: hostile,
      email: hostile,
      signInUrl: `https://x.example/"><img src=x onerror=alert(1)>`,
      organisationName: hostile,
      helpContact: hostile,
      password: '<&>"\'',
      issuedAtMs: 0,
      renamedFrom: hostile,
    });
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<img');
    expect(html).toContain('href="https://x.example/&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"');
    expect(html).toContain(
      '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;quoted&#39;',
    );
    expect(html).toContain('&lt;&amp;&gt;&quot;&#39;');
  });

  it('does not link a sign-in address that is not https', () => {
    const { html } = renderWelcomeEmail({ ...base, signInUrl: 'javascript:alert(1)' });
    expect(html).not.toContain('href=');
  });

  it('keeps the subject one header-safe line and text lines unforgeable, whatever the input', () => {
    // Any code points at all, control characters (C0, C1, DEL) included.
    const anyText = fc.string({ unit: 'binary', maxLength: 60 });
    const withBreaks = fc
      .tuple(anyText, fc.constantFrom('\r\n', '\n', '\r', '\u2028', '\u0000', '\t'), anyText)
      .map(([a, br, b]) => `${a}${br}Bcc: evil@example.com${br}${b}`);
    fc.assert(
      fc.property(withBreaks, withBreaks, withBreaks, (org, name, help) => {
        const { subject, text } = renderWelcomeEmail({
          ...base,
          organisationName: org,
          displayName: name,
          helpContact: help,
        });
        // eslint-disable-next-line no-control-regex
        expect(subject).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/);
        expect(subject.length).toBeLessThanOrEqual(150);
        expect(text.split('\n').some((line) => line.startsWith('Bcc:'))).toBe(false);
      }),
    );
  });
});

// Which addresses and senders are accepted is shared/rules.ts's (tested in __tests__/shared).
describe('the From header', () => {
  it.each([
    ['it@example.com', 'it@example.com'],
    ['Example IT <it@example.com>', '"Example IT" <it@example.com>'],
    ['"IT, Example" <it@example.com>', '"IT, Example" <it@example.com>'],
  ])('sender %j is formatted as %j', (input, expected) => {
    const parsed = checkMailbox(input);
    expect(parsed.ok && formatMailbox(parsed.address, parsed.displayName)).toBe(expected);
  });

  it('escapes quotes and backslashes in a name, and MIME-encodes a name that is not ASCII', () => {
    expect(formatMailbox('it@example.com', 'IT "Ops" \\ Desk')).toBe(
      '"IT \\"Ops\\" \\\\ Desk" <it@example.com>',
    );
    expect(formatMailbox('it@example.com', 'Équipe IT')).toBe(
      '=?UTF-8?B?w4lxdWlwZSBJVA==?= <it@example.com>',
    );
  });
});
