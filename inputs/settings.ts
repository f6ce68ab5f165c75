/**
 * Settings: everything that differs between organisations, in one JSON file
 * (`config/settings.json`, or the file named by `SETTINGS_FILE`).
 *
 * The file is validated like the roster: every problem at once, each with its
 * JSON path, line and column, and nothing is synthesized while any remains.
 * `settingsJsonSchema()` gives the same rules as a JSON Schema for editor
 * completion (`npm run schema` writes it to `config/settings.schema.json`).
 * config/README.md documents each field and what the account must provide.
 */
import { z } from 'zod';
import {
  ACCOUNT_ALIAS,
  ACCOUNT_ID,
  checkAccountAlias,
  checkAccountId,
  checkEmailAddress,
  checkMailbox,
  checkScheduleExpression,
  EMAIL_ADDRESS,
  reasonOf,
  SCHEDULE_EXPRESSION,
} from '../shared/rules';
import { UNUSED_PASSWORD_DAYS } from '../shared/contract';
import { DEFAULT_QUOTAS } from './roster';
import { readJsonDocument, type JsonDocument } from './json-file';
import { validateDocument, type CrossProblem } from './validate';
import { notificationProblems, notificationsSchema } from './notifications';
import {
  botTokenParameterSchema,
  channelSchema,
  deliveryChannelProblems,
  SUGGESTED_BOT_TOKEN_PARAMETER,
} from './delivery-channel';
import { DEFAULT_DELIVERY_CHANNEL } from '../shared/contract';

/** Default location of the settings file, relative to the project root. */
export const DEFAULT_SETTINGS_FILE = 'config/settings.json';

/** Environment variable that names another settings file. */
export const SETTINGS_FILE_ENV = 'SETTINGS_FILE';

/** Retention periods CloudWatch Logs accepts (PutRetentionPolicy), in days. */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288,
  3653,
] as const;

export const DEFAULT_LOG_RETENTION_DAYS = 90;
export const DEFAULT_MAIL_FROM_SUBDOMAIN = 'mail';
export const DEFAULT_TRAIL_NAME = 'iam-onboarding';
/** The least an SQS event source mapping's maximum concurrency takes; see config/README.md "Pacing". */
export const DEFAULT_MAXIMUM_CONCURRENCY = 2;
export const DEFAULT_RECONCILE_SCHEDULE = 'rate(1 hour)';
export const DEFAULT_EXPIRY_SCHEDULE = 'rate(1 day)';

/** An EventBridge schedule expression (shared/rules.ts), for the reconcile and expiry runs. */
const schedule = (example: string) =>
  z
    .string({ error: typeError(`an EventBridge schedule expression such as "${example}"`) })
    .regex(SCHEDULE_EXPRESSION, {
      error: (issue) =>
        `must be an EventBridge schedule expression such as "${example}", "rate(30 minutes)" or "cron(0 3 * * ? *)": ${reasonOf(checkScheduleExpression(String(issue.input)))}`,
    });

// --- building blocks -------------------------------------------------------

/** Message for a missing field or a value of the wrong JSON type. */
function typeError(what: string) {
  return (issue: { input?: unknown }) =>
    issue.input === undefined ? `is required: ${what}` : `must be ${what}`;
}

const text = (what: string, max: number) =>
  z
    .string({ error: typeError(what) })
    .trim()
    .min(1, { error: `must not be empty: ${what}` })
    .max(max, { error: `is too long (at most ${max} characters)` });

const LABEL = '[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?';
/** A lower-case DNS name of at least two labels, e.g. `example.com`. */
const DOMAIN_RE = new RegExp(`^(?=.{1,253}$)(?:${LABEL}\\.)+[a-z]{2,63}$`);
/** One or more DNS labels, e.g. `mail` or `bounce.mail`. */
const SUBDOMAIN_RE = new RegExp(`^(?=.{1,200}$)${LABEL}(?:\\.${LABEL})*$`);
export interface ParsedAddress {
  /** The display name without its quotes, or undefined for a bare address. */
  readonly displayName?: string;
  /** The address itself, e.g. `onboarding@example.com`. */
  readonly email: string;
  /** Its domain, lower case. */
  readonly domain: string;
}

