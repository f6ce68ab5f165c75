/**
 * Email previews: for every person a plan welcomes, the welcome email they
 * will receive, rendered by the function's own renderer
 * (handlers/welcome/core/message.ts) with a placeholder where the password
 * goes; for every person whose resend counter rises, the email sent again
 * (the same renderer, with its replaces-the-earlier-email notice). Who gets
 * which is read once, by plan-people.ts. Pure: scripts/preview.ts reads the
 * plan and writes the files.
 */
import {
  renderWelcomeEmail,
  type WelcomeEmail,
  type WelcomeEmailInput,
} from '../handlers/welcome/core/message';
import {
  renderWelcomeSlack,
  type WelcomeSlackMessage,
} from '../handlers/welcome/core/slack-message';
import { DEFAULT_DELIVERY_CHANNEL, type DeliveryChannel, usesSlack } from '../shared/contract';
import { signInUrl } from '../handlers/welcome/core/signin';
import { escapeHtml } from '../handlers/welcome/core/text';
import { readPlanPeople, type Recipient } from './plan-people';
import type { TerraformPlan } from './terraform-plan';
import type { Settings } from '../inputs/settings';

/** Where `npm run preview` writes, under the cdktf output directory. */
export const PREVIEW_DIR_NAME = 'previews';

/** Stands where the temporary password goes; obviously not a password. */
export const PASSWORD_PLACEHOLDER = '<temporary password>';

/** A person the plan creates an IAM user for, as the function will see them. */
export type NewPerson = Recipient;

/** `welcome`: the first email for a new IAM user; `resend`: the same email sent again. */
export type PreviewKind = 'welcome' | 'resend';

export interface EmailPreview {
  readonly person: NewPerson;
  readonly kind: PreviewKind;
  /** File name stem: `<stem>.html`, `<stem>.txt`. */
  readonly stem: string;
  readonly email: WelcomeEmail;
  /** How the person receives it (their roster `channel`, else the settings'). */
  readonly channel: DeliveryChannel;
  /** The Slack DM, when the channel includes one: `<stem>.slack.json` and `<stem>.slack.html`. */
  readonly slack?: WelcomeSlackMessage;
}

/** The people a plan emails: first welcomes and resends, never both for one person. */
export interface PlanRecipients {
  readonly welcome: readonly NewPerson[];
  readonly resend: readonly NewPerson[];
}

/** The settings a preview needs. */
export type PreviewSettings = Pick<
  Settings,
  'accountId' | 'accountAlias' | 'organisationName' | 'helpContact'
> & {
  readonly security?: Pick<Settings['security'], 'requireMfa'>;
  /** Everyone's channel. @default "email" */
  readonly delivery?: Pick<Settings['delivery'], 'channel'>;
  /** As the function learns it (UNUSED_PASSWORD_DAYS is set only when expiry is on). */
  readonly expiry?: Pick<Settings['expiry'], 'enabled' | 'unusedPasswordDays'>;
};

const recipient = (r: Recipient): NewPerson => ({
  userName: r.userName,
  email: r.email,
  ...(r.displayName === undefined ? {} : { displayName: r.displayName }),
  ...(r.renamedFrom === undefined ? {} : { renamedFrom: r.renamedFrom }),
  ...(r.channel === undefined ? {} : { channel: r.channel }),
});

/**
 * People whose IAM user the plan creates (also as part of a replacement or a
 * rename: a new user means a new CreateUser event and so a new email), and
 * whom the function would welcome (see plan-people.ts).
 */
export function peopleAdded(plan: TerraformPlan): NewPerson[] {
  return readPlanPeople(plan).welcome.map(recipient);
}

/** Everyone the plan emails, by kind (see plan-people.ts). */
export function planRecipients(plan: TerraformPlan): PlanRecipients {
  const people = readPlanPeople(plan);
  return { welcome: people.welcome.map(recipient), resend: people.resend.map(recipient) };
}

/**
 * A file name stem for a user. IAM names hold only `[A-Za-z0-9+=,.@_-]`, so
 * no separator can appear; anything else is refused rather than cleaned, and
 * names equal ignoring case (which IAM forbids) would collide on some disks.
 * Every IAM name is a valid stem: the caller prefixes it (see kindStem), so
 * `.`, `..`, `index` or `con` never stand alone as a file name.
 */
export function previewStem(userName: string): string {
  if (!/^[\w+=,.@-]{1,64}$/.test(userName)) {
    throw new Error(
      `not an IAM user name, refusing to use it as a file name: ${JSON.stringify(userName)}`,
    );
  }
  return userName;
}

