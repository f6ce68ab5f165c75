/** Builders for the events and Lambda context the welcome function receives. */
import type { Context } from 'aws-lambda';
import { MANAGED_USER_PATH } from '../../shared/contract';

export const ACCOUNT_ID = '123456789012';
export const FUNCTION_ARN = `arn:aws:lambda:us-east-1:${ACCOUNT_ID}:function:iam-onboarding-welcome`;

export interface CreateUserEventOptions {
  userName: string;
  userId?: string;
  path?: string;
  eventId?: string;
  /** Makes it a failed CreateUser, as CloudTrail records it. */
  errorCode?: string;
  eventName?: string;
  /** CloudTrail eventTime (and EventBridge time); long before the harness clock by default. */
  eventTime?: string;
}

/** When the default event happened: two hours before the harness clock, so past any grace period. */
export const OLD_EVENT_TIME = '2025-01-01T10:00:00Z';

let counter = 0;

/**
 * The EventBridge event for a CloudTrail-recorded CreateUser call
 * (docs/design.md, "The event pattern for a successful CreateUser" and
 * "What a CreateUser event carries").
 */
export function createUserEvent(options: CreateUserEventOptions): Record<string, unknown> {
  counter += 1;
  const path = options.path ?? MANAGED_USER_PATH;
  const userId =
    options.userId ?? `AIDA${options.userName.toUpperCase().replace(/[^A-Z0-9]/g, '')}`;
  const failed = options.errorCode !== undefined;
  const eventTime = options.eventTime ?? OLD_EVENT_TIME;
  return {
    version: '0',
    id: options.eventId ?? `evt-${counter}-${options.userName}`,
    'detail-type': 'AWS API Call via CloudTrail',
    source: 'aws.iam',
    account: ACCOUNT_ID,
    time: eventTime,
    region: 'us-east-1',
    resources: [],
    detail: {
      eventVersion: '1.09',
      userIdentity: {
        type: 'AssumedRole',
        arn: `arn:aws:sts::${ACCOUNT_ID}:assumed-role/deploy/ci`,
      },
      eventTime,
      eventSource: 'iam.amazonaws.com',
      eventName: options.eventName ?? 'CreateUser',
      awsRegion: 'us-east-1',
      sourceIPAddress: '203.0.113.10',
      requestParameters: {
        userName: options.userName,
        path,
        tags: [{ key: 'managed-by', value: 'iam-onboarding' }],
      },
      ...(failed
        ? {
            errorCode: options.errorCode,
            errorMessage: 'User is not authorized',
            responseElements: null,
          }
        : {
            responseElements: {
              user: {
                path,
                userName: options.userName,
                userId,
                arn: `arn:aws:iam::${ACCOUNT_ID}:user${path}${options.userName}`,
                createDate: 'Jan 1, 2025, 10:00:00 AM',
              },
            },
          }),
      requestID: `req-${counter}`,
      eventID: `ct-${counter}`,
      readOnly: false,
      eventType: 'AwsApiCall',
      managementEvent: true,
      recipientAccountId: ACCOUNT_ID,
    },
  };
}

export interface TagUserEventOptions {
  userName: string;
  /** As CloudTrail records TagUser's request: a list of lower-case key/value objects. */
  tags: { key: string; value: string }[];
  eventId?: string;
  /** CloudTrail eventTime (and EventBridge time); OLD_EVENT_TIME by default. */
  eventTime?: string;
  errorCode?: string;
  /** TagUser by default; UntagUser or TagRole for events that must not match. */
  eventName?: string;
  /** Who called: the deploy role's session by default. */
  callerArn?: string;
  /**
   * The role the session was issued by (`sessionContext.sessionIssuer.arn`):
   * DEPLOY_ROLE_ARN by default; null for a caller that is no assumed role
   * (an IAM user: `type` IAMUser, no session context).
   */
  issuerArn?: string | null;
}

/** The deploy role welcomeEnv() names (settings security.deployRoleArn). */
export const DEPLOY_ROLE_ARN = `arn:aws:iam::${ACCOUNT_ID}:role/iam-onboarding-deploy`;

/** The EventBridge event for a CloudTrail-recorded TagUser call (a deploy changing a user's tags). */
export function tagUserEvent(options: TagUserEventOptions): Record<string, unknown> {
  counter += 1;
  const eventTime = options.eventTime ?? OLD_EVENT_TIME;
  return {
    version: '0',
    id: options.eventId ?? `evt-${counter}-tag-${options.userName}`,
    'detail-type': 'AWS API Call via CloudTrail',
    source: 'aws.iam',
    account: ACCOUNT_ID,
    time: eventTime,
    region: 'us-east-1',
    resources: [],
    detail: {
      eventVersion: '1.09',
      userIdentity:
        options.issuerArn === null
          ? {
              type: 'IAMUser',
              arn: options.callerArn ?? `arn:aws:iam::${ACCOUNT_ID}:user/someone`,
            }
          : {
              type: 'AssumedRole',
              arn:
                options.callerArn ??
                `arn:aws:sts::${ACCOUNT_ID}:assumed-role/iam-onboarding-deploy/ci`,
              sessionContext: {
                sessionIssuer: {
                  type: 'Role',
                  arn: options.issuerArn ?? DEPLOY_ROLE_ARN,
                  accountId: ACCOUNT_ID,
                },
              },
            },
      eventTime,
      eventSource: 'iam.amazonaws.com',
      eventName: options.eventName ?? 'TagUser',
      awsRegion: 'us-east-1',
      sourceIPAddress: '203.0.113.10',
      requestParameters: { userName: options.userName, tags: options.tags },
      ...(options.errorCode === undefined
        ? {}
        : { errorCode: options.errorCode, errorMessage: 'User is not authorized' }),
      responseElements: null,
      requestID: `req-${counter}`,
      eventID: `ct-${counter}`,
      readOnly: false,
      eventType: 'AwsApiCall',
      managementEvent: true,
      recipientAccountId: ACCOUNT_ID,
    },
  };
}