/**
 * Splits `Name <local@domain>` or `local@domain`; undefined when it is
 * neither. The function reads this setting with the same rule at run time
 * (shared/rules.ts checkMailbox), so what passes here passes there.
 */
export function parseSenderAddress(value: string): ParsedAddress | undefined {
  const m = checkMailbox(value);
  if (!m.ok) return undefined;
  const { address: email, displayName } = m;
  return { displayName, email, domain: email.slice(email.lastIndexOf('@') + 1).toLowerCase() };
}

/** True when `name` is `parent` or a subdomain of it. */
export function isSameOrSubdomain(name: string, parent: string): boolean {
  const n = name.toLowerCase();
  const p = parent.toLowerCase();
  return n === p || n.endsWith(`.${p}`);
}

const emailAddress = z.string({ error: typeError('an email address') }).regex(EMAIL_ADDRESS, {
  error: (issue) =>
    `must be a plain email address such as "it-ops@example.com": ${reasonOf(checkEmailAddress(String(issue.input)))}`,
});

// --- the schema ------------------------------------------------------------

const senderSchema = z
  .strictObject(
    {
      address: z
        .string({
          error: typeError('the From address, e.g. "Example IT <onboarding@example.com>"'),
        })
        .refine((v) => checkMailbox(v).ok, {
          error: (issue) =>
            `must be "Display Name <local@domain>" or "local@domain" in plain ASCII: ${reasonOf(checkMailbox(String(issue.input)))}`,
        })
        .describe(
          'From address of the welcome email, optionally with a display name: ' +
            '"Example IT <onboarding@example.com>". Its domain must be the sender domain or a subdomain of it.',
        ),
      domain: z
        .string({ error: typeError('a domain name such as "example.com"') })
        .regex(DOMAIN_RE, {
          error:
            'must be a lower-case domain name such as "example.com" (no scheme, no trailing dot)',
        })
        .describe(
          'Domain verified as an SES identity, with DKIM. Its DNS must be under your control: ' +
            'either in the Route 53 zone given as hostedZoneId, or edited by hand.',
        ),
      mailFromSubdomain: z
        .string({ error: typeError('a subdomain label such as "mail"') })
        .regex(SUBDOMAIN_RE, {
          error:
            'must be one or more lower-case DNS labels such as "mail" (the sender domain is appended)',
        })
        .default(DEFAULT_MAIL_FROM_SUBDOMAIN)
        .describe(
          'Custom MAIL FROM (bounce) domain, as a label under the sender domain: "mail" gives ' +
            '"mail.example.com". It must not be a domain you already send or receive mail from.',
        ),
    },
    { error: typeError('an object with "address" and "domain"') },
  )
  .describe('Who sends the welcome email.');

const trailSchema = z
  .strictObject(
    {
      create: z
        .boolean({ error: typeError('true or false') })
        .describe(
          'true: create a CloudTrail trail (multi-region, management events) with its own locked-down ' +
            'S3 bucket. false: rely on an existing trail, which must record management events ' +
            '(write or all) including global service events; see config/README.md.',
        ),
      name: z
        .string({ error: typeError('a trail name') })
        .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{2,127}$/, {
          error:
            'must be 3 to 128 characters: letters, digits, ".", "_" or "-", starting with a letter or digit',
        })
        .refine((v) => !/[._-]{2}/.test(v) && !/[._-]$/.test(v), {
          error: 'must not have adjacent ".", "_" or "-" characters, nor end with one',
        })
        .optional()
        .describe(
          `Name of the trail to create (only with create: true). Default "${DEFAULT_TRAIL_NAME}".`,
        ),
    },
    { error: typeError('an object such as {"create": true}') },
  )
  .describe('Whether this stack creates the CloudTrail trail the pipeline depends on.');

const alertsSchema = z
  .strictObject(
    {
      emails: z
        .array(emailAddress, { error: typeError('a list of email addresses') })
        .min(1, {
          error:
            'must list at least one address: failures of the welcome pipeline are reported only there',
        })
        .refine((a) => new Set(a.map((e) => e.toLowerCase())).size === a.length, {
          error: 'lists the same address more than once',
        })
        .describe(
          'Addresses subscribed (by email) to the alerts topic. Each receives a confirmation email ' +
            'from SNS and gets alerts only after confirming it.',
        ),
    },
    { error: typeError('an object such as {"emails": ["it-ops@example.com"]}') },
  )
  .describe('Where operational alerts go (function errors, undelivered events).');

