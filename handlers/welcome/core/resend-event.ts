/**
 * From a TagUser event (a deploy changed a user's tags) or a queued resend
 * request to "check this user's resend counter". Like core/request.ts: zod/mini,
 * and nothing throws; every record is a resend check or a skip with a reason.
 *
 * The event only says which user to look at, and who asked. Whether a
 * resend is due, and which value, comes from IAM's tags (core/resend.ts);
 * the caller decides what it may do (anyone with iam:TagUser can raise the
 * counter: core/resend.ts judgeResendAuthority).
 */
import * as z from 'zod/mini';
import { RESEND_TAG_KEY, type WelcomeRequestReason } from '../../../shared/contract';

export interface ResendEvent {
  /** EventBridge event id (or `<reason>-resend-request` for a queued request). */
  eventId: string;
  cloudTrailEventId?: string;
  /** SNS message id (SQS message id for a queued request). */
  snsMessageId: string;
  userName: string;
  /** Only on a queued request: a user re-created since is left alone. */
  userId?: string;
  /** When TagUser ran (epoch ms); undefined on a queued request or when no time parses. */
  eventTimeMs?: number;
  /** Set when the reconcile run (or an operator) queued it. */
  requested?: WelcomeRequestReason;
  /**
   * Who called TagUser, from CloudTrail's `userIdentity`: for an assumed role
   * the role's ARN (`sessionContext.sessionIssuer.arn`), else the caller's
   * own ARN. Undefined on a queued request, or when the record names nobody.
   */
  caller?: string;
}

export type ResendEventSkipReason =
  'tag-user-failed' | 'no-user-in-tag-event' | 'not-a-resend-tag-change';

export type ResendClassification =
  | { kind: 'resend'; event: ResendEvent }
  | { kind: 'skip'; reason: ResendEventSkipReason; detail: string; userName?: string };

const UserIdentitySchema = z.object({
  type: z.optional(z.string()),
  arn: z.optional(z.string()),
  sessionContext: z.optional(
    z.object({ sessionIssuer: z.optional(z.object({ arn: z.optional(z.string()) })) }),
  ),
});

/**
 * The caller CloudTrail names. An assumed role's own ARN (`sts::…:assumed-role/
 * NAME/SESSION`) has no path and a session name anyone assuming it picks, so
 * the issuer's IAM role ARN is what is compared with the deploy role.
 */
function callerOf(identity: unknown): string | undefined {
  const parsed = UserIdentitySchema.safeParse(identity);
  if (!parsed.success) return undefined;
  const { type, arn, sessionContext } = parsed.data;
  if (type === 'AssumedRole') return sessionContext?.sessionIssuer?.arn;
  return arn;
}

const TagUserDetailSchema = z.object({
  eventTime: z.optional(z.string()),
  eventID: z.optional(z.string()),
  errorCode: z.optional(z.string()),
  requestParameters: z.object({
    userName: z.string().check(z.minLength(1), z.maxLength(64)),
    tags: z.optional(z.array(z.unknown())),
  }),
});

/** A tag entry as CloudTrail records it: `key` (public samples), or `Key` (the API's spelling). */
const TagEntrySchema = z.union([z.object({ key: z.string() }), z.object({ Key: z.string() })]);

function keyOf(entry: unknown): string | undefined {
  const parsed = TagEntrySchema.safeParse(entry);
  if (!parsed.success) return undefined;
  return 'key' in parsed.data ? parsed.data.key : parsed.data.Key;
}

/**
 * A TagUser call: `detail` is the CloudTrail record, `time` the EventBridge
 * envelope's. A tag list that plainly lacks the resend key is skipped without
 * asking IAM; a list in a shape not recognised is not trusted either way.
 */
export function classifyTagUser(
  ids: { eventId: string; snsMessageId: string },
  detail: unknown,
  time: string,
): ResendClassification {
  const parsed = TagUserDetailSchema.safeParse(detail);
  if (!parsed.success) {
    return {
      kind: 'skip',
      reason: 'no-user-in-tag-event',
      detail: 'TagUser without requestParameters.userName',
    };
  }
  const call = parsed.data;
  const userName = call.requestParameters.userName;
  if (call.errorCode !== undefined) {
    return {
      kind: 'skip',
      reason: 'tag-user-failed',
      detail: `TagUser failed with ${call.errorCode}`,
      userName,
    };
  }
  const keys = (call.requestParameters.tags ?? []).map(keyOf);
  if (keys.length > 0 && keys.every((k) => k !== undefined && k !== RESEND_TAG_KEY)) {
    return {
      kind: 'skip',
      reason: 'not-a-resend-tag-change',
      detail: `TagUser did not set ${RESEND_TAG_KEY}`,
      userName,
    };
  }
  const eventTimeMs = [call.eventTime, time]
    .map((t) => (t === undefined ? Number.NaN : Date.parse(t)))
    .find((ms) => Number.isFinite(ms));
  const caller = callerOf((detail as { userIdentity?: unknown }).userIdentity);
  return {
    kind: 'resend',
    event: {
      ...ids,
      ...(call.eventID === undefined ? {} : { cloudTrailEventId: call.eventID }),
      userName,
      ...(eventTimeMs === undefined ? {} : { eventTimeMs }),
      ...(caller === undefined ? {} : { caller }),
    },
  };
}

const ResendRequestSchema = z.object({
  'iam-onboarding': z.literal('resend'),
  userName: z.string().check(z.minLength(1), z.maxLength(64)),
  userId: z.optional(z.string().check(z.minLength(1))),
  reason: z.enum(['reconcile', 'redrive', 'operator']),
});

/** A resend queued into the welcome queue (shared/contract.ts ResendRequest); undefined otherwise. */
export function classifyResendRequest(
  messageId: string,
  body: unknown,
): { kind: 'resend'; event: ResendEvent } | undefined {
  const request = ResendRequestSchema.safeParse(body);
  if (!request.success) return undefined;
  const { userName, userId, reason } = request.data;
  return {
    kind: 'resend',
    event: {
      eventId: `${reason}-resend-request`,
      snsMessageId: messageId,
      userName,
      ...(userId === undefined ? {} : { userId }),
      requested: reason,
    },
  };
}
