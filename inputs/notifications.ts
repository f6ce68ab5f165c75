/**
 * The `notifications` settings: who among the admins hears about each
 * welcome, resend and failure that needs a person (handlers/welcome/core/
 * admin-notice.ts). Email addresses are subscribed to an SNS topic; Slack is
 * reached through an incoming webhook whose URL the admin keeps in SSM
 * Parameter Store as a SecureString: the settings hold only the parameter's
 * NAME, so the URL never enters the repository, Terraform state or plans.
 */
import { z } from 'zod';
import { ssmParameterNameProblem } from '../shared/ssm-parameter';
import { checkEmailAddress, EMAIL_ADDRESS, reasonOf } from '../shared/rules';

/** Suggested (not default) name of the Slack webhook parameter. */
export const SUGGESTED_SLACK_PARAMETER = '/iam-onboarding/slack-webhook-url';

/** A value that is a URL (the webhook itself, pasted where its parameter's name goes). */
export function looksLikeUrl(value: string): boolean {
  return /^\s*[a-z][a-z0-9+.-]*:\/\//i.test(value) || /hooks\.slack\.com/i.test(value);
}

/** What is shown instead of a secret in a problem report. */
export const SECRET_NOT_SHOWN = '(a URL: not repeated here, it may be a secret)';

/**
 * Checks the schema leaves to this function: a webhook URL where the
 * parameter's name goes. The report names the field and the fix but never
 * repeats the value: a webhook URL is a credential, and problem reports go
 * to CI logs and pull-request annotations.
 */
export function notificationProblems(
  root: Record<string, unknown> | undefined,
): { path: (string | number)[]; message: string; value: unknown }[] {
  const notifications = root?.notifications;
  if (typeof notifications !== 'object' || notifications === null) return [];
  const name = (notifications as Record<string, unknown>).slackWebhookParameter;
  if (typeof name !== 'string' || !looksLikeUrl(name)) return [];
  return [
    {
      path: ['notifications', 'slackWebhookParameter'],
      message:
        'is a URL, but this field takes the NAME of the SSM parameter that holds the webhook URL ' +
        `(e.g. "${SUGGESTED_SLACK_PARAMETER}"). Remove the URL from this file (and from its history ` +
        'if it was committed: rotate the webhook), then store it with `aws ssm put-parameter ' +
        '--type SecureString` (config/README.md "Admin notifications")',
      value: SECRET_NOT_SHOWN,
    },
  ];
}

const adminEmail = z
  .string({ error: 'must be a string: an email address such as "it-ops@example.com"' })
  // The same rule as every other address (shared/rules.ts).
  .regex(EMAIL_ADDRESS, {
    error: (issue) =>
      `is not one email address like "name@example.com": ${reasonOf(checkEmailAddress(String(issue.input)))}`,
  });

export const notificationsSchema = z
  .strictObject(
    {
      adminEmails: z
        .array(adminEmail, { error: 'must be a list of email addresses' })
        .max(20, { error: 'lists more than 20 addresses: use a mailing list instead' })
        .refine((a) => new Set(a.map((e) => e.toLowerCase())).size === a.length, {
          error: 'lists the same address more than once',
        })
        .default([])
        .describe(
          'Admins told by email about each welcome, resend, bounce, complaint and failure that needs a ' +
            'person. Each address is subscribed to the SNS topic iam-onboarding-admin-notices and must ' +
            'confirm the subscription. Default: none (no topic is created).',
        ),
      slackWebhookParameter: z
        .string({
          error: `must be the NAME of an SSM parameter such as "${SUGGESTED_SLACK_PARAMETER}"`,
        })
        .superRefine((name, ctx) => {
          // A pasted URL is reported by notificationProblems, without echoing it.
          if (looksLikeUrl(name)) return;
          const problem = ssmParameterNameProblem(name);
          if (problem) ctx.addIssue({ code: 'custom', message: `${problem}` });
        })
        .optional()
        .describe(
          'NAME of the SSM SecureString parameter (aws/ssm key) that holds the Slack incoming-webhook ' +
            `URL, e.g. "${SUGGESTED_SLACK_PARAMETER}". Never the URL itself: put the value with ` +
            '`aws ssm put-parameter --type SecureString` (config/README.md "Admin notifications"). ' +
            'Default: no Slack notices.',
        ),
    },
    {
      error: (issue) =>
        issue.input === undefined
          ? 'is required'
          : 'must be an object such as {"adminEmails": ["it-ops@example.com"]}',
    },
  )
  .prefault({})
  .describe(
    'Where admins hear about welcomes and problems that need a person (config/README.md "Admin notifications").',
  );

export type NotificationSettings = z.output<typeof notificationsSchema>;
