/**
 * The welcome email. Pure and free of AWS SDK imports on purpose: the function
 * and the "email preview" tool render through this one function, so what a
 * reviewer previews is what a person receives.
 *
 * The HTML is hand-written, inline-styled, one column, and fluid: a 600 px
 * column that shrinks to any width (320 px phones included), with an Outlook
 * (Word engine) wrapper table that holds it at 600 px there. Each value
 * (sign-in address, user name, password) sits under its label, never beside
 * it, so no label has to share a line with a 64-character token; the tokens
 * wrap anywhere. Why not MJML: README, "The welcome email".
 * `__tests__/handlers/welcome/email-layout.proc.test.ts` renders every kind
 * of email in Chromium at 360 and 1000 px and fails on any overflow.
 */
import { escapeHtml, greetingName, singleLine } from './text';

import { DISPLAY_NAME_MAX } from '../../../shared/contract';

export { DISPLAY_NAME_MAX };

export interface WelcomeEmailInput {
  /** IAM user name: what the person types at sign-in. */
  userName: string;
  /** How to greet the person; the user name when absent. */
  displayName?: string;
  /** Where the email goes (shown in the footer so a misdirected mail is noticed). */
  email: string;
  /** Console sign-in address, e.g. https://example.signin.aws.amazon.com/console */
  signInUrl: string;
  /** Organisation that owns the AWS account, e.g. "Example Corp". */
  organisationName: string;
  /** Whom to ask for help: an address, a channel, a team. */
  helpContact: string;
  /** The temporary password (a placeholder in previews and snapshots). */
  password: string;
  /**
   * When the password is issued (epoch ms; the function's clock just before
   * CreateLoginProfile, so never after the profile's CreateDate, from which
   * the expiry run counts): dates the expiry and a resend's subject.
   */
  issuedAtMs: number;
  /**
   * Days an unused temporary password lives (settings `expiry`, the
   * function's UNUSED_PASSWORD_DAYS); absent when expiry is off: then the
   * email names no date.
   */
  unusedPasswordDays?: number;
  /**
   * An earlier email went (or may have gone) out with a password that no
   * longer works: a run recorded where it sent one (the sent-to tag), a login
   * profile left by an earlier attempt was replaced, or this is a resend.
   * Never set because this is a later receive alone (issue 21).
   */
  replacesEarlier?: boolean;
  /**
   * Sent because the roster raised the person's `resend` counter: a subject
   * of its own (dated, so mail clients do not thread it with the email whose
   * password it kills) and an opening that says a new password was asked for.
   */
  resend?: boolean;
  /**
   * The person's previous IAM user name, when this new user replaces it (a
   * rename in the roster deletes the old user, with its password and MFA
   * devices): the email says so, under a subject of its own.
   */
  renamedFrom?: string;
  /**
   * The account requires MFA of managed people (settings `security.requireMfa`):
   * until they set up a device, everything but the password change and MFA
   * set-up is denied, so the email walks them through it.
   */
  mfaRequired?: boolean;
}

export interface WelcomeEmail {
  /** Header-safe: one line, no control characters. */
  subject: string;
  text: string;
  html: string;
}

type Kind = 'welcome' | 'resend' | 'rename';

interface Fields {
  kind: Kind;
  greeting: string;
  userName: string;
  renamedFrom: string;
  email: string;
  signInUrl: string;
  organisation: string;
  helpContact: string;
  password: string;
  /** "9 December 2026" */
  issuedOn: string;
  /** "9 December 2026 at 10:00 UTC", when expiry is on. */
  expiresAt?: string;
  replacesEarlier: boolean;
  mfaRequired: boolean;
}

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

/**
 * "9 December 2026": day, month spelled out, year, so that no reader takes
 * 9/12 for 12 September; in UTC, which the time (when shown) says.
 */
export function formatDay(ms: number): string {
  const d = new Date(ms);
  return `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}`;
}

/**
 * The first moment the expiry run may delete an unused password: its
 * issue time plus the days, down to the minute (never later than the real
 * moment, so the person is never told a time they cannot count on), in UTC
 * because the person's time zone is unknown. The run is daily, so the
 * password may live up to a day longer; never shorter.
 */
export function expiryMoment(issuedAtMs: number, unusedPasswordDays: number): string {
  const at = new Date(issuedAtMs + unusedPasswordDays * 86_400_000);
  const hh = String(at.getUTCHours()).padStart(2, '0');
  const mm = String(at.getUTCMinutes()).padStart(2, '0');
  return `${formatDay(at.getTime())} at ${hh}:${mm} UTC`;
}

