/**
 * The welcome as a Slack direct message: the email's words (core/message.ts
 * welcomeContent) as Block Kit blocks, with a `text` fallback. Pure, so the
 * function and the preview (review/email-preview.ts) render alike.
 *
 * Every value from the roster or the settings goes through slackEscape
 * (`&`, `<`, `>`, and a word-initial `@`), so none can become a mention
 * (`<!here>`, `<@U…>`) or a link. The password and the user name sit in
 * rich-text preformatted elements, whose text Slack shows as is: nothing in
 * them is read as markup, and the person can copy them whole.
 *
 * The `text` fallback is what notifications (a phone's lock screen, the
 * desktop banner) show: it carries the subject and never the password.
 */
import { slackEscape } from './admin-notice-render';
import { welcomeContent, type WelcomeEmailInput } from './message';

/** The Block Kit subset this message uses (what the preview renders). */
export type SlackBlock =
  | { type: 'header'; text: { type: 'plain_text'; text: string; emoji: false } }
  | { type: 'section'; text: { type: 'mrkdwn'; text: string } }
  | {
      type: 'rich_text';
      elements: { type: 'rich_text_preformatted'; elements: { type: 'text'; text: string }[] }[];
    }
  | { type: 'context'; elements: { type: 'mrkdwn'; text: string }[] }
  | { type: 'divider' };

export interface WelcomeSlackMessage {
  /** Notification text (Slack's fallback): no password. */
  readonly text: string;
  readonly blocks: readonly SlackBlock[];
}

/** Slack's limits: a header's text, a section's text (Block Kit reference). */
const HEADER_MAX = 150;
const SECTION_MAX = 3000;

const cap = (text: string, max: number) =>
  text.length > max ? `${text.slice(0, max - 1)}…` : text;

const section = (text: string): SlackBlock => ({
  type: 'section',
  text: { type: 'mrkdwn', text: cap(text, SECTION_MAX) },
});

const preformatted = (text: string): SlackBlock => ({
  type: 'rich_text',
  elements: [{ type: 'rich_text_preformatted', elements: [{ type: 'text', text }] }],
});

const DELETE_THIS = 'Please delete this message once you have signed in, and never forward it.';

export function renderWelcomeSlack(input: WelcomeEmailInput): WelcomeSlackMessage {
  const c = welcomeContent(input);
  const e = slackEscape;
  const blocks: SlackBlock[] = [
    {
      type: 'header',
      text: { type: 'plain_text', text: cap(c.subject, HEADER_MAX), emoji: false },
    },
    section(`Hello ${e(c.greeting)},`),
    ...(c.notice ? [section([`*${e(c.notice[0])}*`, ...c.notice.slice(1).map(e)].join('\n'))] : []),
    section(c.lead.map(e).join(' ')),
    section(`*Sign-in address*\n${e(c.signInUrl)}`),
    section('*User name*'),
    preformatted(c.userName),
    section('*Temporary password*'),
    preformatted(c.password),
    section([...c.afterDetails, DELETE_THIS].map(e).join('\n')),
    ...(c.mfa
      ? [
          section(
            [
              e(c.mfa.intro),
              ...c.mfa.steps.map((s, i) => `${i + 1}. ${e(s)}`),
              ...(c.mfa.renamed ? [e(c.mfa.renamed)] : []),
            ].join('\n'),
          ),
        ]
      : []),
    section(`Need help? Ask ${e(c.helpContact)}.`),
    { type: 'divider' },
    {
      type: 'context',
      elements: [
        {
          type: 'mrkdwn',
          text: e(
            `Sent to you on Slack because an AWS sign-in was created for ${c.email} in the ${c.organisation} AWS account.`,
          ),
        },
      ],
    },
  ];
  return { text: e(`${c.subject}: open this message for your sign-in details.`), blocks };
}
