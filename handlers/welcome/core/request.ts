/**
 * From one SQS record to the request it carries, parsed once (docs/design.md,
 * "What a CreateUser event carries"): SNS's notification of an event the
 * user-events rule forwards or of SES feedback, or a body the pipeline queued
 * itself (shared/contract.ts). zod/mini, not Powertools' schemas: those import
 * the full `zod`, whose locales (~450 KB) break the bundle budget. Nothing
 * throws: a body no writer sends (an event the rule keeps out) is `unreadable`.
 */
import * as z from 'zod/mini';
import {
  IamUserName,
  MANAGED_USER_PATH,
  type QueuedRequest,
  QueuedRequestSchema,
  SUSPENDED_TAG_KEY,
  type WelcomeRequestReason,
} from '../../../shared/contract';
import { classifyTagUser, keyOf, type ResendEvent } from './resend-event';
import { parseSesEvent, type SesFeedback } from './ses-event';

const Id = z.string().check(z.minLength(1));

const SqsRecordSchema = z.object({
  messageId: Id,
  body: z.string(),
  attributes: z.optional(z.object({ ApproximateReceiveCount: z.optional(z.string()) })),
});

const SnsNotificationSchema = z.object({
  Type: z.literal('Notification'),
  MessageId: Id,
  Message: z.string(),
});

/** What USER_EVENTS_PATTERN forwards: successful (no `errorCode`) IAM calls, these three. */
const call = {
  eventSource: z.literal('iam.amazonaws.com'),
  errorCode: z.optional(z.undefined()),
  eventTime: z.optional(z.string()),
};
const ForwardedEventSchema = z.object({
  id: Id,
  source: z.literal('aws.iam'),
  'detail-type': z.literal('AWS API Call via CloudTrail'),
  time: z.string(),
  detail: z.discriminatedUnion('eventName', [
    z.object({
      ...call,
      eventName: z.literal('CreateUser'),
      responseElements: z.object({
        user: z.object({ userName: IamUserName, userId: Id, path: z.string() }),
      }),
    }),
    z.object({
      ...call,
      eventName: z.enum(['TagUser', 'UntagUser']),
      requestParameters: z.object({
        userName: IamUserName,
        tags: z.optional(z.array(z.unknown())),
      }),
      userIdentity: z.optional(z.unknown()),
    }),
  ]),
});

/** Who a record is about: on each of its log lines, its outcome and its failure. */
export interface RecordKeys {
  /** EventBridge event id (`<reason>-request` when queued): what logs and failures are found by. */
  eventId?: string;
  /** The SNS message id: each SNS delivery of one event shares it. */
  snsMessageId?: string;
  userName?: string;
}

/** The user whose `suspended` tag a deploy set or removed. */
export type SuspensionChange = Required<Omit<RecordKeys, 'snsMessageId'>>;

export interface CreatedUser extends SuspensionChange {
  /** IAM's unique ID (a re-created user has a new one); absent on a queued welcome without it. */
  userId?: string;
  /** The path the user was created with (only ever used to skip early). */
  path: string;
  /** When CreateUser ran (CloudTrail's, else EventBridge's time), epoch ms: starts the grace. */
  eventTimeMs?: number;
  /** Who queued it: the reconcile run, the redrive tool or an operator. */
  requested?: WelcomeRequestReason;
}

/**
 * What a record asks for (`startAfter`: an expiry run's continuation). A
 * `skip` is a message some writer sends that asks for nothing: acknowledged.
 * An `unreadable` fails its record, so that the dead-letter queue keeps it.
 */
export type InboundRequest =
  | { kind: 'welcome'; event: CreatedUser }
  | { kind: 'resend'; event: ResendEvent }
  | { kind: 'lifecycle'; event: SuspensionChange }
  | { kind: 'ses-feedback'; event: SesFeedback }
  | { kind: 'reconcile' }
  | { kind: 'expire'; startAfter?: string }
  | { kind: 'skip'; reason: SkipReason; detail: string }
  | { kind: 'unreadable'; reason: UnreadableReason; detail: string };

export type SkipReason = 'not-a-resend-tag-change' | 'ses-event-ignored';
/** `malformed-message`: an SNS message that is no SES event, nor one the rule forwards. */
export type UnreadableReason =
  'malformed-sqs-record' | 'malformed-sns-notification' | 'malformed-request' | 'malformed-message';

/** Where validation failed: paths and codes, never the offending values (they reach the logs). */
function describeIssues(error: z.core.$ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => {
      const expected = 'expected' in issue ? ` (expected ${String(issue.expected)})` : '';
      return `${issue.path.join('.') || '(root)'}: ${issue.code}${expected}`;
    })
    .join('; ');
}

const NOT_JSON = Symbol('not JSON');

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return NOT_JSON;
  }
}

