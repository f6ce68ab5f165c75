/**
 * The welcome email. Pure and free of AWS SDK imports on purpose: the function
 * and the "email preview" tool render through this one function, so what a
 * reviewer previews is what a person receives.
 */
import { escapeHtml, greetingName, singleLine } from './text';

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
   * This is not the first attempt to welcome the person (a redelivery, or a
   * login profile left by an earlier attempt was replaced): an earlier email
   * may have gone out with a password that no longer works, so this one says
   * it replaces it.
   */
  replacesEarlier?: boolean;
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

interface Fields {
  greeting: string;
  userName: string;
  email: string;
  signInUrl: string;
  organisation: string;
  helpContact: string;
  password: string;
  replacesEarlier: boolean;
  mfaRequired: boolean;
}

// Every value is flattened to one line first, so that neither the subject nor
// a line of the text body can be split or forged by a value with CR/LF in it.
function fields(input: WelcomeEmailInput): Fields {
  const userName = singleLine(input.userName, 64);
  const displayName = input.displayName === undefined ? '' : singleLine(input.displayName, 100);
  return {
    greeting: greetingName(displayName, userName),
    userName,
    email: singleLine(input.email, 254),
    signInUrl: singleLine(input.signInUrl, 300),
    organisation: singleLine(input.organisationName, 100),
    helpContact: singleLine(input.helpContact, 200),
    password: singleLine(input.password, 128),
    replacesEarlier: input.replacesEarlier === true,
    mfaRequired: input.mfaRequired === true,
  };
}

const REPLACES_EARLIER =
  'This email replaces any earlier welcome email you may have received for this sign-in.';
const ONLY_THIS_PASSWORD =
  'Only the temporary password below works; a password from an earlier email no longer does.';

const MFA_INTRO =
  'Then set up multi-factor authentication (MFA): until you do, everything but these steps is denied.';
/** The console's own words, so that the person finds each control. */
const MFA_STEPS = [
  'Sign in with the address, user name and temporary password above, and choose your new password.',
  'Open the menu under your user name (top right) and choose "Security credentials".',
  'Under "Multi-factor authentication (MFA)", choose "Assign MFA device", pick an authenticator app or a security key, and follow the steps.',
  'Sign out, then sign in again with your new password and an MFA code: your access then works.',
];

function renderText(f: Fields): string {
  return [
    `Hello ${f.greeting},`,
    '',
    ...(f.replacesEarlier ? [REPLACES_EARLIER, ONLY_THIS_PASSWORD, ''] : []),
    `You now have your own sign-in (an IAM user) for the ${f.organisation} AWS account.`,
    'Use it to sign in to the AWS Management Console and work with the AWS resources you have been given access to.',
    '',
    `Sign-in address:    ${f.signInUrl}`,
    `User name:          ${f.userName}`,
    `Temporary password: ${f.password}`,
    '',
    'You must choose a new password the first time you sign in; the temporary password stops working then.',
    'Please delete this email once you have signed in, and never forward it.',
    '',
    ...(f.mfaRequired ? [MFA_INTRO, ...MFA_STEPS.map((s, i) => `  ${i + 1}. ${s}`), ''] : []),
    `Need help? Ask ${f.helpContact}.`,
    '',
    `This message was sent to ${f.email} because an AWS sign-in was created for this address.`,
    '',
  ].join('\n');
}

function renderHtml(f: Fields): string {
  const e = {
    greeting: escapeHtml(f.greeting),
    userName: escapeHtml(f.userName),
    email: escapeHtml(f.email),
    signInUrl: escapeHtml(f.signInUrl),
    organisation: escapeHtml(f.organisation),
    helpContact: escapeHtml(f.helpContact),
    password: escapeHtml(f.password),
  };
  // Only an https address becomes a link; anything else (a preview typo) stays inert text.
  const signIn = /^https:\/\//.test(f.signInUrl)
    ? `<a href="${e.signInUrl}">${e.signInUrl}</a>`
    : e.signInUrl;
  const mono = 'font-family:Consolas,Menlo,monospace;font-size:15px';
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head><meta charset="utf-8"><title>Your AWS sign-in</title></head>',
    '<body style="font-family:Arial,Helvetica,sans-serif;font-size:14px;line-height:1.5;color:#222">',
    `<p>Hello ${e.greeting},</p>`,
    ...(f.replacesEarlier
      ? [
          '<p style="border-left:4px solid #c60;padding-left:8px">' +
            `<strong>${REPLACES_EARLIER}</strong><br>${ONLY_THIS_PASSWORD}</p>`,
        ]
      : []),
    `<p>You now have your own sign-in (an IAM user) for the <strong>${e.organisation}</strong> AWS account.`,
    'Use it to sign in to the AWS Management Console and work with the AWS resources you have been given access to.</p>',
    '<table role="presentation" cellpadding="4" cellspacing="0">',
    `<tr><td>Sign-in address</td><td>${signIn}</td></tr>`,
    `<tr><td>User name</td><td style="${mono}">${e.userName}</td></tr>`,
    `<tr><td>Temporary password</td><td style="${mono}">${e.password}</td></tr>`,
    '</table>',
    '<p><strong>You must choose a new password the first time you sign in</strong>; the temporary password stops working then.',
    'Please delete this email once you have signed in, and never forward it.</p>',
    ...(f.mfaRequired
      ? [
          `<p>${escapeHtml(MFA_INTRO)}</p>`,
          '<ol>',
          ...MFA_STEPS.map((s) => `<li>${escapeHtml(s)}</li>`),
          '</ol>',
        ]
      : []),
    `<p>Need help? Ask ${e.helpContact}.</p>`,
    `<p style="color:#666;font-size:12px">This message was sent to ${e.email} because an AWS sign-in was created for this address.</p>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

/** Subject, plain-text and HTML body of the welcome email. */
export function renderWelcomeEmail(input: WelcomeEmailInput): WelcomeEmail {
  const f = fields(input);
  return {
    subject: singleLine(`Your sign-in for the ${f.organisation} AWS account`, 150),
    text: renderText(f),
    html: renderHtml(f),
  };
}
