/** What an admin notice says, for every kind; what SNS and Slack need of it. */
import type { AdminNoticeKind } from '../../../../handlers/welcome/core/admin-notice';
import {
  renderAdminNotice,
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
