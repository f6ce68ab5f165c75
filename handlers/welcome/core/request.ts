/**
 * From one SQS record to the request it carries, parsed once (docs/design.md,
 * "The event pattern for a successful CreateUser" and
 * "What a CreateUser event carries"). The queue is subscribed to the topic with
 * raw message delivery off, so a body is either the SNS notification JSON
 * (an EventBridge event, or SES feedback) or a request the pipeline queued
 * itself (shared/contract.ts).
 *
 * Schemas use `zod/mini`, modelled on Powertools' SnsSchema and
 * EventBridgeSchema: those import the full `zod` namespace, which drags every
 * zod locale into the bundle (~450 KB minified, over the size budget), while
 * zod/mini tree-shakes to what is used.
 *
 * Nothing here throws: a record is a request to run, a `skip` (a well-formed
 * message that asks for nothing, acknowledged) or `unreadable` (a body none
 * of the pipeline's writers sends; its record fails, so after the queue's
 * last receive the dead-letter queue keeps it for someone to read).
 */
import * as z from 'zod/mini';
import {
  MANAGED_USER_PATH,
  SUSPENDED_TAG_KEY,
  type WelcomeRequestReason,
} from '../../../shared/contract';
import {
  classifyResendRequest,
  classifyTagUser,
  type ResendEvent,
  type ResendEventSkipReason,
} from './resend-event';
import { parseSesEvent, type SesFeedback } from './ses-event';
import { touchesSuspension } from './lifecycle';

const SqsRecordSchema = z.object({
  messageId: z.string().check(z.minLength(1)),
  body: z.string(),
  attributes: z.optional(z.object({ ApproximateReceiveCount: z.optional(z.string()) })),
});

/** The SNS notification in an SQS body (raw message delivery off); signature fields unused. */
const SnsNotificationSchema = z.object({
  Type: z.literal('Notification'),
  MessageId: z.string().check(z.minLength(1)),
  TopicArn: z.string(),
  Message: z.string(),
});

const EventBridgeEventSchema = z.object({
  version: z.string(),
  id: z.string().check(z.minLength(1)),
  source: z.string(),
  account: z.string(),
  time: z.string(),
  region: z.string(),
  'detail-type': z.string(),
  detail: z.unknown(),
});

const CloudTrailApiCallSchema = z.object({
  eventTime: z.optional(z.string()),
  eventSource: z.string(),
  eventName: z.string(),
  eventID: z.optional(z.string()),
  errorCode: z.optional(z.string()),
  // Absent or null for failed calls; checked in classify() so the reason can be specific.
  responseElements: z.optional(z.unknown()),
});

const CreatedUserSchema = z.object({
  user: z.object({
    userName: z.string().check(z.minLength(1), z.maxLength(64)),
    userId: z.string().check(z.minLength(1)),
    arn: z.string(),
    path: z.string(),
  }),
});

export interface CreatedUser {
  /** EventBridge event id: the key logs and failure reports are found by. */
  eventId: string;
  /** CloudTrail event ID, when present. */
  cloudTrailEventId?: string;
  /** SNS message id (each SNS delivery of the same event shares it). */
  snsMessageId: string;
  userName: string;
  /**
   * IAM's unique ID of the user the event is about; a re-created user has a
   * new one. Absent only on a queued welcome that did not name it.
   */
  userId?: string;
  /** The path the user was created with (only ever used to skip early). */
  path: string;
  /**
   * When CreateUser ran (CloudTrail `eventTime`, else the EventBridge `time`),
   * epoch ms; undefined when neither parses. Starts the grace period.
   */
  eventTimeMs?: number;
  /** Set when this is a welcome queued by the reconcile run, the redrive tool or an operator. */
  requested?: WelcomeRequestReason;
}

/** Why a body is none of the requests: no writer of the queue sends it. */
export type UnreadableReason =
  'malformed-sqs-record' | 'malformed-sns-notification' | 'malformed-message';

