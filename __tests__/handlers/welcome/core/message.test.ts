import fc from 'fast-check';
import {
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
      '<li>Under &quot;Multi-factor authentication (MFA)&quot;, choose &quot;Assign MFA device&quot;',
    );
    expect(renderWelcomeEmail(base).text).not.toContain('MFA');
  });

  it('greets by user name when there is no display name', () => {
    const { text, html } = renderWelcomeEmail({ ...base, displayName: undefined });
    expect(text.startsWith('Hello ada.lovelace,')).toBe(true);
    expect(html).toContain('<p>Hello ada.lovelace,</p>');
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