// Every value is flattened to one line first, so that neither the subject nor
// a line of the text body can be split or forged by a value with CR/LF in it.
function fields(input: WelcomeEmailInput): Fields {
  const userName = singleLine(input.userName, 64);
  const renamedFrom = singleLine(input.renamedFrom ?? '', 64);
  const displayName =
    input.displayName === undefined ? '' : singleLine(input.displayName, DISPLAY_NAME_MAX);
  const days = input.unusedPasswordDays;
  return {
    kind: input.resend === true ? 'resend' : renamedFrom !== '' ? 'rename' : 'welcome',
    // The one place the greeting is made.
    greeting: greetingName(displayName, userName),
    userName,
    renamedFrom,
    email: singleLine(input.email, 254),
    signInUrl: singleLine(input.signInUrl, 300),
    organisation: singleLine(input.organisationName, 100),
    helpContact: singleLine(input.helpContact, 200),
    password: singleLine(input.password, 128),
    issuedOn: formatDay(input.issuedAtMs),
    ...(days === undefined ? {} : { expiresAt: expiryMoment(input.issuedAtMs, days) }),
    replacesEarlier: input.replacesEarlier === true || input.resend === true,
    mfaRequired: input.mfaRequired === true,
  };
}

function subjectOf(f: Fields): string {
  switch (f.kind) {
    case 'resend':
      // Dated: a second resend must not thread with the first either.
      return `New temporary password for the ${f.organisation} AWS account (${f.issuedOn})`;
    case 'rename':
      return `Your new user name for the ${f.organisation} AWS account`;
    case 'welcome':
      return `Your sign-in for the ${f.organisation} AWS account`;
  }
}

/** The paragraphs that open the email, before the sign-in details; plain text. */
function opening(f: Fields): { notice?: string[]; lead: string[] } {
  const account = `the ${f.organisation} AWS account`;
  switch (f.kind) {
    case 'resend':
      return {
        notice: [
          'This is a new temporary password, sent because one was asked for.',
          'The password in any earlier email no longer works: use only the one below.',
        ],
        lead: [`Your sign-in (an IAM user) for ${account} is unchanged; only its password is new.`],
      };
    case 'rename':
      return {
        notice: [
          `Your user name has changed from ${f.renamedFrom} to ${f.userName}.`,
          `The old user name ${f.renamedFrom}, its password and any MFA device set up for it no longer work.`,
          // An earlier copy of this email went out: its password is dead too.
          ...(f.replacesEarlier ? [ONLY_THIS_PASSWORD] : []),
        ],
        lead: [`Sign in to ${account} with the new user name and the temporary password below.`],
      };
    case 'welcome':
      return {
        ...(f.replacesEarlier ? { notice: [REPLACES_EARLIER, ONLY_THIS_PASSWORD] } : {}),
        lead: [
          `You now have your own sign-in (an IAM user) for ${account}.`,
          'Use it to sign in to the AWS Management Console and work with the AWS resources you have been given access to.',
        ],
      };
  }
}

const REPLACES_EARLIER =
  'This email replaces any earlier welcome email you may have received for this sign-in.';
const ONLY_THIS_PASSWORD =
  'Only the temporary password below works; a password from an earlier email no longer does.';

const CHANGE_AT_FIRST_SIGN_IN =
  'You must choose a new password the first time you sign in; the temporary password stops working then.';
const DELETE_THIS = 'Please delete this email once you have signed in, and never forward it.';

function expiryLines(f: Fields): string[] {
  if (f.expiresAt === undefined) return [];
  return [
    `If unused, the temporary password stops working on ${f.expiresAt}.`,
    `After that, ask ${f.helpContact} for a new one.`,
  ];
}

const MFA_INTRO =
  'Then set up multi-factor authentication (MFA): until you do, everything but these steps is denied.';
/** The console's own words, so that the person finds each control. */
const MFA_STEPS = [
  'Sign in with the address, user name and temporary password above, and choose your new password.',
  'Open the menu under your user name (top right) and choose "Security credentials".',
  'Under "Multi-factor authentication (MFA)", choose "Assign MFA device", pick an authenticator app or a security key, and follow the steps.',
  'Sign out, then sign in again with your new password and an MFA code: your access then works.',
];
const MFA_RENAMED =
  'Your authenticator app may still show an entry for the old user name: it no longer works, and you can remove it.';

