/** The admin notices a plan would cause, rendered by the function's own renderer. */
import {
  adminNoticePreviewText,
  noticeDestinations,
  renderAdminNoticePreviews,
} from '../../review/admin-notice-preview';
import { peopleAdded } from '../../review/email-preview';
import { plan } from '../support/preview-plan';

const withBoth = {
  organisationName: 'Example Corp',
  notifications: { adminEmails: ['it-admins@example.com'], slackWebhookParameter: '/x/slack' },
};

it('one welcomed notice per person the plan adds, then a sample bounce naming the first', () => {
  const people = peopleAdded(plan);
  const previews = renderAdminNoticePreviews(people, withBoth);
  expect(previews.map((p) => [p.notice.kind, p.notice.userName])).toEqual([
    ...people.map((p) => ['welcomed', p.userName]),
    ['bounced', people[0].userName],
  ]);
  expect(previews.at(-1)?.notice.address).toBe(people[0].email);
  expect(previews[0].rendered.subject).toBe(
    `[Example Corp] Welcome email sent to ${people[0].userName}`,
  );
  expect(new Set(previews.map((p) => p.file)).size).toBe(previews.length);
});

it('a plan emailing nobody previews no notice: no bounce for a person not in the plan', () => {
  expect(renderAdminNoticePreviews([], withBoth)).toEqual([]);
  expect(renderAdminNoticePreviews({ welcome: [], resend: [] }, withBoth)).toEqual([]);
});

it('a resend-only plan previews a resent notice, and the sample bounce names that person', () => {
  const rose = { userName: 'rose', email: 'rose@example.com' };
  const previews = renderAdminNoticePreviews({ welcome: [], resend: [rose] }, withBoth);
  expect(previews.map((p) => [p.notice.kind, p.notice.userName, p.file])).toEqual([
    ['resent', 'rose', 'admin-notice-001-resent.txt'],
    ['bounced', 'rose', 'admin-notice-002-bounced.txt'],
  ]);
  expect(previews[1].notice.address).toBe('rose@example.com');
});

it('the text says where it goes, and shows the Slack form too', () => {
  const [first] = renderAdminNoticePreviews(peopleAdded(plan), withBoth);
  const text = adminNoticePreviewText(first, withBoth);
  expect(text).toMatch(
    /^To: email to it-admins@example.com; Slack \(webhook URL in SSM \/x\/slack\)\nSubject: \[Example Corp\] /,
  );
  expect(text).toContain('--- as posted to Slack ---');
  expect(noticeDestinations({ notifications: { adminEmails: [] } })).toMatch(/^nowhere/);
});
