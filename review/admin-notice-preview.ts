/**
 * Admin notice previews: what the admins will be told because of a plan,
 * rendered by the function's own renderer (handlers/welcome/core/
 * admin-notice-render.ts): one "welcomed" notice per person the plan adds,
 * and a sample bounce notice, so reviewers see the wording before it ships.
 * Pure: scripts/preview.ts writes the files.
 */
import type { AdminNotice } from '../handlers/welcome/core/admin-notice';
import {
  renderAdminNotice,
  type RenderedAdminNotice,
} from '../handlers/welcome/core/admin-notice-render';
import type { Settings } from '../inputs/settings';
import type { NewPerson } from './email-preview';

export interface AdminNoticePreview {
  readonly notice: AdminNotice;
  readonly rendered: RenderedAdminNotice;
  /** `<name>.txt` under the previews folder. */
  readonly file: string;
}

/** Where the admin notices go, for the preview's header. */
export function noticeDestinations(settings: Pick<Settings, 'notifications'>): string {
  const { adminEmails, slackWebhookParameter } = settings.notifications;
  const parts = [
    ...(adminEmails.length > 0 ? [`email to ${adminEmails.join(', ')}`] : []),
    ...(slackWebhookParameter ? [`Slack (webhook URL in SSM ${slackWebhookParameter})`] : []),
  ];
  return parts.length > 0
    ? parts.join('; ')
    : 'nowhere: no notifications configured (bounces still raise the welcome-email-problems alarm)';
}

/** A bounce as it would be reported for the first person added (or a stand-in). */
function sampleBounce(people: readonly NewPerson[]): AdminNotice {
  const who = people[0] ?? { userName: 'new.person', email: 'new.person@example.com' };
  return {
    kind: 'bounced',
    userName: who.userName,
    address: who.email,
    detail: 'General: smtp; 550 5.1.1 user unknown (a sample: no real bounce)',
  };
}

export function renderAdminNoticePreviews(
  people: readonly NewPerson[],
  settings: Pick<Settings, 'organisationName' | 'notifications'>,
): AdminNoticePreview[] {
  const ctx = { organisationName: settings.organisationName };
  const notices: AdminNotice[] = [
    ...people.map((p): AdminNotice => ({ kind: 'welcomed', userName: p.userName })),
    sampleBounce(people),
  ];
  return notices.map((notice, i) => ({
    notice,
    rendered: renderAdminNotice(notice, ctx),
    file: `admin-notice-${String(i + 1).padStart(3, '0')}-${notice.kind}.txt`,
  }));
}

/** One preview as a text file: where it goes, the subject, the email text and the Slack text. */
export function adminNoticePreviewText(
  p: AdminNoticePreview,
  settings: Pick<Settings, 'notifications'>,
): string {
  return [
    `To: ${noticeDestinations(settings)}`,
    `Subject: ${p.rendered.subject}`,
    '',
    p.rendered.text,
    '',
    '--- as posted to Slack ---',
    p.rendered.slack.text,
    '',
  ].join('\n');
}
