/**
 * From the SNS invocation to "a user was created" (DESIGN facts 3-4).
 *
 * Schemas use `zod/mini`, modelled on Powertools' SnsSchema and
 * EventBridgeSchema: those import the full `zod` namespace, which drags every
 * zod locale into the bundle (~450 KB minified, over the size budget), while
 * zod/mini tree-shakes to what is used.
 *
 * Nothing here throws on bad input: every record is either a CreateUser to act
 * on or a skip with a reason, because a malformed or foreign message fails the
 * same way on every retry and must be acknowledged, not retried.
 */
import * as z from 'zod/mini';

const SnsRecordSchema = z.object({
  EventSource: z.literal('aws:sns'),
  EventSubscriptionArn: z.string(),
  Sns: z.object({
    Type: z.literal('Notification'),
    MessageId: z.string(),
    TopicArn: z.string(),
    Message: z.string(),
    Timestamp: z.string(),
  }),
});

const SnsEventSchema = z.object({ Records: z.array(SnsRecordSchema).check(z.minLength(1)) });

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
  /** IAM's unique ID of the user the event is about; a re-created user has a new one. */
  userId: string;
  /** The path the user was created with (only ever used to skip early). */
  path: string;
}

export type SkipReason =
  | 'malformed-sns-event'
  | 'malformed-message'
  | 'not-a-cloudtrail-api-call'
  | 'not-create-user'
  | 'create-user-failed'
  | 'no-created-user-in-event';

export type ParsedRecord =
  | { kind: 'create-user'; event: CreatedUser }
  | {
      kind: 'skip';
      reason: SkipReason;
      detail: string;
      eventId?: string;
      snsMessageId?: string;
      userName?: string;
    };

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

function classify(snsMessageId: string, message: string): ParsedRecord {
  const json = parseJson(message);
  if (!json.ok) {
    return { kind: 'skip', reason: 'malformed-message', detail: 'not JSON', snsMessageId };
  }
  const parsed = EventBridgeEventSchema.safeParse(json.value);
  if (!parsed.success) {
    return {
      kind: 'skip',
      reason: 'malformed-message',
      detail: describeIssues(parsed.error),
      snsMessageId,
    };
  }
  const envelope = parsed.data;
  const base = { snsMessageId, eventId: envelope.id };
  if (envelope.source !== 'aws.iam' || envelope['detail-type'] !== 'AWS API Call via CloudTrail') {
    return {
      ...base,
      kind: 'skip',
      reason: 'not-a-cloudtrail-api-call',
      detail: `source ${envelope.source}, detail-type ${envelope['detail-type']}`,
    };
  }
  const detail = CloudTrailApiCallSchema.safeParse(envelope.detail);
  if (!detail.success) {
    return {
      ...base,
      kind: 'skip',
      reason: 'not-a-cloudtrail-api-call',
      detail: describeIssues(detail.error),
    };
  }
  const call = detail.data;
  if (call.eventSource !== 'iam.amazonaws.com' || call.eventName !== 'CreateUser') {
    return {
      ...base,
      kind: 'skip',
      reason: 'not-create-user',
      detail: `${call.eventSource} ${call.eventName}`,
    };
  }
  if (call.errorCode !== undefined) {
    return {
      ...base,
      kind: 'skip',
      reason: 'create-user-failed',
      detail: `CreateUser failed with ${call.errorCode}`,
    };
  }
  const created = CreatedUserSchema.safeParse(call.responseElements);
  if (!created.success) {
    return {
      ...base,
      kind: 'skip',
      reason: 'no-created-user-in-event',
      detail: describeIssues(created.error),
    };
  }
  const { user } = created.data;
  return {
    kind: 'create-user',
    event: {
      eventId: envelope.id,
      ...(call.eventID === undefined ? {} : { cloudTrailEventId: call.eventID }),
      snsMessageId,
      userName: user.userName,
      userId: user.userId,
      path: user.path,
    },
  };
}

/** Every record of an SNS invocation, each classified; never throws. */
export function parseSnsEvent(event: unknown): ParsedRecord[] {
  const sns = SnsEventSchema.safeParse(event);
  if (!sns.success) {
    return [{ kind: 'skip', reason: 'malformed-sns-event', detail: describeIssues(sns.error) }];
  }
  return sns.data.Records.map((record) => classify(record.Sns.MessageId, record.Sns.Message));
}