// Unicode isolates around a right-to-left name in the text part, so that the
// comma after it stays where it belongs (the HTML uses dir="auto").
const RTL = /[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc]/;
const isolate = (s: string) => (RTL.test(s) ? `\u2068${s}\u2069` : s);

function renderText(f: Fields): string {
  const open = opening(f);
  return [
    `Hello ${isolate(f.greeting)},`,
    '',
    ...(open.notice ? [...open.notice, ''] : []),
    ...open.lead,
    '',
    `Sign-in address:    ${f.signInUrl}`,
    `User name:          ${f.userName}`,
    `Temporary password: ${f.password}`,
    '',
    CHANGE_AT_FIRST_SIGN_IN,
    ...expiryLines(f),
    DELETE_THIS,
    '',
    ...(f.mfaRequired
      ? [
          MFA_INTRO,
          ...MFA_STEPS.map((s, i) => `  ${i + 1}. ${s}`),
          ...(f.kind === 'rename' ? [MFA_RENAMED] : []),
          '',
        ]
      : []),
    `Need help? Ask ${f.helpContact}.`,
    '',
    `This message was sent to ${f.email} because an AWS sign-in was created for this address.`,
    '',
  ].join('\n');
}

// Inline styles only: Gmail (and Outlook.com) drop or rewrite <style> blocks
// in some clients, and nothing here may depend on them.
const FONT = 'font-family:Arial,Helvetica,sans-serif';
const MONO = "font-family:Consolas,Menlo,'Courier New',monospace";
/**
 * Prose wraps between words, and inside a word only when the word alone is
 * wider than the column (a 60-letter name on a phone).
 */
const PROSE_WRAP = 'word-wrap:break-word;overflow-wrap:anywhere';
/**
 * Tokens (address, user name, password) have no words: they break anywhere,
 * said in each spelling some client understands (word-break is the oldest;
 * clients that know none of them show the token unwrapped, as before).
 */
const WRAP = `word-break:break-all;${PROSE_WRAP}`;
const P = 'margin:0 0 16px 0';
const LABEL = `padding:16px 0 4px 0;${FONT};font-size:13px;line-height:18px;font-weight:bold;color:#555555;white-space:nowrap`;
const VALUE = `padding:0;font-size:16px;line-height:24px;color:#222222;${WRAP}`;
// user-select:all (Apple Mail, iOS, most web mail) selects the password with
// one tap; clients that strip it (Gmail, Outlook) still show a block that
// holds nothing but the password.
const PASSWORD = `padding:12px;${MONO};font-size:18px;line-height:26px;color:#111111;background-color:#f1f4f8;border:1px solid #c4cfdc;${WRAP};-webkit-user-select:all;user-select:all`;

function row(style: string, content: string): string {
  return `<tr><td style="${style}">${content}</td></tr>`;
}

function paragraphs(lines: readonly string[], style = P): string {
  return `<p style="${style}">${lines.map(escapeHtml).join(' ')}</p>`;
}