export type SkipReason =
  /** An SQS record without its message ID (SQS never sends one). */
  | 'malformed-sqs-record'
  | 'not-a-cloudtrail-api-call'
  | 'not-create-user'
  | 'create-user-failed'
  | 'no-created-user-in-event'
  | ResendEventSkipReason
  /** An UntagUser that removed no `suspended` tag (the rule forwards no other). */
  | 'not-a-suspension-tag-change'
  /** An SES event the function does not act on (its topic check, a delivery). */
  | 'ses-event-ignored';

/** A TagUser or UntagUser of the `suspended` tag: suspend or reinstate that user now. */
export interface SuspensionChange {
  /** EventBridge event id: the key logs and failure reports are found by. */
  eventId: string;
  cloudTrailEventId?: string;
  snsMessageId: string;
  userName: string;
  /** Which call: TagUser set the tag (suspend), UntagUser removed it (reinstate). */
  eventName: 'TagUser' | 'UntagUser';
}

export type InboundRequest =
  /** A CreateUser event, or a welcome queued for one user: the first email. */
  | { kind: 'welcome'; event: CreatedUser }
  /** The reconcile schedule's request (RECONCILE_REQUEST): look for users never welcomed. */
  | { kind: 'reconcile' }
  /** A TagUser event or a queued resend: check the user's resend counter (core/resend.ts). */
  | { kind: 'resend'; event: ResendEvent }
  /**
   * The expiry schedule's request (EXPIRE_REQUEST), or a run's continuation
   * of itself (`startAfter`): delete login profiles never used in time.
   */
  | { kind: 'expire'; startAfter?: string }
  /**
   * A deploy set or removed the `suspended` tag: the person's suspend or
   * reinstate, decided from IAM's tags (core/lifecycle.ts), not the event.
   */
  | { kind: 'lifecycle'; event: SuspensionChange }
  /** SES reported a bounce, complaint or reject of a welcome email (core/ses-event.ts). */
  | { kind: 'ses-feedback'; event: SesFeedback; snsMessageId: string }
  | {
      kind: 'skip';
      reason: SkipReason;
      detail: string;
      eventId?: string;
      snsMessageId?: string;
      userName?: string;
    }
  | { kind: 'unreadable'; reason: UnreadableReason; detail: string; snsMessageId?: string };

/** Where validation failed, without echoing the offending values into logs. */
function describeIssues(error: z.core.$ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => {
      const expected = 'expected' in issue ? ` (expected ${String(issue.expected)})` : '';
      return `${issue.path.join('.') || '(root)'}: ${issue.code}${expected}`;
    })
    .join('; ');
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false };
  }
}

