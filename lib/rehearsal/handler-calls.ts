/**
 * Every AWS call the welcome handler makes, as IAM actions on the kind of
 * resource each acts on. The rehearsal checks the function's synthesized
 * role against this list, so a call the handler needs and the role lacks is
 * found before deploying. Add a call here when the handler starts making it.
 */
import { MANAGED_USER_PATH, WELCOME_ENV } from '../contract';

/** What a call acts on; the rehearsal turns each into concrete ARNs. */
export type CallTarget =
  /** A user: `arn:aws:iam::<account>:user<MANAGED_USER_PATH><name>`. */
  | 'user'
  /** No resource (account-level reads): `*`. */
  | 'account'
  /** A stream of the function's own log group. */
  | 'own-log-stream'
  /** The SES identity the function sends from. */
  | 'sender-identity';

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
}

/** Tag the handler writes once a person has been welcomed. */
export const WELCOMED_TAG = 'iam-onboarding:welcomed';

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
    context: {
      'aws:TagKeys': [WELCOMED_TAG],
      [`aws:RequestTag/${WELCOMED_TAG}`]: '2026-01-01T00:00:00.000Z',
    },
  },
  { action: 'iam:GetAccountPasswordPolicy', on: 'account' },
  { action: 'iam:ListAccountAliases', on: 'account' },
  { action: 'logs:CreateLogStream', on: 'own-log-stream' },
  { action: 'logs:PutLogEvents', on: 'own-log-stream' },
  { action: 'ses:SendEmail', on: 'sender-identity' },
];

/** The managed user the calls are rehearsed on (the name is arbitrary; the path is what the role scopes by). */
export const SAMPLE_USER = 'new.person';

/** Users outside the managed path: writes there must be refused. */
export const UNMANAGED_USERS = ['someone-else', 'other-path/x'] as const;

export const managedUserArn = (accountId: string, name: string = SAMPLE_USER): string =>
  `arn:aws:iam::${accountId}:user${MANAGED_USER_PATH}${name}`;

/**
 * Whether a function runs the welcome handler: it carries the handler's
 * environment contract (lib/contract.ts), whatever it is named.
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