function unreadable(reason: UnreadableReason, detail: string): InboundRequest {
  return { kind: 'unreadable', reason, detail };
}

/**
 * One SQS record, read once: its ID (what a batch item failure names), its
 * `ApproximateReceiveCount` (1 on the first delivery), its request and who
 * it is about, as far as the body could be read.
 */
export function readRecord(record: unknown): {
  messageId: string;
  receiveCount: number;
  keys: RecordKeys;
  request: InboundRequest;
} {
  const keys: RecordKeys = {};
  const sqs = SqsRecordSchema.safeParse(record);
  if (!sqs.success) {
    // Fails like any unreadable body. Without its ID the failure names no
    // record, and Lambda then fails the whole batch (of one): nothing is lost.
    const id = (record as { messageId?: unknown } | null)?.messageId;
    const request = unreadable('malformed-sqs-record', describeIssues(sqs.error));
    return { messageId: typeof id === 'string' ? id : '', receiveCount: 1, keys, request };
  }
  const { messageId, body, attributes } = sqs.data;
  const count = Number(attributes?.ApproximateReceiveCount);
  const receiveCount = Number.isInteger(count) && count >= 1 ? count : 1;
  return { messageId, receiveCount, keys, request: readBody(body, keys) };
}

/** The body's request; `keys` is filled in as far as the body names them. */
function readBody(body: string, keys: RecordKeys): InboundRequest {
  const json = parseJson(body);
  if (typeof json === 'object' && json !== null && 'iam-onboarding' in json) {
    const queued = QueuedRequestSchema.safeParse(json);
    if (!queued.success) return unreadable('malformed-request', describeIssues(queued.error));
    return readQueued(queued.data, keys);
  }
  const notification = SnsNotificationSchema.safeParse(json);
  if (!notification.success) {
    const detail = json === NOT_JSON ? 'body is not JSON' : describeIssues(notification.error);
    return unreadable('malformed-sns-notification', detail);
  }
  keys.snsMessageId = notification.data.MessageId;
  const ses = parseSesEvent(notification.data.Message);
  if (ses.kind === 'not-ses') return readEvent(notification.data.Message, keys);
  if (ses.kind === 'ses-feedback' && ses.event.userName !== undefined)
    keys.userName = ses.event.userName;
  return ses;
}

/**
 * A queued welcome or resend takes the path of the event it stands for. A
 * welcome's path is checked against IAM like an event's, and it has no event
 * time: IAM's answer is final, the user is not new.
 */
function readQueued(body: QueuedRequest, keys: RecordKeys): InboundRequest {
  if (body['iam-onboarding'] === 'reconcile' || body['iam-onboarding'] === 'expire') {
    const { 'iam-onboarding': kind, ...rest } = body;
    keys.eventId = `${kind}-request`;
    return { kind, ...rest };
  }
  // The schema's output has only its own keys, and none that the body left out.
  const { 'iam-onboarding': kind, reason: requested, ...user } = body;
  const eventId = kind === 'welcome' ? `${requested}-request` : `${requested}-resend-request`;
  Object.assign(keys, { eventId, userName: user.userName });
  const event = { ...user, eventId, requested };
  if (kind === 'resend') return { kind, event };
  return { kind, event: { ...event, path: MANAGED_USER_PATH } };
}

/**
 * An event the rule forwards. A TagUser that names the `suspended` key is a
 * suspension; any other is left to the resend check. An UntagUser is always
 * a suspension change: the rule forwards only the `suspended` key's, and
 * the decision is IAM's tags read afresh, so a needless look costs a read.
 */
function readEvent(message: string, keys: RecordKeys): InboundRequest {
  const json = parseJson(message);
  const parsed = ForwardedEventSchema.safeParse(json);
  if (!parsed.success) {
    const issues = json === NOT_JSON ? 'not JSON' : describeIssues(parsed.error);
    return unreadable('malformed-message', issues);
  }
  const { id: eventId, time, detail } = parsed.data;
  const eventTimeMs = [detail.eventTime, time]
    .map((t) => Date.parse(t ?? ''))
    .find(Number.isFinite);
  const at = eventTimeMs === undefined ? {} : { eventTimeMs };
  if (detail.eventName === 'CreateUser') {
    const { userName, userId, path } = detail.responseElements.user;
    Object.assign(keys, { eventId, userName });
    return { kind: 'welcome', event: { eventId, userName, userId, path, ...at } };
  }
  const { userName } = detail.requestParameters;
  Object.assign(keys, { eventId, userName });
  const suspension =
    detail.eventName === 'UntagUser' ||
    detail.requestParameters.tags?.some((tag) => keyOf(tag) === SUSPENDED_TAG_KEY);
  if (suspension) return { kind: 'lifecycle', event: { eventId, userName } };
  return classifyTagUser({ eventId, ...at }, detail);
}
