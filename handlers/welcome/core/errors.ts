/**
 * Errors that leave the function. A failed run lands in the Lambda on-failure
 * destination, which records the thrown error's type and message; SDK errors
 * can carry request details (and `cause` chains), so what we throw is always
 * a fresh WelcomeError built from names and identifiers only.
 */

export type WelcomeStep =
  | 'config'
  | 'get-user'
  | 'list-user-tags'
  | 'get-password-policy'
  | 'generate-password'
  | 'resolve-sign-in-url'
  | 'create-login-profile'
  | 'send-email'
  | 'delete-login-profile'
  | 'unexpected';

export interface WelcomeErrorContext {
  step: WelcomeStep;
  /** Name of the underlying error (e.g. `MessageRejected`), never its message. */
  errorName: string;
  userName?: string;
  eventId?: string;
  /** What an operator has to do, when it is not "replay the event". */
  action?: string;
}

export class WelcomeError extends Error {
  readonly step: WelcomeStep;
  readonly errorName: string;
  readonly userName?: string;
  readonly eventId?: string;

  constructor(context: WelcomeErrorContext) {
    const who = [
      context.userName === undefined ? undefined : `user ${context.userName}`,
      context.eventId === undefined ? undefined : `event ${context.eventId}`,
    ]
      .filter((part) => part !== undefined)
      .join(', ');
    super(
      `welcome failed at step ${context.step}${who === '' ? '' : ` (${who})`}: ${context.errorName}` +
        (context.action === undefined ? '' : `. ${context.action}`),
    );
    this.name = 'WelcomeError';
    this.step = context.step;
    this.errorName = context.errorName;
    if (context.userName !== undefined) this.userName = context.userName;
    if (context.eventId !== undefined) this.eventId = context.eventId;
  }
}

/** The error's name (SDK errors: the AWS error code), safe to log and report. */
export function errorName(error: unknown): string {
  if (error instanceof Error) return error.name;
  return typeof error;
}

/** Loggable facts about an error with every secret replaced by `[REDACTED]`. */
export function describeError(
  error: unknown,
  secrets: readonly string[] = [],
): { name: string; message: string; httpStatusCode?: number; requestId?: string } {
  const redact = (text: string): string =>
    secrets.reduce(
      (acc, secret) => (secret === '' ? acc : acc.split(secret).join('[REDACTED]')),
      text,
    );
  const message = error instanceof Error ? error.message : String(error);
  const metadata = (error as { $metadata?: { httpStatusCode?: number; requestId?: string } })
    ?.$metadata;
  return {
    name: errorName(error),
    message: redact(message).slice(0, 500),
    ...(metadata?.httpStatusCode === undefined ? {} : { httpStatusCode: metadata.httpStatusCode }),
    ...(metadata?.requestId === undefined ? {} : { requestId: metadata.requestId }),
  };
}
