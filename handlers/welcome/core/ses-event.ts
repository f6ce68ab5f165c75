/**
 * SES's word on a welcome email after SendEmail accepted it: a bounce, a
 * complaint or a reject, published by the configuration set's event
 * destination to an SNS topic that delivers into the welcome queue.
 *
 * Event publishing names the kind in `eventType`; the older identity
 * notifications use `notificationType` with the same bodies, and are read
 * alike. The IAM user comes from the message tag the function put on the
 * email (SES_USER_TAG); SES tag values allow only letters, digits, `_` and
 * `-`, so the name travels encoded (encodeTagValue).
 */
import * as z from 'zod/mini';
import { SES_USER_TAG } from '../../../shared/contract';

/**
 * SES's bounceSubType for an email it accepted and never tried to deliver
 * because the address is on the account-level suppression list (bounceType
 * Permanent): not a mail server's refusal, and lifted by
 * `aws sesv2 delete-suppressed-destination`, not only by a new address.
 */
export const ON_SUPPRESSION_LIST = 'OnAccountSuppressionList';

/** What SES reported, as the function acts on it. */
export interface SesFeedback {
  readonly feedback: 'bounce' | 'complaint' | 'reject';
  /** `Permanent`, `Transient` or `Undetermined` (bounces only). */
  readonly bounceType?: string;
  readonly bounceSubType?: string;
  /** From the message tag; undefined when the email carried none (sent by something else). */
  readonly userName?: string;
  /** The recipients concerned (bounced or complaining ones; else the email's destination). */
  readonly addresses: readonly string[];
  /** SES's message ID of the welcome email (what SendEmail returned). */
  readonly sesMessageId: string;
  /** A short reason for people: a bounce's diagnostic, a complaint's type, a reject's reason. */
  readonly detail?: string;
}

const Recipients = z.optional(
  z.array(z.object({ emailAddress: z.string(), diagnosticCode: z.optional(z.string()) })),
);

const SesEventSchema = z.object({
  eventType: z.optional(z.string()),
  notificationType: z.optional(z.string()),
  mail: z.object({
    messageId: z.string().check(z.minLength(1)),
    destination: z.optional(z.array(z.string())),
    tags: z.optional(z.record(z.string(), z.array(z.string()))),
  }),
  bounce: z.optional(
    z.object({
      bounceType: z.string(),
      bounceSubType: z.optional(z.string()),
      bouncedRecipients: Recipients,
    }),
  ),
  complaint: z.optional(
    z.object({
      complainedRecipients: Recipients,
      complaintFeedbackType: z.optional(z.string()),
    }),
  ),
  reject: z.optional(z.object({ reason: z.optional(z.string()) })),
});

/** What SES publishes once, when the destination is set up (plain text, not JSON). */
export const SES_TOPIC_CHECK = /^Successfully validated SNS topic for Amazon SES event publishing/;

/** Encodes an IAM user name (`+ = , . @ _ -` and letters, digits) as an SES tag value. */
export function encodeTagValue(userName: string): string {
  return userName.replace(
    /[^A-Za-z0-9-]/g,
    (c) => `_${c.charCodeAt(0).toString(16).padStart(2, '0')}`,
  );
}

/** The user name back from encodeTagValue; undefined for anything it cannot have made. */
export function decodeTagValue(value: string): string | undefined {
  if (!/^(?:[A-Za-z0-9-]|_[0-9a-f]{2})+$/.test(value)) return undefined;
  return value.replace(/_([0-9a-f]{2})/g, (_m, hex: string) =>
    String.fromCharCode(parseInt(hex, 16)),
  );
}

export type SesEventResult =
  | { readonly kind: 'ses-feedback'; readonly event: SesFeedback }
  /** SES's own setup check, or an event kind the function does not act on (e.g. Delivery). */
  | { readonly kind: 'skip'; readonly reason: 'ses-event-ignored'; readonly detail: string }
  /** Not an SES event at all: someone else's message. */
  | { readonly kind: 'not-ses' };

const KINDS = { Bounce: 'bounce', Complaint: 'complaint', Reject: 'reject' } as const;

const ignored = (detail: string) =>
  ({ kind: 'skip', reason: 'ses-event-ignored', detail }) as const;

/** Reads an SNS message that may be an SES event (as the request it makes); never throws. */
export function parseSesEvent(message: string): SesEventResult {
  if (SES_TOPIC_CHECK.test(message)) return ignored('SES topic validation');
  let json: unknown;
  try {
    json = JSON.parse(message);
  } catch {
    return { kind: 'not-ses' };
  }
  const parsed = SesEventSchema.safeParse(json);
  if (!parsed.success) return { kind: 'not-ses' };
  const e = parsed.data;
  const type = e.eventType ?? e.notificationType;
  if (type === undefined) return { kind: 'not-ses' };
  const feedback = KINDS[type as keyof typeof KINDS] as SesFeedback['feedback'] | undefined;
  if (feedback === undefined) return ignored(`SES ${type} event`);
  const tagged = e.mail.tags?.[SES_USER_TAG]?.[0];
  const userName = tagged === undefined ? undefined : decodeTagValue(tagged);
  const recipients =
    feedback === 'bounce'
      ? e.bounce?.bouncedRecipients
      : feedback === 'complaint'
        ? e.complaint?.complainedRecipients
        : undefined;
  const addresses = recipients?.map((r) => r.emailAddress) ?? e.mail.destination ?? [];
  const detail =
    feedback === 'bounce'
      ? [e.bounce?.bounceSubType, recipients?.find((r) => r.diagnosticCode)?.diagnosticCode]
          .filter(Boolean)
          .join(': ')
      : feedback === 'complaint'
        ? e.complaint?.complaintFeedbackType
        : e.reject?.reason;
  return {
    kind: 'ses-feedback',
    event: {
      feedback,
      ...(feedback === 'bounce' && e.bounce ? { bounceType: e.bounce.bounceType } : {}),
      ...(e.bounce?.bounceSubType ? { bounceSubType: e.bounce.bounceSubType } : {}),
      ...(userName === undefined ? {} : { userName }),
      addresses,
      sesMessageId: e.mail.messageId,
      ...(detail ? { detail } : {}),
    },
  };
}