const deliverySchema = z
  .strictObject(
    {
      maximumConcurrency: z
        .int({ error: typeError('a whole number from 2 to 1000') })
        .min(2, { error: 'must be at least 2 (the least an SQS event source mapping accepts)' })
        .max(1000, { error: 'must be at most 1000' })
        .default(DEFAULT_MAXIMUM_CONCURRENCY)
        .describe(
          `Copies of the welcome function the queue runs at once. Reserves nothing. Default ${DEFAULT_MAXIMUM_CONCURRENCY}: ` +
            'about the SES sandbox rate; raise it with SES production access if thousands join at once.',
        ),
      reconcileSchedule: schedule(DEFAULT_RECONCILE_SCHEDULE)
        .default(DEFAULT_RECONCILE_SCHEDULE)
        .describe(
          `How often the pipeline looks for managed users never welcomed (a lost event, a sender not verified yet) and welcomes them. Default "${DEFAULT_RECONCILE_SCHEDULE}".`,
        ),
      reservedConcurrency: z
        .int({ error: typeError('a whole number from 2 to 1000') })
        .min(2, { error: 'must be at least 2 (no smaller than maximumConcurrency)' })
        .max(1000, { error: 'must be at most 1000' })
        .optional()
        .describe(
          'Lambda concurrency reserved for the welcome function, so other functions cannot starve it. ' +
            'Off by default: a reservation that leaves under 10 unreserved fails to deploy, and new ' +
            "accounts' quota is often 10. Only for accounts with a raised quota; at least maximumConcurrency.",
        ),
      channel: channelSchema
        .default(DEFAULT_DELIVERY_CHANNEL)
        .describe(
          `How people receive their sign-in, unless their roster entry says otherwise: "email" (default), ` +
            '"slack" (a Slack direct message to the Slack user with their email address; the email when ' +
            'Slack cannot reach them) or "email-and-slack" (both; the email is the record). Slack needs ' +
            'slackBotTokenParameter (README "Slack direct messages").',
        ),
      slackBotTokenParameter: botTokenParameterSchema
        .optional()
        .describe(
          'NAME of the SSM SecureString parameter (aws/ssm key) that holds the Slack bot token, e.g. ' +
            `"${SUGGESTED_BOT_TOKEN_PARAMETER}". Never the token itself: put the value with ` +
            '`aws ssm put-parameter --type SecureString` (README "Slack direct messages"). Required when ' +
            "channel, or any person's channel, uses Slack. Default: no Slack direct messages.",
        ),
      operatorRoles: z
        .array(
          z
            .string({ error: typeError('an IAM role ARN') })
            .regex(/^arn:aws:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/, {
              error:
                'must be an IAM role ARN such as "arn:aws:iam::123456789012:role/it-operator" (exact, no wildcards)',
            }),
          { error: typeError('a list of IAM role ARNs') },
        )
        // A refinement, not .max(): it runs only on a list, so a string gets one problem.
        .refine((roles) => roles.length <= 10, { error: 'lists more than 10 roles' })
        .optional()
        .describe(
          'Roles that may queue work by hand (npm run redrive -- --apply, npm run reconcile -- --apply). ' +
            'The welcome queue denies every other sender but its topics, its schedules and the function, ' +
            'so that nobody else can queue a forged request or SES bounce. Default none.',
        ),
    },
    { error: typeError('an object such as {"maximumConcurrency": 2}') },
  )
  .prefault({})
  .describe(
    'How fast welcomes are sent (see config/README.md "Pacing"), and who else may queue them.',
  );

/**
 * An IAM role ARN as CloudTrail's `sessionContext.sessionIssuer.arn` shows it:
 * IAM's role path (`/` or `/a/b/`, at most 512) and name (at most 64).
 */
const DEPLOY_ROLE_ARN_RE =
  /^arn:aws(?:-cn|-us-gov)?:iam::\d{12}:role\/(?=[\x21-\x7e]{1,576}$)(?:[\w+=,.@-]+\/){0,32}[\w+=,.@-]{1,64}$/;