/** The sign-in address the email shows: the alias when the settings give one, else the account id. */
export function previewSignInUrl(settings: PreviewSettings): string {
  return signInUrl(settings.accountAlias ?? settings.accountId);
}

/**
 * The file name stem of a preview: `welcome-<user>` or `resend-<user>`. The
 * prefix keeps every user's files apart from `index.html` and the admin
 * notices (`admin-notice-…`), from each other across kinds, and from the
 * names Windows reserves (`con`, `nul`): a user may be called any of those.
 */
export function kindStem(userName: string, kind: PreviewKind): string {
  return `${kind}-${previewStem(userName)}`;
}

/** The index page's file name; no stem above can be `index`. */
export const PREVIEW_INDEX_FILE = 'index.html';

/** Two previews would be written to one file; the message names both people. */
export class PreviewNameError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PreviewNameError';
  }
}

/**
 * Stems for everyone, refused when two would share a file (ignoring case,
 * as some disks do): the kind prefixes rule it out for a plan IAM accepts,
 * and a plan that breaks IAM's uniqueness must not overwrite a preview.
 */
function stems(
  recipients: PlanRecipients,
): { person: NewPerson; kind: PreviewKind; stem: string }[] {
  const all = [
    ...recipients.welcome.map((person) => ({ person, kind: 'welcome' as const })),
    ...recipients.resend.map((person) => ({ person, kind: 'resend' as const })),
  ].map((p) => ({ ...p, stem: kindStem(p.person.userName, p.kind) }));
  const seen = new Map<string, (typeof all)[number]>();
  for (const p of all) {
    const other = seen.get(p.stem.toLowerCase());
    if (other) {
      throw new PreviewNameError(
        `two previews would share the file name ${JSON.stringify(p.stem)}: ` +
          `the ${other.kind} email of ${JSON.stringify(other.person.userName)} and ` +
          `the ${p.kind} email of ${JSON.stringify(p.person.userName)}; rename one of them in the roster`,
      );
    }
    seen.set(p.stem.toLowerCase(), p);
  }
  return all;
}

/** Who is in `people`: a plan's recipients, or (as before resends) only first welcomes. */
function asRecipients(people: readonly NewPerson[] | PlanRecipients): PlanRecipients {
  return Array.isArray(people)
    ? { welcome: people as readonly NewPerson[], resend: [] }
    : (people as PlanRecipients);
}

/** The files `npm run preview` writes for a plan, by user (paths under `dir`). */
export function previewFiles(
  people: readonly NewPerson[] | PlanRecipients,
  dir: string,
  defaultChannel: DeliveryChannel = DEFAULT_DELIVERY_CHANNEL,
): {
  userName: string;
  kind: PreviewKind;
  html: string;
  text: string;
  slack?: { html: string; json: string };
}[] {
  return stems(asRecipients(people)).map(({ person, kind, stem }) => ({
    userName: person.userName,
    kind,
    html: `${dir}/${stem}.html`,
    text: `${dir}/${stem}.txt`,
    ...(usesSlack(person.channel ?? defaultChannel)
      ? { slack: { html: `${dir}/${stem}.slack.html`, json: `${dir}/${stem}.slack.json` } }
      : {}),
  }));
}

/**
 * The emails, rendered by the function's own renderer: a resend says it
 * replaces the earlier email, as the function's does. Dates (when an unused
 * password stops working, a resend's subject) count from `issuedAtMs`: as
 * if the email went out now, unless told otherwise.
 */
export function renderPreviews(
  people: readonly NewPerson[] | PlanRecipients,
  settings: PreviewSettings,
  issuedAtMs: number = Date.now(),
): EmailPreview[] {
  const url = previewSignInUrl(settings);
  const days = settings.expiry?.enabled === false ? undefined : settings.expiry?.unusedPasswordDays;
  return stems(asRecipients(people)).map(({ person, kind, stem }) => {
    const channel = person.channel ?? settings.delivery?.channel ?? DEFAULT_DELIVERY_CHANNEL;
    const input: WelcomeEmailInput = {
      userName: person.userName,
      ...(person.displayName === undefined ? {} : { displayName: person.displayName }),
      // A first welcome only: a resend after the rename is a resend.
      ...(person.renamedFrom === undefined || kind === 'resend'
        ? {}
        : { renamedFrom: person.renamedFrom }),
      email: person.email,
      signInUrl: url,
      organisationName: settings.organisationName,
      helpContact: settings.helpContact,
      password: PASSWORD_PLACEHOLDER,
      issuedAtMs,
      ...(days === undefined ? {} : { unusedPasswordDays: days }),
      mfaRequired: settings.security?.requireMfa === true,
      ...(kind === 'resend' ? { replacesEarlier: true, resend: true } : {}),
    };
    return {
      person,
      kind,
      stem,
      // Rendered for every channel: a Slack person whom Slack cannot reach gets it.
      email: renderWelcomeEmail(input),
      channel,
      ...(usesSlack(channel) ? { slack: renderWelcomeSlack(input) } : {}),
    };
  });
}

