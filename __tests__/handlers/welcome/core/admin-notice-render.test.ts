/** What an admin notice says, for every kind; what SNS and Slack need of it. */
import type { AdminNoticeKind } from '../../../../handlers/welcome/core/admin-notice';
import {
  liftSuppressionCommand,
  renderAdminNotice,
  shellWord,
  slackEscape,
  snsSubject,
} from '../../../../handlers/welcome/core/admin-notice-render';

const KINDS: AdminNoticeKind[] = [
  'welcomed',
  'resent',
  'failed',
  'bounced',
  'complained',
  'rejected',
  'expired',
  'suppressed',
  'bounced-suppressed',
  'slack-fallback',
  'slack-not-delivered',
];

it.each(KINDS)('%s: names the user, says what to do, fits SNS’s subject rules', (kind) => {
  const r = renderAdminNotice(
    { kind, userName: 'alice.martin', address: 'a@example.com', detail: 'why' },
    { organisationName: 'Société Générale d’Exemple, a very long organisation name indeed' },
  );
  expect(r.subject).toMatch(/^\[Soci/);
  expect(r.subject).toMatch(/^[\x20-\x7e]{1,99}$/);
  expect(r.text).toContain('alice.martin');
  expect(r.text).toMatch(/\nWhat to do: \S/);
  expect(r.slack.text).toContain('*What to do:*');
});

it('bounces say to fix the roster and raise resend, with the address', () => {
  const r = renderAdminNotice(
    { kind: 'bounced', userName: 'bo', address: 'bo@example.con' },
    { organisationName: 'Example Corp' },
  );
  expect(r.text).toContain('to bo@example.con bounced permanently');
  expect(r.text).toContain(
    'Fix the email of bo in users/users.json and raise their "resend" counter',
  );
});

it('values from outside cannot break lines or mention a Slack channel', () => {
  const r = renderAdminNotice(
    { kind: 'bounced', userName: 'x', detail: 'line1\nSubject: evil <!channel> & more' },
    { organisationName: 'Org' },
  );
  expect(r.text).toContain('Details: line1 Subject: evil <!channel> & more');
  expect(r.slack.text).toContain('&lt;!channel&gt; &amp; more');
  expect(r.slack.text).not.toContain('<!channel>');
  expect(slackEscape('<a>&')).toBe('&lt;a&gt;&amp;');
});

it('an SNS subject is cut with ASCII dots under 100 characters', () => {
  const s = snsSubject('x'.repeat(300));
  expect(s.length).toBeLessThan(100);
  expect(s.endsWith('...')).toBe(true);
  expect(snsSubject('Zoë\tand\u200bme')).toMatch(/^Zoe and\?me$/);
});

describe('a suppressed address', () => {
  const suppressed = (address: string, onceLifted: 'reconcile' | 'raise-resend' = 'reconcile') =>
    renderAdminNotice(
      {
        kind: 'suppressed',
        userName: 'bo',
        address,
        suppression: {
          addresses: [address],
          reason: 'BOUNCE',
          since: '2026-10-30T08:15:00.000Z',
          onceLifted,
        },
      },
      { organisationName: 'Example Corp' },
    );

  it('names the reason and the date and gives the exact lift command', () => {
    const r = suppressed('bo@example.com');
    expect(r.text).toContain(
      "SES's account-level suppression list holds bo@example.com (reason BOUNCE, since 2026-10-30T08:15:00.000Z)",
    );
    expect(r.text).toContain(
      'lift the suppression: `aws sesv2 delete-suppressed-destination --email-address bo@example.com`.',
    );
    expect(r.text).toContain('The reconcile run then serves bo by itself');
    expect(suppressed('bo@example.com', 'raise-resend').text).toContain(
      'Then raise the "resend" counter of bo in users/users.json again.',
    );
  });

  it('quotes an address the shell would read specially, so the pasted command does what it says', () => {
    expect(shellWord('bo+x=y/z@example.com')).toBe('bo+x=y/z@example.com');
    expect(shellWord("o'neil@example.com")).toBe(`'o'\\''neil@example.com'`);
    expect(shellWord('a$(rm -rf ~)@example.com')).toBe(`'a$(rm -rf ~)@example.com'`);
    expect(liftSuppressionCommand('x;reboot@example.com')).toBe(
      "aws sesv2 delete-suppressed-destination --email-address 'x;reboot@example.com'",
    );
  });

  it('an address from a bounce event cannot break lines, mention a channel or hide text', () => {
    const evil = 'x@example.com\n<!channel>\u202e';
    const r = renderAdminNotice(
      {
        kind: 'bounced-suppressed',
        userName: 'x',
        address: evil,
        suppression: { addresses: [evil], onceLifted: 'raise-resend' },
      },
      { organisationName: 'Org' },
    );
    expect(r.text.split('\n').filter((l) => l.includes('delete-suppressed-destination'))).toEqual([
      expect.stringContaining("--email-address 'x@example.com <!channel>\\u202e'"),
    ]);
    expect(r.slack.text).not.toContain('<!channel>');
    expect(r.slack.text).toContain('&lt;!channel&gt;');
    expect(r.text).not.toContain('\u202e');
  });

  it('a bounce because of the list reads apart from an ordinary bounce', () => {
    const r = renderAdminNotice(
      {
        kind: 'bounced-suppressed',
        userName: 'bo',
        address: 'bo@example.com',
        suppression: { addresses: ['bo@example.com'], onceLifted: 'raise-resend' },
      },
      { organisationName: 'Example Corp' },
    );
    expect(r.subject).toBe('[Example Corp] Welcome email to bo suppressed by SES');
    expect(r.text).not.toContain('bounced permanently');
    expect(r.text).toContain(
      '`aws sesv2 delete-suppressed-destination --email-address bo@example.com`',
    );
  });
});

describe('a Slack DM not sent', () => {
  it('says the email went instead, with what to fix, escaped for Slack', () => {
    const r = renderAdminNotice(
      {
        kind: 'slack-fallback',
        userName: 'sam',
        address: 'sam@example.com',
        detail: 'chat.postMessage: not_in_channel',
        fix: 'add the <!here> scope im:write',
      },
      { organisationName: 'Example Corp' },
    );
    expect(r.subject).toBe('[Example Corp] Welcome of sam sent by email: Slack could not take it');
    expect(r.text).toContain('the welcome email went to sam@example.com instead');
    expect(r.text).toContain('Details: chat.postMessage: not_in_channel');
    expect(r.text).toContain('For Slack to work next time, add the <!here> scope im:write.');
    expect(r.slack.text).not.toContain('<!here>');
  });

  it('beside an email: they have their sign-in', () => {
    const r = renderAdminNotice(
      { kind: 'slack-not-delivered', userName: 'both', detail: 'chat.postMessage: HTTP 500' },
      { organisationName: 'Example Corp' },
    );
    expect(r.text).toContain('They have their sign-in.');
    expect(r.text).toContain('What to do: Nothing for this person.');
  });
});
