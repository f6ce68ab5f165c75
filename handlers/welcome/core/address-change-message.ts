/**
 * The note to the address a person's last welcome went to, when the deploy
 * role's resend sent a new password elsewhere. If the change was not theirs
 * (someone rewrote the roster, or the deploy role was misused), this is how
 * they hear of it. It carries no password and not the new address: the old
 * mailbox may no longer be the person's. Separate from message.ts, so the
 * welcome email's wording and this note change independently.
 */
import type { WelcomeEmail } from './message';
import { escapeHtml, singleLine } from './text';

export interface AddressChangeInput {
  /** IAM user name. */
  userName: string;
  /** Where this note goes: the address the last email went to. */
  oldAddress: string;
  organisationName: string;
  helpContact: string;
}

export function renderAddressChangeEmail(input: AddressChangeInput): WelcomeEmail {
  const user = singleLine(input.userName, 64);
  const org = singleLine(input.organisationName, 100);
  const help = singleLine(input.helpContact, 200);
  const to = singleLine(input.oldAddress, 254);
  const lines = [
    `The AWS sign-in ${user} for the ${org} AWS account now sends its emails to another address.`,
    'A new temporary password went there; the password you had no longer works.',
    `If you did not ask for this, tell ${help} at once.`,
  ];
  const footer = `This message was sent to ${to}, where the last email for this sign-in went.`;
  return {
    subject: singleLine(`Your sign-in for the ${org} AWS account moved to another address`, 150),
    text: ['Hello,', '', ...lines, '', footer, ''].join('\n'),
    html: [
      '<!DOCTYPE html>',
      '<html lang="en">',
      '<head><meta charset="utf-8"><title>Your AWS sign-in moved</title></head>',
      '<body style="font-family:Arial,Helvetica,sans-serif;font-size:14px;line-height:1.5;color:#222">',
      '<p>Hello,</p>',
      `<p>${lines.map(escapeHtml).join('<br>')}</p>`,
      `<p style="color:#666;font-size:12px">${escapeHtml(footer)}</p>`,
      '</body>',
      '</html>',
      '',
    ].join('\n'),
  };
}
