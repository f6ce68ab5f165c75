/**
 * Every AWS call the welcome handler makes, as IAM actions on the kind of
 * resource each acts on. The rehearsal checks the function's synthesized
 * role against this list, so a call the handler needs and the role lacks is
 * found before deploying. Add a call here when the handler starts making it.
 */
import {
  END_WARNED_TAG_KEY,
  REINSTATED_AT_TAG_KEY,
  SUSPENDED_AT_TAG_KEY,
  EXPIRED_TAG_KEY,
  MANAGED_BY_TAG_KEY,
  MANAGED_BY_TAG_VALUE,
  MANAGED_USER_PATH,
  RESEND_TAG_KEY,
  RESENT_TAG_KEY,
  SENT_TO_TAG_KEY,
  WELCOME_ENV,
  WELCOMED_TAG_KEY,
} from '../../shared/contract';

/** What a call acts on; the rehearsal turns each into concrete ARNs. */
export type CallTarget =
  /** A user: `arn:aws:iam::<account>:user<MANAGED_USER_PATH><name>`. */
  | 'user'
  /** No resource (account-level reads): `*`. */
  | 'account'
  /** A stream of the function's own log group. */
  | 'own-log-stream'
  /** The SES identity the function sends from. */
  | 'sender-identity'
  /** The queue the function drains (its event source mapping): the reconcile run queues welcomes there. */
  | 'welcome-queue'
  /** The admins' topic named in the function's environment (ADMIN_TOPIC_ARN). */
  | 'admin-topic'
  /** The Slack webhook's SecureString named in the function's environment (SLACK_WEBHOOK_PARAMETER). */
  | 'slack-parameter';

export interface HandlerCall {
  readonly action: string;
  readonly on: CallTarget;
  /**
   * For user calls: what the role must do on a user outside the managed
   * path (`user/someone-else`, `user/other-path/x`). Reads are `allowed`: for
   * a user already deleted IAM authorizes against an ARN without the path
   * (config/README.md). Writes are `refused`. Absent: not checked there.
   */
  readonly unmanaged?: 'allowed' | 'refused';
  /** Request context the call carries (e.g. the tag keys TagUser writes). */
  readonly context?: Readonly<Record<string, string | readonly string[]>>;
  /**
   * The environment variable (WELCOME_ENV) that turns the call on: a
   * function without it never makes the call, and its role need not grant it.
   * @default always made
   */
  readonly onlyWithEnv?: string;
  /** Tells apart calls of one action with different contexts in hop names (`user x (label)`). */
  readonly label?: string;
}

/**
 * What IAM knows of a user the stack created, as request context: its tags
 * (`iam:ResourceTag/...` and `aws:ResourceTag/...`), which the role's
 * conditions may require.
 */
export const MANAGED_USER_TAGS = {
  [`iam:ResourceTag/${MANAGED_BY_TAG_KEY}`]: MANAGED_BY_TAG_VALUE,
  [`aws:ResourceTag/${MANAGED_BY_TAG_KEY}`]: MANAGED_BY_TAG_VALUE,
} as const;