function classify(snsMessageId: string, message: string): InboundRequest {
  const unreadable = (detail: string): InboundRequest => ({
    kind: 'unreadable',
    reason: 'malformed-message',
    detail,
    snsMessageId,
  });
  const json = parseJson(message);
  if (!json.ok) return unreadable('not JSON');
  const parsed = EventBridgeEventSchema.safeParse(json.value);
  if (!parsed.success) return unreadable(describeIssues(parsed.error));
  const envelope = parsed.data;
  const base = { snsMessageId, eventId: envelope.id };
  const skip = (reason: SkipReason, detail: string): InboundRequest => ({
    ...base,
    kind: 'skip',
    reason,
    detail,
  });
  if (envelope.source !== 'aws.iam' || envelope['detail-type'] !== 'AWS API Call via CloudTrail') {
    const what = `source ${envelope.source}, detail-type ${envelope['detail-type']}`;
    return skip('not-a-cloudtrail-api-call', what);
  }
  const detail = CloudTrailApiCallSchema.safeParse(envelope.detail);
  if (!detail.success) return skip('not-a-cloudtrail-api-call', describeIssues(detail.error));
  const call = detail.data;
  if (call.eventSource === 'iam.amazonaws.com') {
    const change = classifySuspensionChange(base, call.eventName, envelope.detail);
    if (change) return change;
  }
  if (call.eventSource === 'iam.amazonaws.com' && call.eventName === 'UntagUser') {
    const why =
      call.errorCode !== undefined
        ? `UntagUser failed with ${call.errorCode}`
        : TagChangeSchema.safeParse(envelope.detail).success
          ? `UntagUser did not remove the ${SUSPENDED_TAG_KEY} tag`
          : 'UntagUser without requestParameters.userName';
    return skip('not-a-suspension-tag-change', why);
  }
  if (call.eventSource === 'iam.amazonaws.com' && call.eventName === 'TagUser') {
    const tagged = classifyTagUser(base, envelope.detail, envelope.time);
    return tagged.kind === 'resend' ? tagged : { ...base, ...tagged };
  }
  if (call.eventSource !== 'iam.amazonaws.com' || call.eventName !== 'CreateUser') {
    return skip('not-create-user', `${call.eventSource} ${call.eventName}`);
  }
  if (call.errorCode !== undefined) {
    return skip('create-user-failed', `CreateUser failed with ${call.errorCode}`);
  }
  const created = CreatedUserSchema.safeParse(call.responseElements);
  if (!created.success) return skip('no-created-user-in-event', describeIssues(created.error));
  const { user } = created.data;
  const eventTimeMs = [call.eventTime, envelope.time]
    .map((time) => (time === undefined ? Number.NaN : Date.parse(time)))
    .find((ms) => Number.isFinite(ms));
  return {
    kind: 'welcome',
    event: {
      eventId: envelope.id,
      ...(call.eventID === undefined ? {} : { cloudTrailEventId: call.eventID }),
      snsMessageId,
      userName: user.userName,
      userId: user.userId,
      path: user.path,
      ...(eventTimeMs === undefined ? {} : { eventTimeMs }),
    },
  };
}

const TagChangeSchema = z.object({
  eventID: z.optional(z.string()),
  errorCode: z.optional(z.string()),
  requestParameters: z.object({
    userName: z.string().check(z.minLength(1), z.maxLength(64)),
    tags: z.optional(z.array(z.unknown())),
    tagKeys: z.optional(z.array(z.unknown())),
  }),
});

/**
 * A successful TagUser whose tag list names the `suspended` key, or an
 * UntagUser that removes it (or whose key list is in a shape not recognised:
 * the rule forwards no other UntagUser). A TagUser that does not plainly
 * name the key is left to the resend branch, as before; the hourly
 * reconcile catches a suspension it hides. Undefined for anything else, failed calls included (those fall
 * through to the skips below).
 */
function classifySuspensionChange(
  ids: { eventId: string; snsMessageId: string },
  eventName: string,
  detail: unknown,
): InboundRequest | undefined {
  if (eventName !== 'TagUser' && eventName !== 'UntagUser') return undefined;
  const parsed = TagChangeSchema.safeParse(detail);
  if (!parsed.success || parsed.data.errorCode !== undefined) return undefined;
  const { requestParameters: params, eventID } = parsed.data;
  const named =
    eventName === 'TagUser'
      ? (params.tags ?? []).some((entry) => {
          const { key, Key } = (entry ?? {}) as { key?: unknown; Key?: unknown };
          return (key ?? Key) === SUSPENDED_TAG_KEY;
        })
      : touchesSuspension(eventName, params);
  if (!named) return undefined;
  return {
    kind: 'lifecycle',
    event: {
      ...ids,
      ...(eventID === undefined ? {} : { cloudTrailEventId: eventID }),
      userName: params.userName,
      eventName,
    },
  };
}

/** One SQS record: its ID (what a batch item failure names) and the request it carries. */
export interface InboundRecord {
  messageId: string;
  /** `attributes.ApproximateReceiveCount`: 1 on the first delivery. */
  receiveCount: number;
  request: InboundRequest;
}