/** The deploy role must live in the account it deploys to: CloudTrail shows no other caller's ARN. */
function deployRoleProblems(root: Record<string, unknown> | undefined): CrossProblem[] {
  const arn = asRecord(root?.security)?.deployRoleArn;
  const account = root?.accountId;
  if (typeof arn !== 'string' || !DEPLOY_ROLE_ARN_RE.test(arn) || typeof account !== 'string') {
    return [];
  }
  const inArn = arn.split(':')[4];
  return inArn === account
    ? []
    : [
        {
          path: ['security', 'deployRoleArn'],
          message: `names account ${inArn}, not accountId ${account}: the deploy role is in the account it deploys to`,
        },
      ];
}

const securitySchema = z
  .strictObject(
    {
      requireMfa: z
        .boolean({ error: typeError('true or false') })
        .default(true)
        .describe(
          'true (default): every managed person may only change their password and set up MFA until ' +
            'they sign in with MFA (CIS 1.10, Security Hub IAM.5). The welcome email explains the steps.',
        ),
      managePasswordPolicy: z
        .boolean({ error: typeError('true or false') })
        .default(false)
        .describe(
          "true: this stack sets the account's password policy to CIS values (length 14, reuse 24, " +
            'all character classes), replacing any policy set by hand. Default false: the policy in force is kept.',
        ),
      deployRoleArn: z
        .string({
          error: typeError(
            'the deploy role\'s ARN, e.g. "arn:aws:iam::123456789012:role/iam-onboarding-deploy"',
          ),
        })
        .regex(DEPLOY_ROLE_ARN_RE, {
          error:
            'must be an IAM role ARN such as "arn:aws:iam::123456789012:role/iam-onboarding-deploy" ' +
            '(with its path, as `aws iam get-role` prints it; not an assumed-role or sts ARN)',
        })
        .optional()
        .describe(
          'ARN of the role that deploys this stack (docs/review-and-delivery.md). Only its TagUser calls ' +
            'may send a resend to a changed address or to a person who has signed in. When absent, every ' +
            'resend is treated as unattributed: it goes only to the address the last email went to, and ' +
            'only to a person who has not signed in (see config/README.md "Resend").',
        ),
    },
    { error: typeError('an object such as {"requireMfa": true}') },
  )
  .prefault({})
  .describe('Account security baselines the stack applies to managed people.');

const expirySchema = z
  .strictObject(
    {
      enabled: z
        .boolean({ error: typeError('true or false') })
        .default(true)
        .describe(
          'true (default): a daily run deletes the login profile of every managed person who never ' +
            'signed in with the temporary password within unusedPasswordDays, and tells the admins. ' +
            'false: temporary passwords stay until someone removes them.',
        ),
      unusedPasswordDays: z
        .int({
          error: typeError(
            `a whole number of days from ${UNUSED_PASSWORD_DAYS.min} to ${UNUSED_PASSWORD_DAYS.max}`,
          ),
        })
        .min(UNUSED_PASSWORD_DAYS.min, {
          error: `must be at least ${UNUSED_PASSWORD_DAYS.min} day: a shorter limit races the welcome email itself`,
        })
        .max(UNUSED_PASSWORD_DAYS.max, {
          error: `must be at most ${UNUSED_PASSWORD_DAYS.max}: CIS 1.12 and Security Hub IAM.22 already flag console passwords unused for 45 days`,
        })
        .default(UNUSED_PASSWORD_DAYS.default)
        .describe(
          `Days a temporary password may go unused before its login profile is deleted. Default ${UNUSED_PASSWORD_DAYS.default}; ` +
            `${UNUSED_PASSWORD_DAYS.min} to ${UNUSED_PASSWORD_DAYS.max}. Unrelated to the password policy's MaxPasswordAge, ` +
            'which ages used passwords too and only forces a change at the next sign-in.',
        ),
      schedule: schedule(DEFAULT_EXPIRY_SCHEDULE)
        .default(DEFAULT_EXPIRY_SCHEDULE)
        .describe(
          `How often the expiry run looks for unused temporary passwords. Default "${DEFAULT_EXPIRY_SCHEDULE}".`,
        ),
    },
    { error: typeError('an object such as {"unusedPasswordDays": 7}') },
  )
  .prefault({})
  .describe('Unclaimed temporary passwords expire (see config/README.md "Expiry").');

