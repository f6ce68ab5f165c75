/**
 * The error that ends the work on one queue record, whatever it asked for (a
 * welcome, a resend, the reconcile or expiry run): the record is reported as
 * a batch item failure, so SQS delivers it again, and after the queue's last
 * receive the dead-letter queue keeps it. SDK errors can carry request
 * details (and `cause` chains), so what is logged and reported is always a
 * fresh RecordError built from names and identifiers only.
 */

export type RecordStep =
  | 'config'
  | 'get-user'
  | 'list-user-tags'
  | 'get-password-policy'
  | 'check-suppression'
  | 'generate-password'
  | 'resolve-sign-in-url'
  | 'create-login-profile'
  | 'get-login-profile'
  | 'check-existing-profile'
  | 'send-email'
  | 'slack-lookup'
  | 'send-slack'
  | 'delete-login-profile'
  | 'tag-user'
  | 'read-message'
  | 'reconcile'
  | 'expire'
  | 'lifecycle'
  | 'unexpected';

export interface RecordErrorContext {
  step: RecordStep;
  /** Name of the underlying error (e.g. `MessageRejected`), never its message. */
  errorName: string;
  userName?: string;
  eventId?: string;
  /** What an operator has to do, when it is not "replay the event". */
  action?: string;
  /**
   * An expected, passing condition (IAM not consistent yet, another run may
   * still be sending, no time left): logged as a warning, retried later.
   */
  deferred?: boolean;
}

export class RecordError extends Error {
  readonly step: RecordStep;
  readonly errorName: string;
  readonly userName?: string;
  readonly eventId?: string;
  readonly deferred: boolean;

  constructor(context: RecordErrorContext) {
    const who = [
      context.userName === undefined ? undefined : `user ${context.userName}`,
      context.eventId === undefined ? undefined : `event ${context.eventId}`,
    ]
      .filter((part) => part !== undefined)
      .join(', ');
    super(
      `record failed at step ${context.step}${who === '' ? '' : ` (${who})`}: ${context.errorName}` +
        (context.action === undefined ? '' : `. ${context.action}`),
    );
    this.name = 'RecordError';
    this.step = context.step;
    this.errorName = context.errorName;
    this.deferred = context.deferred === true;
    if (context.userName !== undefined) this.userName = context.userName;
    if (context.eventId !== undefined) this.eventId = context.eventId;
  }
}

/** The error's name (SDK errors: the AWS error code), safe to log and report. */
export function errorName(error: unknown): string {
  if (error instanceof Error) return error.name;
  return typeof error;
}

/**
 * A secret as an error message may quote it: verbatim, URL-encoded (the IAM
 * Query API sends `Password=` form-encoded), JSON-escaped, or base64.
 */
function quotedForms(secret: string): string[] {
  return [
    secret,
    encodeURIComponent(secret),
    JSON.stringify(secret).slice(1, -1),
    Buffer.from(secret, 'utf8').toString('base64'),
  ];
}

/** Every form of every secret replaced by `[REDACTED]`. */
export function redact(text: string, secrets: readonly string[]): string {
  return secrets
    .filter((secret) => secret !== '')
    .flatMap(quotedForms)
    .reduce((acc, form) => acc.split(form).join('[REDACTED]'), text);
}

/** Loggable facts about an error with every secret replaced by `[REDACTED]`. */
export function describeError(
  error: unknown,
  secrets: readonly string[] = [],
): { name: string; message: string; httpStatusCode?: number; requestId?: string } {
  const message = error instanceof Error ? error.message : String(error);
  const metadata = (error as { $metadata?: { httpStatusCode?: number; requestId?: string } })
    ?.$metadata;
  return {
    name: errorName(error),
    // Redacted before it is cut: a cut could split a secret and leave most of it.
    message: redact(message, secrets).slice(0, 500),
    ...(metadata?.httpStatusCode === undefined ? {} : { httpStatusCode: metadata.httpStatusCode }),
    ...(metadata?.requestId === undefined ? {} : { requestId: metadata.requestId }),
  };
}