export interface SqsRecordOptions {
  /** attributes.ApproximateReceiveCount; 1 by default (the first delivery). */
  receiveCount?: number;
  /** Defaults to one derived from the event's id, so a redelivery keeps it. */
  messageId?: string;
  /** A string message is the SNS notification's Message, not the whole body. */
  inNotification?: boolean;
}

let sqsCounter = 0;

/**
 * One SQS record as the event source mapping delivers it from a queue
 * subscribed to the topic with raw message delivery off: the body is the SNS
 * notification JSON, whose Message is the EventBridge event. A string
 * message is used as the body itself (for malformed bodies).
 */
export function sqsRecord(
  message: Record<string, unknown> | string,
  options: SqsRecordOptions = {},
): Record<string, unknown> {
  sqsCounter += 1;
  const id = typeof message === 'string' ? `raw-${sqsCounter}` : String(message.id);
  const notification = {
    Type: 'Notification',
    MessageId: `sns-${id}`,
    TopicArn: `arn:aws:sns:us-east-1:${ACCOUNT_ID}:iam-onboarding`,
    Message: JSON.stringify(message),
    Timestamp: '2025-01-01T10:00:01.000Z',
    SignatureVersion: '1',
    Signature: 'EXAMPLE',
    SigningCertURL: 'https://sns.us-east-1.amazonaws.com/cert.pem',
    UnsubscribeURL: 'https://sns.us-east-1.amazonaws.com/?Action=Unsubscribe',
  };
  return {
    messageId: options.messageId ?? `sqs-${id}`,
    receiptHandle: `handle-${sqsCounter}`,
    body:
      typeof message === 'string' && !options.inNotification
        ? message
        : JSON.stringify(
            typeof message === 'string' ? { ...notification, Message: message } : notification,
          ),
    attributes: {
      ApproximateReceiveCount: String(options.receiveCount ?? 1),
      SentTimestamp: '1735725601000',
      SenderId: 'AIDAIENQZJOLO23YVJ4VO',
      ApproximateFirstReceiveTimestamp: '1735725601500',
    },
    messageAttributes: {},
    md5OfBody: 'e4e68fb7bd0e697a0ae8f1bb342846b3',
    eventSource: 'aws:sqs',
    eventSourceARN: `arn:aws:sqs:us-east-1:${ACCOUNT_ID}:iam-onboarding-welcome`,
    awsRegion: 'us-east-1',
  };
}

/** The SQS invocation event: records built by sqsRecord, or events wrapped with defaults. */
export function sqsEvent(...records: (Record<string, unknown> | string)[]): {
  Records: Record<string, unknown>[];
} {
  return {
    Records: records.map((r) =>
      typeof r !== 'string' && r.eventSource === 'aws:sqs' ? r : sqsRecord(r),
    ),
  };
}

/** A Lambda context; `remainingMs` may be a function, for time that runs out. */
export function lambdaContext(remainingMs: number | (() => number) = 60_000): Context {
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: 'iam-onboarding-welcome',
    functionVersion: '$LATEST',
    invokedFunctionArn: FUNCTION_ARN,
    memoryLimitInMB: '256',
    awsRequestId: 'c6af9ac6-7b61-11e6-9a41-93e812345678',
    logGroupName: '/aws/lambda/iam-onboarding-welcome',
    logStreamName: '2025/01/01/[$LATEST]abcdef',
    getRemainingTimeInMillis: typeof remainingMs === 'function' ? remainingMs : () => remainingMs,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

export const WELCOME_QUEUE_URL = `https://sqs.us-east-1.amazonaws.com/${ACCOUNT_ID}/iam-onboarding-welcome-queue`;

/** The function's environment as the pipeline sets it. */
export function welcomeEnv(overrides: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    SENDER_ADDRESS: 'Example IT <onboarding@example.com>',
    SENDER_IDENTITY_ARN: `arn:aws:ses:us-east-1:${ACCOUNT_ID}:identity/example.com`,
    ORGANISATION_NAME: 'Example Corp',
    HELP_CONTACT: 'it-help@example.com',
    WELCOME_QUEUE_URL: WELCOME_QUEUE_URL,
    DEPLOY_ROLE_ARN: DEPLOY_ROLE_ARN,
  };
  for (const [key, value] of Object.entries(overrides)) {
    if (value === undefined) delete env[key];
    else env[key] = value;
  }
  return env;
}

/** Deterministic uniform [0, 1) source (mulberry32) for retry jitter. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Collects everything written to stdout/stderr (where the Powertools logger writes). */
export function captureOutput(): { lines: () => string[]; restore: () => void } {
  const chunks: string[] = [];
  const spies = [process.stdout, process.stderr].map((stream) =>
    jest.spyOn(stream, 'write').mockImplementation((chunk: string | Uint8Array) => {
      chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
      return true;
    }),
  );
  return {
    lines: () =>
      chunks
        .join('')
        .split('\n')
        .filter((line) => line.trim() !== ''),
    restore: () => spies.forEach((spy) => spy.mockRestore()),
  };
}