/** A raised quota: a whole number, from IAM's default (lowering it protects nothing). */
const quota = (what: string, setting: 'maxUsers' | 'maxGroups', countKey: string) =>
  z
    .int({ error: typeError(`a whole number of ${what}`) })
    .min(1, { error: `must be at least 1` })
    .max(1_000_000, { error: 'must be at most 1,000,000' })
    .default(DEFAULT_QUOTAS[setting])
    .describe(
      `Most IAM ${what} the account may have: IAM's default quota is ${DEFAULT_QUOTAS[setting].toLocaleString('en')}. ` +
        `Set it only when the account's quota is raised (aws iam get-account-summary, ${countKey}); the roster is refused above it.`,
    );

const limitsSchema = z
  .strictObject(
    {
      maxUsers: quota('users', 'maxUsers', 'UsersQuota'),
      maxGroups: quota('groups', 'maxGroups', 'GroupsQuota'),
    },
    { error: typeError('an object such as {"maxUsers": 5000}') },
  )
  .prefault({})
  .describe('The account\'s IAM quotas the roster is checked against (config/README.md "Limits").');

export const settingsSchema = z
  .strictObject(
    {
      $schema: z
        .string({ error: typeError('a string (the path of the JSON schema)') })
        .optional()
        .describe('JSON schema for editors; ignored by the program.'),
      accountId: z
        .string({ error: typeError('the 12-digit AWS account id, as a string') })
        .regex(ACCOUNT_ID, {
          error: (issue) =>
            `must be exactly 12 digits, written as a string (keep leading zeros): ${reasonOf(checkAccountId(String(issue.input)))}`,
        })
        .describe(
          'The AWS account the stack deploys to. The provider refuses any other account, and IAM ' +
            'policies name it in their ARNs.',
        ),
      organisationName: text('the organisation name shown in the email', 100).describe(
        'Organisation name shown in the welcome email ("your Example Corp AWS account").',
      ),
      sender: senderSchema,
      trail: trailSchema,
      hostedZoneId: z
        .string({ error: typeError('a Route 53 hosted zone id') })
        .regex(/^Z[A-Z0-9]{1,31}$/, {
          error:
            'must be a Route 53 hosted zone id such as "Z0123456789ABCDEFGHIJ" (without "/hostedzone/")',
        })
        .optional()
        .describe(
          'Route 53 public hosted zone of the sender domain. When given, the SES verification, DKIM and ' +
            'MAIL FROM records are written there; when absent, add them by hand (see the plan summary).',
        ),
      alerts: alertsSchema,
      notifications: notificationsSchema,
      delivery: deliverySchema,
      security: securitySchema,
      expiry: expirySchema,
      limits: limitsSchema,
      accountAlias: z
        .string({ error: typeError('an account alias') })
        .regex(ACCOUNT_ALIAS, {
          // The function refuses any other alias at run time (shared/rules.ts),
          // which would fail every welcome after a clean deploy.
          error: (issue) =>
            `must be an IAM account alias (3 to 63 lower-case letters, digits and single hyphens, starting and ending with a letter or digit): ${reasonOf(checkAccountAlias(String(issue.input)))}`,
        })
        .optional()
        .describe(
          'Account alias used in the sign-in address shown in the email. When absent the function asks ' +
            'IAM (ListAccountAliases) and falls back to the account id. This does not create the alias.',
        ),
      helpContact: text('whom new people ask for help', 200).describe(
        'Whom a new person asks for help, shown in the email: an address, a chat channel, a phone number.',
      ),
      logRetentionDays: z
        .literal(LOG_RETENTION_DAYS, {
          error: `must be one of the periods CloudWatch Logs accepts: ${LOG_RETENTION_DAYS.join(', ')}`,
        })
        .default(DEFAULT_LOG_RETENTION_DAYS)
        .describe(
          `Days the welcome function's logs are kept. Default ${DEFAULT_LOG_RETENTION_DAYS}.`,
        ),
    },
    { error: typeError('a JSON object') },
  )
  .describe('iam-onboarding settings: what differs between organisations.');

/** Validated settings, defaults applied. */
export type Settings = z.output<typeof settingsSchema>;
/** Settings as written in the file (optional fields may be missing). */
export type SettingsInput = z.input<typeof settingsSchema>;

