/**
 * Every AWS call the welcome handler makes, as IAM actions on the kind of
 * resource each acts on: the rows of the function's one table of calls
 * (shared/function-calls.ts), which the role's statements are built from
 * too. The rehearsal checks each function's synthesized role against them,
 * so a call the handler needs and the role lacks is found before deploying;
 * what it adds here is only what a rehearsal needs to ask (the request
 * context, which users must be refused).
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
import { FUNCTION_CALLS, type CallTarget } from '../../shared/function-calls';

export type { CallTarget };

export interface HandlerCall {
  readonly action: string;
  readonly on: CallTarget;
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
 * What the role must do on a user outside the managed path
 * (`user/someone-else`, `user/other-path/x`) or without the managed-by tag,
 * by the kind of user a call is on. Reads on any user are `allowed` (for a
 * user already deleted IAM authorizes against an ARN without the path:
 * config/README.md); every call on a managed user is `refused` elsewhere.
 */
export const ON_UNMANAGED_USERS: Partial<Record<CallTarget, 'allowed' | 'refused'>> = {
  user: 'allowed',
  'managed-user': 'refused',
  'managed-user-tag': 'refused',
};

/**
 * What IAM knows of a user the stack created, as request context: its tags
 * (`iam:ResourceTag/...` and `aws:ResourceTag/...`), which the role's
 * conditions may require.
 */
export const MANAGED_USER_TAGS = {
  [`iam:ResourceTag/${MANAGED_BY_TAG_KEY}`]: MANAGED_BY_TAG_VALUE,
  [`aws:ResourceTag/${MANAGED_BY_TAG_KEY}`]: MANAGED_BY_TAG_VALUE,
} as const;

/** The request context of a row, where the role conditions on it. */
const CONTEXTS: Readonly<Record<string, HandlerCall['context']>> = {
  // All three keys at once, as the first welcome writes them when it also
  // serves a resend; fewer (after a welcome, after a resend, a lost SES
  // answer) is a subset, which a ForAllValues condition allows whenever
  // the whole set is allowed.
  'iam:TagUser': {
    'aws:TagKeys': [WELCOMED_TAG_KEY, RESENT_TAG_KEY, SENT_TO_TAG_KEY],
    [`aws:RequestTag/${WELCOMED_TAG_KEY}`]: '2026-01-01T00:00:00.000Z',
    [`aws:RequestTag/${RESENT_TAG_KEY}`]: '2',
    [`aws:RequestTag/${SENT_TO_TAG_KEY}`]: 'new.person@example.com',
  },
};

export const WELCOME_HANDLER_CALLS: readonly HandlerCall[] = [
  ...FUNCTION_CALLS.map(({ action, on }): HandlerCall => {
    const context = CONTEXTS[action];
    return context ? { action, on, context } : { action, on };
  }),
  {
    // The expiry run marks the users whose unused password it removed.
    action: 'iam:TagUser',
    on: 'managed-user-tag',
    context: {
      'aws:TagKeys': [EXPIRED_TAG_KEY],
      [`aws:RequestTag/${EXPIRED_TAG_KEY}`]: '2026-01-08T00:00:00.000Z',
    },
    onlyWithEnv: WELCOME_ENV.unusedPasswordDays,
    label: 'expired tag',
  },
  {
    // A suspension, a reinstatement and an end-date warning are recorded.
    action: 'iam:TagUser',
    on: 'managed-user-tag',
    context: {
      'aws:TagKeys': [SUSPENDED_AT_TAG_KEY, REINSTATED_AT_TAG_KEY, END_WARNED_TAG_KEY],
      [`aws:RequestTag/${SUSPENDED_AT_TAG_KEY}`]: '2026-01-08T00:00:00.000Z',
      [`aws:RequestTag/${REINSTATED_AT_TAG_KEY}`]: '2026-01-09T00:00:00.000Z',
      [`aws:RequestTag/${END_WARNED_TAG_KEY}`]: '2026-03-31',
    },
    label: 'suspension records',
  },
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
  readonly on: 'managed-user-tag' | 'sender-identity';
  readonly context: Readonly<Record<string, string | readonly string[]>>;
}

export const MUST_BE_REFUSED: readonly RefusedCall[] = [
  {
    label: 'rewrite the email tag',
    action: 'iam:TagUser',
    on: 'managed-user-tag',
    context: { 'aws:TagKeys': ['email'], 'aws:RequestTag/email': 'someone@elsewhere.example' },
  },
  {
    // Only a deploy raises the counter: a function that could would mail itself passwords on demand.
    label: 'write the resend request tag',
    action: 'iam:TagUser',
    on: 'managed-user-tag',
    context: { 'aws:TagKeys': [RESEND_TAG_KEY], [`aws:RequestTag/${RESEND_TAG_KEY}`]: '99' },
  },
  {
    label: 'rewrite the email tag along with a tag it may write',
    action: 'iam:TagUser',
    on: 'managed-user-tag',
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