/** The `.slack.json` file: the chat.postMessage arguments as sent (the channel aside). */
export function previewSlackJson(slack: WelcomeSlackMessage): string {
  return `${JSON.stringify({ text: slack.text, blocks: slack.blocks }, null, 2)}\n`;
}

/** The `.txt` file: the headers a reviewer wants to see, then the text body exactly as sent. */
export function previewText(p: EmailPreview): string {
  return [`To: ${p.person.email}`, `Subject: ${p.email.subject}`, '', p.email.text].join('\n');
}

/** An admin notice preview as the index links it. */
export interface IndexedNotice {
  /** The file name under the previews folder. */
  readonly file: string;
  readonly kind: string;
  readonly userName: string;
  readonly subject: string;
}

/** The index page linking every preview: the people's emails, then the admins' notices. */
export function renderIndex(
  previews: readonly EmailPreview[],
  settings: PreviewSettings,
  notices: readonly IndexedNotice[] = [],
): string {
  const rows = previews.map((p) => {
    const href = encodeURIComponent(p.stem);
    return [
      '<tr>',
      `<td>${escapeHtml(p.person.userName)}</td>`,
      `<td>${p.kind === 'resend' ? 'welcome sent again' : 'first welcome'}</td>`,
      `<td>${escapeHtml(p.person.displayName ?? '')}</td>`,
      `<td>${escapeHtml(p.person.email)}</td>`,
      `<td>${escapeHtml(p.email.subject)}</td>`,
      `<td>${escapeHtml(p.channel)}</td>`,
      `<td><a href="${href}.html">HTML</a> · <a href="${href}.txt">text</a>` +
        (p.slack
          ? ` · <a href="${href}.slack.html">Slack</a> · <a href="${href}.slack.json">Block Kit JSON</a>`
          : '') +
        '</td>',
      '</tr>',
    ].join('');
  });
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head><meta charset="utf-8"><title>Welcome email previews</title></head>',
    '<body style="font-family:Arial,Helvetica,sans-serif;font-size:14px">',
    '<h1>Welcome email previews</h1>',
    `<p>The emails the people this plan adds (or sends their welcome again) will receive from the ${escapeHtml(settings.organisationName)} onboarding,`,
    `rendered by the welcome function's own code. The password is a placeholder (<code>${escapeHtml(PASSWORD_PLACEHOLDER)}</code>):`,
    'the real one is generated by the function when it sends the email and never appears in a plan.</p>',
    previews.length === 0
      ? '<p>This plan adds nobody and sends no welcome again: no welcome emails.</p>'
      : [
          '<table border="1" cellpadding="4" cellspacing="0">',
          '<tr><th>User name</th><th>Which email</th><th>Greeting (display name)</th><th>Sent to</th><th>Subject</th><th>Channel</th><th>Preview</th></tr>',
          ...rows,
          '</table>',
        ].join('\n'),
    '<h2>Admin notices</h2>',
    notices.length === 0
      ? '<p>Nobody is emailed, so the admins are told nothing.</p>'
      : [
          '<p>What the admins are told because of this plan (a bounce is a sample: it shows the wording, not a real bounce).</p>',
          '<table border="1" cellpadding="4" cellspacing="0">',
          '<tr><th>About user</th><th>Which notice</th><th>Subject</th><th>Preview</th></tr>',
          ...notices.map((n) =>
            [
              '<tr>',
              `<td>${escapeHtml(n.userName)}</td>`,
              `<td>${escapeHtml(n.kind)}</td>`,
              `<td>${escapeHtml(n.subject)}</td>`,
              `<td><a href="${encodeURIComponent(n.file)}">text</a></td>`,
              '</tr>',
            ].join(''),
          ),
          '</table>',
        ].join('\n'),
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
