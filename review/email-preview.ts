/**
 * Email previews: for every person a plan adds, the welcome email they will
 * receive, rendered by the function's own renderer
 * (handlers/welcome/core/message.ts) with a placeholder where the password
 * goes. Pure: scripts/preview.ts reads the plan and writes the files.
 */
import { renderWelcomeEmail, type WelcomeEmail } from '../handlers/welcome/core/message';
import { decide } from '../handlers/welcome/core/policy';
import { signInUrl } from '../handlers/welcome/core/signin';
import { escapeHtml } from '../handlers/welcome/core/text';
import type { TerraformPlan } from './terraform-plan';
import type { Settings } from '../inputs/settings';

/** Where `npm run preview` writes, under the cdktf output directory. */
export const PREVIEW_DIR_NAME = 'previews';

/** Stands where the temporary password goes; obviously not a password. */
export const PASSWORD_PLACEHOLDER = '<temporary password>';

/** A person the plan creates an IAM user for, as the function will see them. */
export interface NewPerson {
  readonly userName: string;
  readonly email: string;
  readonly displayName?: string;
}

export interface EmailPreview {
  readonly person: NewPerson;
  /** File name stem: `<stem>.html`, `<stem>.txt`. */
  readonly stem: string;
  readonly email: WelcomeEmail;
}

/** The settings a preview needs. */
export type PreviewSettings = Pick<
  Settings,
  'accountId' | 'accountAlias' | 'organisationName' | 'helpContact'
> & { readonly security?: Pick<Settings['security'], 'requireMfa'> };

/**
 * People whose IAM user the plan creates (also as part of a replacement: a
 * new user means a new CreateUser event and so a new email). Each planned
 * user goes through the function's own decision (handlers/welcome/core/
 * policy.ts) on its planned path and tags, so a user the function would skip
 * (no email tag, another path) gets no preview either.
 */
export function peopleAdded(plan: TerraformPlan): NewPerson[] {
  const out: NewPerson[] = [];
  for (const rc of plan.resource_changes ?? []) {
    if (rc.mode !== 'managed' || rc.type !== 'aws_iam_user') continue;
    if (!rc.change.actions.includes('create')) continue;
    const after = rc.change.after ?? {};
    const userName = after.name;
    if (typeof userName !== 'string') continue;
    const tags = Object.entries((after.tags ?? {}) as Record<string, unknown>)
      .filter((e): e is [string, string] => typeof e[1] === 'string')
      .map(([Key, Value]) => ({ Key, Value }));
    const path = typeof after.path === 'string' ? after.path : '/';
    const decision = decide('planned', { path, userId: 'planned', tags });
    if (decision.kind !== 'welcome') continue;
    out.push({
      userName,
      email: decision.email,
      ...(decision.displayName === undefined ? {} : { displayName: decision.displayName }),
    });
  }
  return out.sort((a, b) => a.userName.localeCompare(b.userName));
}

/**
 * A file name stem for a user. IAM names hold only `[A-Za-z0-9+=,.@_-]`, so
 * no separator can appear; anything else is refused rather than cleaned, and
 * names equal ignoring case (which IAM forbids) would collide on some disks.
 */
export function previewStem(userName: string): string {
  if (!/^[\w+=,.@-]{1,64}$/.test(userName) || /^\.+$/.test(userName)) {
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

/** The files `npm run preview` writes for a plan, by user (paths under `dir`). */
export function previewFiles(
  people: readonly NewPerson[],
  dir: string,
): { userName: string; html: string; text: string }[] {
  return people.map((p) => {
    const stem = previewStem(p.userName);
    return { userName: p.userName, html: `${dir}/${stem}.html`, text: `${dir}/${stem}.txt` };
  });
}

export function renderPreviews(
  people: readonly NewPerson[],
  settings: PreviewSettings,
): EmailPreview[] {
  const url = previewSignInUrl(settings);
  return people.map((person) => ({
    person,
    stem: previewStem(person.userName),
    email: renderWelcomeEmail({
      userName: person.userName,
      ...(person.displayName === undefined ? {} : { displayName: person.displayName }),
      email: person.email,
      signInUrl: url,
      organisationName: settings.organisationName,
      helpContact: settings.helpContact,
      password: PASSWORD_PLACEHOLDER,
      mfaRequired: settings.security?.requireMfa === true,
    }),
  }));
}

/** The `.txt` file: the headers a reviewer wants to see, then the text body exactly as sent. */
export function previewText(p: EmailPreview): string {
  return [`To: ${p.person.email}`, `Subject: ${p.email.subject}`, '', p.email.text].join('\n');
}

/** The index page linking every preview. */
export function renderIndex(previews: readonly EmailPreview[], settings: PreviewSettings): string {
  const rows = previews.map((p) => {
    const href = encodeURIComponent(p.stem);
    return [
      '<tr>',
      `<td>${escapeHtml(p.person.userName)}</td>`,
      `<td>${escapeHtml(p.person.displayName ?? '')}</td>`,
      `<td>${escapeHtml(p.person.email)}</td>`,
      `<td>${escapeHtml(p.email.subject)}</td>`,
      `<td><a href="${href}.html">HTML</a> · <a href="${href}.txt">text</a></td>`,
      '</tr>',
    ].join('');
  });
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head><meta charset="utf-8"><title>Welcome email previews</title></head>',
    '<body style="font-family:Arial,Helvetica,sans-serif;font-size:14px">',
    '<h1>Welcome email previews</h1>',
    `<p>The emails the people this plan adds will receive from the ${escapeHtml(settings.organisationName)} onboarding,`,
    `rendered by the welcome function's own code. The password is a placeholder (<code>${escapeHtml(PASSWORD_PLACEHOLDER)}</code>):`,
    'the real one is generated by the function when the user is created and never appears in a plan.</p>',
    previews.length === 0
      ? '<p>This plan adds nobody: no welcome emails.</p>'
      : [
          '<table border="1" cellpadding="4" cellspacing="0">',
          '<tr><th>User name</th><th>Display name</th><th>Address</th><th>Subject</th><th>Preview</th></tr>',
          ...rows,
          '</table>',
        ].join('\n'),
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
