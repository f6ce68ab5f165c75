/**
 * Hostile values where the function shows them to a person: the welcome
 * email's greeting (format characters removed: the reader is the new person)
 * and the admins' notice, by email and in Slack (format characters shown:
 * the admins must see them; no mention or link markup from input). A bounce's
 * diagnostic text is written by a remote mail server, so it is input too.
 */
import { renderAdminNotice } from '../../../../handlers/welcome/core/admin-notice-render';
import { renderWelcomeEmail } from '../../../../handlers/welcome/core/message';

const RLO = '\u202e';
const ZWSP = '\u200b';
const ZWJ = '\u200d';
/** Every character that hides or reorders text. */
const INVISIBLE = /\p{Cf}/u;
/** A scheme or `www.` a client would link. */
const LIVE_LINK = /(?:https?|ftp):\/\/|www\.\p{L}/iu;

const email = (displayName: string, userName = 'alice.martin') =>
  renderWelcomeEmail({
    userName,
    displayName,
    email: 'alice.martin@example.com',
    signInUrl: 'https://123456789012.signin.aws.amazon.com/console',
    organisationName: 'Example Corp',
    helpContact: 'it-help@example.com',
    password: '<password>',
    issuedAtMs: Date.UTC(2026, 11, 2),
  });

/** The body's "Hello …," line, text and HTML. */
function greetings(displayName: string, userName?: string): string[] {
  const e = email(displayName, userName);
  return [
    /^Hello (.*),$/m.exec(e.text)?.[1] ?? 'no greeting in the text',
    /<p[^>]*>Hello <span dir="auto">(.*?)<\/span>,<\/p>/.exec(e.html)?.[1] ??
      'no greeting in the HTML',
  ];
}

describe('the email greeting', () => {
  it('drops bidi controls and zero-width characters', () => {
    expect(greetings(`Alice${RLO} Martin`)).toEqual(['Alice Martin', 'Alice Martin']);
    expect(greetings(`Al${ZWSP}ice Ma${ZWJ}rtin`)).toEqual(['Alice Martin', 'Alice Martin']);
  });

  it('defangs a bare URL, so no mail client links it', () => {
    for (const hostile of ['https://evil.example', 'www.evil.example', 'evil.example/x']) {
      for (const g of greetings(`Alice ${hostile}`)) {
        expect(g).not.toMatch(LIVE_LINK);
        expect(g).toContain('evil[.]example');
      }
    }
    const [text] = greetings(`http${ZWSP}s://evil.example`);
    expect(text).toBe('hxxps[:]//evil[.]example');
  });

  it('falls back to the user name when nothing visible is left of the display name', () => {
    expect(greetings(`${ZWSP}${RLO}`)).toEqual(['alice.martin', 'alice.martin']);
  });

  it('leaves a plain name alone, dots and all', () => {
    expect(greetings('Zoë Ångström')).toEqual(['Zoë Ångström', 'Zoë Ångström']);
    expect(greetings('Anne-Marie O. Smith')).toEqual([
      'Anne-Marie O. Smith',
      'Anne-Marie O. Smith',
    ]);
    expect(greetings('', 'alice.martin')).toEqual(['alice.martin', 'alice.martin']);
  });
});

describe('the admin notice', () => {
  const hostile = [
    `diagnosticCode: smtp; 550 5.1.1 ${RLO}moc.live@ ${ZWSP}`,
    'visit https://evil.example or www.evil.example or evil.example/x',
    '<!channel> <!here> <@U012AB3CD> <!subteam^S012AB3CD> <http://evil.example|click>',
    '@here @channel @everyone [x](http://e)',
  ].join(' ');
  const notice = renderAdminNotice(
    { kind: 'bounced', userName: `eve${ZWJ}.admin`, address: 'eve@example.com', detail: hostile },
    { organisationName: `Example${RLO} Corp` },
  );

  it('shows format characters as \\uXXXX in the text, the subject and Slack', () => {
    for (const out of [notice.text, notice.subject, notice.slack.text]) {
      expect(out).not.toMatch(INVISIBLE);
    }
    expect(notice.text).toContain('eve\\u200d.admin');
    expect(notice.text).toContain('550 5.1.1 \\u202emoc.live@ \\u200b');
    expect(notice.subject).toContain('eve\\u200d.admin');
    expect(notice.text).toContain('(iam-onboarding, Example\\u202e Corp)');
  });

  it('defangs every bare URL, by email and in Slack', () => {
    for (const out of [notice.text, notice.slack.text]) {
      expect(out).not.toMatch(LIVE_LINK);
      expect(out).toContain('hxxps[:]//evil[.]example or www[.]evil[.]example or evil[.]example/x');
    }
  });

  it('lets no mention or link markup reach Slack', () => {
    const slack = notice.slack.text;
    // Slack reads markup only between < and >: none is left.
    expect(slack).not.toMatch(/[<>]/);
    expect(slack).toContain('&lt;!channel&gt; &lt;!here&gt; &lt;@ U012AB3CD&gt;');
    expect(slack).toContain('&lt;!subteam^S012AB3CD&gt;');
    expect(slack).not.toMatch(/(^|\s)@(here|channel|everyone)\b/);
    expect(slack).toContain('@ here @ channel @ everyone');
    // An address keeps its @.
    expect(slack).toContain('eve@example.com');
  });
});