export const WELCOME_HANDLER_CALLS: readonly HandlerCall[] = [
  { action: 'iam:GetUser', on: 'user', unmanaged: 'allowed' },
  { action: 'iam:ListUserTags', on: 'user', unmanaged: 'allowed' },
  { action: 'iam:GetLoginProfile', on: 'user' },
  { action: 'iam:CreateLoginProfile', on: 'user', unmanaged: 'refused' },
  { action: 'iam:DeleteLoginProfile', on: 'user', unmanaged: 'refused' },
  {
    action: 'iam:TagUser',
    on: 'user',
    unmanaged: 'refused',
    // All three keys at once, as the first welcome writes them when it also
    // serves a resend; fewer (after a welcome, after a resend, a lost SES
    // answer) is a subset, which a ForAllValues condition allows whenever
    // the whole set is allowed.
    context: {
      'aws:TagKeys': [WELCOMED_TAG_KEY, RESENT_TAG_KEY, SENT_TO_TAG_KEY],
      [`aws:RequestTag/${WELCOMED_TAG_KEY}`]: '2026-01-01T00:00:00.000Z',
      [`aws:RequestTag/${RESENT_TAG_KEY}`]: '2',
      [`aws:RequestTag/${SENT_TO_TAG_KEY}`]: 'new.person@example.com',
    },
  },
  {
    // The expiry run marks the users whose unused password it removed.
    action: 'iam:TagUser',
    on: 'user',
    unmanaged: 'refused',
    context: {
      'aws:TagKeys': [EXPIRED_TAG_KEY],
      [`aws:RequestTag/${EXPIRED_TAG_KEY}`]: '2026-01-08T00:00:00.000Z',
    },
    onlyWithEnv: WELCOME_ENV.unusedPasswordDays,
    label: 'expired tag',
  },
  // A suspension: the keys turned off, then the record of it; a reinstatement and an end-date warning are recorded too.
  { action: 'iam:ListAccessKeys', on: 'user', unmanaged: 'refused' },
  { action: 'iam:UpdateAccessKey', on: 'user', unmanaged: 'refused' },
  {
    action: 'iam:TagUser',
    on: 'user',
    unmanaged: 'refused',
    context: {
      'aws:TagKeys': [SUSPENDED_AT_TAG_KEY, REINSTATED_AT_TAG_KEY, END_WARNED_TAG_KEY],
      [`aws:RequestTag/${SUSPENDED_AT_TAG_KEY}`]: '2026-01-08T00:00:00.000Z',
      [`aws:RequestTag/${REINSTATED_AT_TAG_KEY}`]: '2026-01-09T00:00:00.000Z',
      [`aws:RequestTag/${END_WARNED_TAG_KEY}`]: '2026-03-31',
    },
    label: 'suspension records',
  },
  { action: 'iam:GetAccountPasswordPolicy', on: 'account' },
  { action: 'iam:ListAccountAliases', on: 'account' },
  { action: 'iam:ListUsers', on: 'account' },
  { action: 'sqs:SendMessage', on: 'welcome-queue' },
  { action: 'logs:CreateLogStream', on: 'own-log-stream' },
  { action: 'logs:PutLogEvents', on: 'own-log-stream' },
  { action: 'ses:SendEmail', on: 'sender-identity' },
  { action: 'sns:Publish', on: 'admin-topic' },
  { action: 'ssm:GetParameter', on: 'slack-parameter' },
];

/** The managed user the calls are rehearsed on (the name is arbitrary; the path is what the role scopes by). */
export const SAMPLE_USER = 'new.person';

/**
 * Users the function must not write to: outside the managed path, and under
 * it but without the managed-by tag (someone who may create users there but
 * not tag them). Writes there must be refused; reads are allowed.
 */
export const UNMANAGED_USERS = ['someone-else', 'other-path/x', 'iam-onboarding/untagged'] as const;

/** Requests the role must refuse even on a managed user: what a compromised function must not do. */
export interface RefusedCall {
  readonly label: string;
  readonly action: string;
  readonly on: 'user' | 'sender-identity';
  readonly context: Readonly<Record<string, string | readonly string[]>>;
}

export const MUST_BE_REFUSED: readonly RefusedCall[] = [
  {
    label: 'rewrite the email tag',
    action: 'iam:TagUser',
    on: 'user',
    context: { 'aws:TagKeys': ['email'], 'aws:RequestTag/email': 'someone@elsewhere.example' },
  },
  {
    // Only a deploy raises the counter: a function that could would mail itself passwords on demand.
    label: 'write the resend request tag',
    action: 'iam:TagUser',
    on: 'user',
    context: { 'aws:TagKeys': [RESEND_TAG_KEY], [`aws:RequestTag/${RESEND_TAG_KEY}`]: '99' },
  },
  {
    label: 'rewrite the email tag along with a tag it may write',
    action: 'iam:TagUser',
    on: 'user',
    context: {
      'aws:TagKeys': [RESENT_TAG_KEY, 'email'],
      [`aws:RequestTag/${RESENT_TAG_KEY}`]: '2',
      'aws:RequestTag/email': 'someone@elsewhere.example',
    },
  },
  {
    label: 'send as another address',
    action: 'ses:SendEmail',
    on: 'sender-identity',
    context: { 'ses:FromAddress': 'ceo@example.com' },
  },
];

export const managedUserArn = (accountId: string, name: string = SAMPLE_USER): string =>
  `arn:aws:iam::${accountId}:user${MANAGED_USER_PATH}${name}`;

/**
 * Whether a function runs the welcome handler: it carries the handler's
 * environment contract (shared/contract.ts), whatever it is named.
 */
export function runsWelcomeHandler(environment: unknown): boolean {
  const variables = (environment as { variables?: Record<string, unknown> } | undefined)?.variables;
  return typeof variables?.[WELCOME_ENV.senderAddress] === 'string';
}

/** The bare address of `Display Name <local@domain>` or `local@domain`. */
export function bareAddress(from: string): string {
  const angle = /<([^<>]+)>\s*$/.exec(from);
  return (angle ? angle[1] : from).trim();
}