function receiveCountOf(value: string | undefined): number {
  const count = value === undefined ? Number.NaN : Number(value);
  return Number.isInteger(count) && count >= 1 ? count : 1;
}

/** One SQS record, read once; never throws. */
export function readRecord(record: unknown): InboundRecord {
  const sqs = SqsRecordSchema.safeParse(record);
  if (!sqs.success) {
    // Without its ID a record cannot be named as failed (a batch item failure
    // naming none fails the whole batch): it is acknowledged as a skip.
    const id = (record as { messageId?: unknown } | null)?.messageId;
    const named = typeof id === 'string' && id !== '';
    return {
      messageId: named ? id : '',
      receiveCount: 1,
      request: {
        kind: named ? 'unreadable' : 'skip',
        reason: 'malformed-sqs-record',
        detail: describeIssues(sqs.error),
      },
    };
  }
  const { messageId, body, attributes } = sqs.data;
  const receiveCount = receiveCountOf(attributes?.ApproximateReceiveCount);
  return { messageId, receiveCount, request: readBody(messageId, body) };
}

/** A body: a request the pipeline queued, or the SNS notification of an event or SES feedback. */
function readBody(messageId: string, body: string): InboundRequest {
  const json = parseJson(body);
  const request = json.ok ? classifyRequest(messageId, json.value) : undefined;
  if (request) return request;
  const notification = json.ok ? SnsNotificationSchema.safeParse(json.value) : undefined;
  if (!notification?.success) {
    const detail = notification ? describeIssues(notification.error) : 'body is not JSON';
    return { kind: 'unreadable', reason: 'malformed-sns-notification', detail };
  }
  const { MessageId: snsMessageId, Message } = notification.data;
  const ses = parseSesEvent(Message);
  if (ses.kind === 'feedback') return { kind: 'ses-feedback', event: ses.event, snsMessageId };
  if (ses.kind === 'ignored') {
    return { kind: 'skip', reason: 'ses-event-ignored', detail: ses.detail, snsMessageId };
  }
  return classify(snsMessageId, Message);
}

const ReconcileRequestSchema = z.object({ 'iam-onboarding': z.literal('reconcile') });
const ExpireRequestSchema = z.object({
  'iam-onboarding': z.literal('expire'),
  startAfter: z.optional(z.string().check(z.minLength(1), z.maxLength(64))),
});
const WelcomeRequestSchema = z.object({
  'iam-onboarding': z.literal('welcome'),
  userName: z.string().check(z.minLength(1), z.maxLength(64)),
  userId: z.optional(z.string().check(z.minLength(1))),
  reason: z.enum(['reconcile', 'redrive', 'operator']),
});

/**
 * A body queued by the pipeline itself rather than by SNS: the reconcile
 * request, or a welcome for one user (shared/contract.ts). A welcome request
 * takes the same path as a CreateUser event for that user; its path is
 * checked against IAM like an event's, and it has no event time (IAM's
 * answer is final: the user is not new).
 */
function classifyRequest(messageId: string, body: unknown): InboundRequest | undefined {
  if (ReconcileRequestSchema.safeParse(body).success) return { kind: 'reconcile' };
  const resend = classifyResendRequest(messageId, body);
  if (resend) return resend;
  const expire = ExpireRequestSchema.safeParse(body);
  if (expire.success) {
    const { startAfter } = expire.data;
    return startAfter === undefined ? { kind: 'expire' } : { kind: 'expire', startAfter };
  }
  const request = WelcomeRequestSchema.safeParse(body);
  if (!request.success) return undefined;
  const { userName, userId, reason } = request.data;
  return {
    kind: 'welcome',
    event: {
      eventId: `${reason}-request`,
      snsMessageId: messageId,
      userName,
      ...(userId === undefined ? {} : { userId }),
      path: MANAGED_USER_PATH,
      requested: reason,
    },
  };
}
