/**
 * Admin notice previews: what the admins will be told because of a plan,
 * rendered by the function's own renderer (handlers/welcome/core/
 * admin-notice-render.ts): one "welcomed" notice per person the plan
 * welcomes, one "resent" per resend, and a sample bounce for the first of
 * them, so reviewers see the wording before it ships. Only people in the
 * plan: a plan that emails nobody previews no notice.
 * Pure: scripts/preview.ts writes the files.
 */
import type { AdminNotice } from '../handlers/welcome/core/admin-notice';
import {
  renderAdminNotice,
  type RenderedAdminNotice,
} from '../handlers/welcome/core/admin-notice-render';
import type { Settings } from '../inputs/settings';
import type { NewPerson, PlanRecipients } from './email-preview';

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

/** A bounce as it would be reported for a person the plan emails. */
function sampleBounce(who: NewPerson): AdminNotice {
  return {
    kind: 'bounced',
    userName: who.userName,
    address: who.email,
    detail: 'General: smtp; 550 5.1.1 user unknown (a sample: no real bounce)',
  };
}

export function renderAdminNoticePreviews(
  people: readonly NewPerson[] | PlanRecipients,
  settings: Pick<Settings, 'organisationName' | 'notifications'>,
): AdminNoticePreview[] {
  const ctx = { organisationName: settings.organisationName };
  const { welcome, resend } = Array.isArray(people)
    ? { welcome: people as readonly NewPerson[], resend: [] as readonly NewPerson[] }
    : (people as PlanRecipients);
  const first = welcome[0] ?? resend[0];
  const notices: AdminNotice[] = [
    ...welcome.map((p): AdminNotice => ({ kind: 'welcomed', userName: p.userName })),
    ...resend.map((p): AdminNotice => ({ kind: 'resent', userName: p.userName })),
    ...(first ? [sampleBounce(first)] : []),
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