function renderHtml(f: Fields): string {
  const e = {
    greeting: escapeHtml(f.greeting),
    userName: escapeHtml(f.userName),
    email: escapeHtml(f.email),
    signInUrl: escapeHtml(f.signInUrl),
    helpContact: escapeHtml(f.helpContact),
    password: escapeHtml(f.password),
  };
  // Only an https address becomes a link; anything else (a preview typo) stays inert text.
  const signIn = /^https:\/\//.test(f.signInUrl)
    ? `<a href="${e.signInUrl}" style="color:#0b57d0;text-decoration:underline;${WRAP}">${e.signInUrl}</a>`
    : e.signInUrl;
  const open = opening(f);
  const subject = escapeHtml(subjectOf(f));
  return [
    '<!DOCTYPE html>',
    '<html lang="en" dir="ltr">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    // Keeps iOS Mail from zooming the layout and from turning the user
    // name or the date into links nobody asked for.
    '<meta name="x-apple-disable-message-reformatting">',
    '<meta name="format-detection" content="telephone=no, date=no, address=no, email=no">',
    `<title>${subject}</title>`,
    '</head>',
    `<body style="margin:0;padding:0;background-color:#f4f5f7;${FONT};color:#222222">`,
    `<div role="article" aria-label="${subject}" lang="en" style="padding:16px 8px;background-color:#f4f5f7">`,
    // Outlook for Windows ignores max-width; this table holds it at 600 px.
    '<!--[if mso]><table role="presentation" width="600" align="center" cellpadding="0" cellspacing="0" border="0"><tr><td><![endif]-->',
    `<div style="max-width:600px;margin:0 auto;padding:24px 16px;background-color:#ffffff;border:1px solid #dde1e6;${FONT};font-size:16px;line-height:24px;color:#222222;${PROSE_WRAP}">`,
    `<p style="${P}">Hello <span dir="auto">${e.greeting}</span>,</p>`,
    ...(open.notice
      ? [
          `<p style="${P};padding:8px 12px;border-left:4px solid #c65f00;background-color:#fff6ec">` +
            `<strong>${escapeHtml(open.notice[0])}</strong><br>${open.notice.slice(1).map(escapeHtml).join('<br>')}</p>`,
        ]
      : []),
    paragraphs(open.lead),
    '<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="width:100%;table-layout:fixed;border-collapse:collapse">',
    row(LABEL, 'Sign-in address'),
    row(`${VALUE};${FONT}`, signIn),
    row(LABEL, 'User name'),
    row(`${VALUE};${MONO}`, e.userName),
    row(LABEL, 'Temporary password'),
    row(PASSWORD, e.password),
    '</table>',
    `<p style="margin:16px 0"><strong>You must choose a new password the first time you sign in</strong>; the temporary password stops working then.</p>`,
    ...(f.expiresAt === undefined
      ? []
      : [
          // Non-breaking spaces: the date and time read as one unit.
          `<p style="${P}">If unused, the temporary password stops working on <strong>${escapeHtml(f.expiresAt).replace(/ /g, '&nbsp;')}</strong>.` +
            ` After that, ask ${e.helpContact} for a new one.</p>`,
        ]),
    paragraphs([DELETE_THIS]),
    ...(f.mfaRequired
      ? [
          paragraphs([MFA_INTRO]),
          `<ol style="margin:0 0 16px 0;padding-left:24px">`,
          ...MFA_STEPS.map((s) => `<li style="margin:0 0 8px 0">${escapeHtml(s)}</li>`),
          '</ol>',
          ...(f.kind === 'rename' ? [paragraphs([MFA_RENAMED])] : []),
        ]
      : []),
    `<p style="${P}">Need help? Ask ${e.helpContact}.</p>`,
    `<p style="margin:0;color:#666666;font-size:12px;line-height:18px">This message was sent to ${e.email} because an AWS sign-in was created for this address.</p>`,
    '</div>',
    '<!--[if mso]></td></tr></table><![endif]-->',
    '</div>',
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

/**
 * The message's parts, for a channel other than email (core/slack-message.ts):
 * the same words as the email's text part, each value flattened to one line
 * and not yet escaped for anything.
 */
export interface WelcomeContent {
  readonly subject: string;
  readonly greeting: string;
  readonly notice?: readonly string[];
  readonly lead: readonly string[];
  readonly signInUrl: string;
  readonly userName: string;
  readonly password: string;
  /** After the sign-in details: the change at first sign-in, the expiry; no "delete this email". */
  readonly afterDetails: readonly string[];
  readonly mfa?: {
    readonly intro: string;
    readonly steps: readonly string[];
    readonly renamed?: string;
  };
  readonly helpContact: string;
  readonly email: string;
  readonly organisation: string;
}

export function welcomeContent(input: WelcomeEmailInput): WelcomeContent {
  const f = fields(input);
  const open = opening(f);
  return {
    subject: singleLine(subjectOf(f), 150),
    greeting: f.greeting,
    ...(open.notice ? { notice: open.notice } : {}),
    lead: open.lead,
    signInUrl: f.signInUrl,
    userName: f.userName,
    password: f.password,
    afterDetails: [CHANGE_AT_FIRST_SIGN_IN, ...expiryLines(f)],
    ...(f.mfaRequired
      ? {
          mfa: {
            intro: MFA_INTRO,
            steps: MFA_STEPS,
            ...(f.kind === 'rename' ? { renamed: MFA_RENAMED } : {}),
          },
        }
      : {}),
    helpContact: f.helpContact,
    email: f.email,
    organisation: f.organisation,
  };
}

/** Subject, plain-text and HTML body of the welcome email. */
export function renderWelcomeEmail(input: WelcomeEmailInput): WelcomeEmail {
  const f = fields(input);
  return {
    subject: singleLine(subjectOf(f), 150),
    text: renderText(f),
    html: renderHtml(f),
  };
}