// --- cross-field checks ----------------------------------------------------

function asRecord(v: unknown): Record<string, unknown> | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
    ? (v as Record<string, unknown>)
    : undefined;
}

/**
 * Checks between fields. They run on the raw value, each only when the fields
 * it compares are individually valid, so that they are reported together with
 * the schema's problems rather than after those are fixed.
 */
function crossFieldProblems(raw: unknown): CrossProblem[] {
  const out: CrossProblem[] = [];
  const root = asRecord(raw);
  const sender = asRecord(root?.sender);
  const domain =
    typeof sender?.domain === 'string' && DOMAIN_RE.test(sender.domain) ? sender.domain : undefined;
  const address =
    typeof sender?.address === 'string' ? parseSenderAddress(sender.address) : undefined;
  if (domain && address && !isSameOrSubdomain(address.domain, domain)) {
    out.push({
      path: ['sender', 'address'],
      message: `the address's domain "${address.domain}" must be the sender domain "${domain}" or a subdomain of it (SES sends only from a verified identity)`,
    });
  }
  const sub =
    typeof sender?.mailFromSubdomain === 'string' && SUBDOMAIN_RE.test(sender.mailFromSubdomain)
      ? sender.mailFromSubdomain
      : sender?.mailFromSubdomain === undefined
        ? DEFAULT_MAIL_FROM_SUBDOMAIN
        : undefined;
  if (domain && sub && `${sub}.${domain}`.length > 253) {
    out.push({
      path: ['sender', 'mailFromSubdomain'],
      message: 'makes the MAIL FROM domain longer than 253 characters',
    });
  }
  if (domain && sub && address && address.domain === `${sub}.${domain}`) {
    out.push({
      path: ['sender', 'mailFromSubdomain'],
      message: `the MAIL FROM domain "${sub}.${domain}" must differ from the From address's domain (SES requires a subdomain used for nothing else)`,
    });
  }
  const delivery = asRecord(root?.delivery);
  const reserved = delivery?.reservedConcurrency;
  const maximum = delivery?.maximumConcurrency ?? DEFAULT_MAXIMUM_CONCURRENCY;
  if (
    typeof reserved === 'number' &&
    typeof maximum === 'number' &&
    Number.isInteger(reserved) &&
    Number.isInteger(maximum) &&
    reserved < maximum
  ) {
    out.push({
      path: ['delivery', 'reservedConcurrency'],
      message: `is ${reserved}, below maximumConcurrency ${maximum}: Lambda would throttle the queue's own invocations`,
    });
  }
  out.push(...notificationProblems(root));
  out.push(...deliveryChannelProblems(root));
  out.push(...deployRoleProblems(root));
  const trail = asRecord(root?.trail);
  if (trail?.create === false && trail.name !== undefined) {
    out.push({
      path: ['trail', 'name'],
      message:
        'applies only when "create" is true; an existing trail is not referenced by name (remove this field)',
    });
  }
  return out;
}

// --- loading ---------------------------------------------------------------

/** How annotations on a pull request title the settings' problems. */
export const SETTINGS_PROBLEM_TITLE = 'Settings problem';

/** Validates an already parsed document; throws InputFileError with every problem. */
export function validateSettings(doc: JsonDocument): Settings {
  return validateDocument(doc, settingsSchema, crossFieldProblems, {
    title: SETTINGS_PROBLEM_TITLE,
  });
}

/** Reads and validates a settings file; throws InputFileError listing every problem. */
export function loadSettings(file: string = DEFAULT_SETTINGS_FILE): Settings {
  return validateSettings(readJsonDocument(file, SETTINGS_PROBLEM_TITLE));
}

/** The settings file's JSON Schema (input side: defaults shown, optional fields optional). */
export function settingsJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(settingsSchema, { io: 'input' });
}

// --- derived values, shared by the constructs ------------------------------

/** The MAIL FROM domain, e.g. `mail.example.com`. */
export function mailFromDomain(settings: Settings): string {
  return `${settings.sender.mailFromSubdomain}.${settings.sender.domain}`;
}

/** The From address without its display name, e.g. `onboarding@example.com`. */
export function senderEmail(settings: Settings): string {
  return parseSenderAddress(settings.sender.address)!.email;
}
