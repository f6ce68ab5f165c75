/**
 * What an admin notice says: a subject and a few lines of plain text (the
 * SNS email), and the same as a Slack message. Pure, so the function and the
 * plan's preview (review/admin-notice-preview.ts) render alike.
 *
 * A notice never carries a password: AdminNotice has no field for one.
 * Every value is flattened to one line and capped, because some come from
 * outside (a bounce's diagnostic text is written by the recipient's mail
 * server); its format characters are shown as `\u202e` (an admin must see
 * that a value hides something) and its links defanged
 * (shared/display-text.ts).
 */
import { displayText } from '../../../shared/display-text';
import type { AdminNotice, AdminNoticeKind } from './admin-notice';
import { singleLine } from './text';

export interface AdminNoticeContext {
  /** Shown in the subject, e.g. `[Example Corp]`. */
  readonly organisationName: string;
  /** The dead-letter queue a failed welcome waits in. @default "iam-onboarding-welcome-failures" */
  readonly deadLetterQueueName?: string;
}

export interface RenderedAdminNotice {
  /** SNS email subject: ASCII, one line, under 100 characters (SNS's rules). */
  readonly subject: string;
  readonly text: string;
  /** Body of a Slack incoming-webhook POST. */
  readonly slack: { readonly text: string };
}

interface Wording {
  readonly headline: string;
  readonly lines: readonly string[];
  readonly todo: string;
}

const ROSTER = 'users/users.json';

/** A value as the admins see it: shown, defanged, one line, capped. */
const shown = (value: string, maxLength: number) =>
  singleLine(displayText(value, 'show'), maxLength);

/**
 * A word the shell passes as is: the address bare when it has only
 * characters no shell reads specially, else in single quotes (a `'` inside
 * closed, escaped and reopened). Addresses from a bounce event are SES's
 * copy of the destination, but still data: a pasted command must do exactly
 * what it says.
 */
export function shellWord(value: string): string {
  return /^[A-Za-z0-9@._+=/-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}

/** The exact command that takes an address off SES's account-level suppression list. */
export function liftSuppressionCommand(address: string): string {
  return `aws sesv2 delete-suppressed-destination --email-address ${shellWord(address)}`;
}

/**
 * The lift commands of a suppression, as shown (each through `shown`), in
 * backticks: a code span in Slack, and plainly set apart from the sentence's
 * full stop in the email.
 */
function liftCommands(n: AdminNotice): string {
  const addresses = n.suppression?.addresses ?? (n.address === undefined ? [] : [n.address]);
  const commands = addresses.map((a) => `\`${shown(liftSuppressionCommand(a), 320)}\``);
  return commands.length === 0 ? '(no address known)' : commands.join(', ');
}

function wording(n: AdminNotice, ctx: AdminNoticeContext): Wording {
  const user = shown(n.userName, 64);
  const address = n.address === undefined ? undefined : shown(n.address, 254);
  const detail = n.detail === undefined ? undefined : shown(n.detail, 300);
  const to = address ? ` to ${address}` : '';
  const dlq = ctx.deadLetterQueueName ?? 'iam-onboarding-welcome-failures';
  const why = detail ? [`Details: ${detail}`] : [];
  const byKind: Record<AdminNoticeKind, Wording> = {
    welcomed: {
      headline: `Welcome email sent to ${user}`,
      lines: [
        `The IAM user ${user} received the welcome email${to} with a temporary password that must be changed at first sign-in.`,
        ...why,
      ],
      todo: `Nothing. If ${user} says no email arrived, check their address in ${ROSTER} and raise their "resend" counter.`,
    },
    resent: {
      headline: `New welcome email sent to ${user}`,
      lines: [
        `"resend" was raised for ${user}: a new temporary password and email went out${to}; earlier passwords no longer work.`,
        ...why,
      ],
      todo: `Nothing, if the roster asked for it. If nobody did, check CloudTrail's TagUser calls on ${user}.`,
    },
    'resend-held': {
      headline: `Resend for ${user} held`,
      lines: [
        `A raised "resend" for ${user} was not served: no password or email went out${to}.`,
        ...why,
      ],
      todo:
        `If the roster asked for it, let the deploy raise "resend" for ${user} again (with resendAfterSignIn ` +
        `for a person who has signed in). If nobody did, someone who may tag IAM users changed the tags: ` +
        `check CloudTrail's TagUser calls on ${user}, and attach docs/roles/deny-tagging-managed-users.json.`,
    },
    failed: {
      headline: `Welcome of ${user} failed`,
      lines: [
        `The welcome of ${user} failed on its last try and now waits in the dead-letter queue ${dlq}. No email reached them.`,
        ...why,
      ],
      todo: `Search the function's logs for ${user}, fix the cause, then replay it: npm run redrive -- --apply.`,
    },
    bounced: {
      headline: `Welcome email to ${user} bounced`,
      lines: [
        `The welcome email for ${user}${to} bounced permanently: the address does not take mail. They have no working password.`,
        ...why,
      ],
      todo: `Fix the email of ${user} in ${ROSTER} and raise their "resend" counter in the same pull request.`,
    },
    'bounced-suppressed': {
      headline: `Welcome email to ${user} suppressed by SES`,
      lines: [
        `SES accepted the welcome email for ${user}${to} but never tried to deliver it: the address is on the account-level suppression list (an earlier bounce or complaint, from any sender in this account). This is not a new bounce. They have no working password.`,
        ...why,
      ],
      todo:
        `Make sure the address is right and takes mail, then lift the suppression: ${liftCommands(n)}, ` +
        `and raise the "resend" counter of ${user} in ${ROSTER}. If the address is wrong, fix it and raise "resend" in the same pull request (a new address is not suppressed).`,
    },
    suppressed: {
      headline: `No password issued to ${user}: address suppressed by SES`,
      lines: [
        `SES's account-level suppression list holds ${address ?? 'their address'}` +
          `${suppressedWhy(n)}. SES would accept an email to it and never deliver it, so no password was issued to ${user} and nothing was recorded.`,
        ...why,
      ],
      todo:
        `Make sure the address is right and takes mail, then lift the suppression: ${liftCommands(n)}. ` +
        (n.suppression?.onceLifted === 'raise-resend'
          ? `Then raise the "resend" counter of ${user} in ${ROSTER} again.`
          : `The reconcile run then serves ${user} by itself on its next run (hourly by default); nothing else to do.`) +
        ` If the address is wrong, fix it in ${ROSTER} instead.`,
    },
    complained: {
      headline: `Welcome email to ${user} marked as spam`,
      lines: [
        `The recipient of the welcome email for ${user}${to} marked it as spam. SES counts complaints against the account's sending reputation.`,
        ...why,
      ],
      todo: `Ask ${user} whether they expected it, and check their address in ${ROSTER}.`,
    },
    rejected: {
      headline: `Welcome email to ${user} rejected by SES`,
      lines: [
        `SES accepted the welcome email for ${user}${to} but then refused to send it. They have no working password.`,
        ...why,
      ],
      todo: `Check the function's logs for ${user}; once the cause is fixed, raise their "resend" counter in ${ROSTER}.`,
    },
    expired: {
      headline: `Unused password of ${user} expired`,
      lines: [
        `${user} never signed in with their temporary password; it expired and their console password was removed.`,
        ...why,
      ],
      todo: `If ${user} still needs access, raise their "resend" counter in ${ROSTER}.`,
    },
    suspended: {
      headline: `${user} suspended`,
      lines: [
        `The sign-in and access keys of ${user} are off; the user, groups, tags and history are kept.`,
        ...why,
      ],
      todo: `Nothing, if the roster asked for it. To reinstate ${user}, remove "suspended" (or move "accessUntil" later) in ${ROSTER}.`,
    },
    reinstated: {
      headline: `${user} reinstated`,
      lines: [
        `The suspension of ${user} was lifted: a fresh temporary password and email went out${to}. Access keys stay inactive until someone turns them on.`,
        ...why,
      ],
      todo: `Nothing, if the roster asked for it. If nobody did, check CloudTrail's UntagUser calls on ${user}.`,
    },
    'slack-fallback': {
      headline: `Welcome of ${user} sent by email: Slack could not take it`,
      lines: [
        `${user} was to get their sign-in as a Slack direct message, which could not be sent; the welcome email went${to} instead, with the same temporary password.`,
        ...why,
      ],
      todo: fixOf(n, `Nothing for ${user}: the email has their sign-in.`),
    },
    'slack-not-delivered': {
      headline: `Slack message to ${user} not sent`,
      lines: [
        `The welcome email to ${user} went${to}; the Slack direct message beside it could not be sent. They have their sign-in.`,
        ...why,
      ],
      todo: fixOf(n, 'Nothing for this person.'),
    },
    'access-ending': {
      headline: `Access of ${user} ends soon`,
      lines: [`The last day of access of ${user} is near; after it they are suspended.`, ...why],
      todo: `Nothing, if it should end. To extend it, move "accessUntil" of ${user} later in ${ROSTER}.`,
    },
  };
  return byKind[n.kind];
}

/** The notice's own fix, shown and capped, after what is already done. */
function fixOf(n: AdminNotice, done: string): string {
  return n.fix === undefined ? done : `${done} For Slack to work next time, ${shown(n.fix, 400)}.`;
}

/** ` (BOUNCE, since 2026-11-02T08:15:00.000Z)`: the reason and date GetSuppressedDestination gave. */
function suppressedWhy(n: AdminNotice): string {
  const parts = [
    n.suppression?.reason === undefined ? undefined : `reason ${shown(n.suppression.reason, 20)}`,
    n.suppression?.since === undefined ? undefined : `since ${shown(n.suppression.since, 40)}`,
  ].filter((p) => p !== undefined);
  return parts.length === 0 ? '' : ` (${parts.join(', ')})`;
}

/** SNS refuses a subject that is not ASCII, has a line break, or is 100 characters or more. */
export function snsSubject(text: string): string {
  const ascii = singleLine(text, 1000)
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^\x20-\x7e]/g, '?');
  const flat = singleLine(ascii, 99);
  // singleLine marks a cut with "…", which is not ASCII.
  return flat.endsWith('…') ? `${flat.slice(0, -1).slice(0, 96)}...` : flat;
}

/**
 * Slack's control characters: `<` and `>` would let a value write a mention
 * (`<!channel>`, `<!here>`, `<@U…>`, `<!subteam^…>`) or a link (`<http://x|y>`).
 * A bare `@here`, `@channel`, `@everyone` or `@name` is a mention too where
 * the app parses names, so a word-initial `@` gets a space after it (an
 * address's `@` follows a letter and is kept).
 */
export function slackEscape(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/(^|[^\p{L}\p{N}._%+-])@(?=[\p{L}\p{N}_])/gu, '$1@ ');
}

export function renderAdminNotice(
  notice: AdminNotice,
  ctx: AdminNoticeContext,
): RenderedAdminNotice {
  const w = wording(notice, ctx);
  const org = shown(ctx.organisationName, 100);
  const subject = snsSubject(`[${org}] ${w.headline}`);
  const text = [...w.lines, '', `What to do: ${w.todo}`, '', `(iam-onboarding, ${org})`].join('\n');
  const slack = [
    `*${slackEscape(w.headline)}*`,
    ...w.lines.map(slackEscape),
    `*What to do:* ${slackEscape(w.todo)}`,
  ].join('\n');
  return { subject, text, slack: { text: slack } };
}
