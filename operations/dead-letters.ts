/**
 * What a message in the dead-letter queue is, whom it concerns, why it
 * failed, and how to replay it. The queue receives several shapes:
 *
 * - EventBridge target failures (the CreateUser rule, the reconcile
 *   schedule): the event itself (or the schedule's fixed request), with
 *   `RULE_ARN`, `ERROR_CODE` and `ERROR_MESSAGE` message attributes;
 * - SNS deliveries to the welcome queue that failed for good: SNS's JSON
 *   envelope around the event;
 * - messages the welcome function failed on five times, moved by SQS from the
 *   welcome queue (system attribute `DeadLetterQueueSourceArn`): an SNS
 *   envelope, a reconcile request or a welcome request;
 * - from the earlier design (SNS invoking the function directly): Lambda
 *   on-failure records, `{requestContext, requestPayload, responsePayload}`.
 *
 * Pure: the operator tool (scripts/redrive.ts) does the I/O.
 */
import { EXPIRE_REQUEST, RECONCILE_REQUEST } from '../shared/contract';

export type DeadLetterSource =
  | 'create-user rule'
  | 'reconcile schedule'
  | 'expiry schedule'
  | 'topic delivery'
  | 'welcome function'
  | 'welcome function (earlier version)'
  | 'unknown';

export interface DeadLetterUser {
  readonly userName: string;
  readonly userId?: string;
}

export interface DeadLetter {
  readonly source: DeadLetterSource;
  /** Users the message is about (a CreateUser event names one), with IAM's user ID when it says. */
  readonly users: readonly DeadLetterUser[];
  /** What failed, as far as the message says. */
  readonly failure: string;
  /**
   * How to replay it: queue a welcome for each user, queue a reconcile, or
   * nothing (nothing in it can be replayed; it is kept for a person to read).
   */
  readonly replay: 'welcome' | 'reconcile' | 'expire' | 'none';
}

/** The parts of an SQS message this reads (as ReceiveMessage returns them). */
export interface DeadLetterMessage {
  readonly body: string;
  /** String message attributes, e.g. `ERROR_CODE`. */
  readonly messageAttributes?: Readonly<Record<string, string | undefined>>;
  /** System attributes, e.g. `DeadLetterQueueSourceArn`, `ApproximateReceiveCount`. */
  readonly attributes?: Readonly<Record<string, string | undefined>>;
}

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function parse(text: unknown): unknown {
  if (typeof text !== 'string') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

const at = (v: unknown, ...path: string[]): unknown =>
  path.reduce<unknown>((o, k) => (isObject(o) ? o[k] : undefined), v);

/** The user a CloudTrail CreateUser event names, if it is one. */
function createdUser(event: unknown): DeadLetterUser | undefined {
  if (at(event, 'detail', 'eventName') !== 'CreateUser') return undefined;
  const name =
    at(event, 'detail', 'responseElements', 'user', 'userName') ??
    at(event, 'detail', 'requestParameters', 'userName');
  const id = at(event, 'detail', 'responseElements', 'user', 'userId');
  if (typeof name !== 'string' || name === '') return undefined;
  return typeof id === 'string' && id !== '' ? { userName: name, userId: id } : { userName: name };
}

/** An SNS notification envelope's message, parsed. */
function snsMessage(envelope: unknown): unknown {
  return at(envelope, 'Type') === 'Notification' ? parse(at(envelope, 'Message')) : undefined;
}

function isReconcileRequest(v: unknown): boolean {
  return isObject(v) && v['iam-onboarding'] === RECONCILE_REQUEST['iam-onboarding'];
}

/** The expiry schedule's request, or a run's continuation of itself. */
function isExpireRequest(v: unknown): boolean {
  return isObject(v) && v['iam-onboarding'] === EXPIRE_REQUEST['iam-onboarding'];
}

function requestedUser(v: unknown): DeadLetterUser | undefined {
  if (!isObject(v) || v['iam-onboarding'] !== 'welcome' || typeof v.userName !== 'string') {
    return undefined;
  }
  return typeof v.userId === 'string'
    ? { userName: v.userName, userId: v.userId }
    : { userName: v.userName };
}

/** What is inside a body that EventBridge, SNS or the schedule produced. */
function contents(body: unknown): Pick<DeadLetter, 'users' | 'replay'> & { what: string } {
  const inner = snsMessage(body) ?? body;
  const user = createdUser(inner);
  if (user) return { users: [user], replay: 'welcome', what: 'CreateUser event' };
  if (isReconcileRequest(inner)) {
    return { users: [], replay: 'reconcile', what: 'reconcile request' };
  }
  if (isExpireRequest(inner)) return { users: [], replay: 'expire', what: 'expire request' };
  const requested = requestedUser(inner);
  if (requested) return { users: [requested], replay: 'welcome', what: 'welcome request' };
  return { users: [], replay: 'none', what: 'unrecognised message' };
}

export function describeDeadLetter(message: DeadLetterMessage): DeadLetter {
  const body = parse(message.body);
  const attrs = message.messageAttributes ?? {};
  const system = message.attributes ?? {};

  if (isObject(body) && isObject(body.requestContext) && 'requestPayload' in body) {
    const records = at(body, 'requestPayload', 'Records');
    const users = (Array.isArray(records) ? records : [])
      .map((r) => createdUser(parse(at(r, 'Sns', 'Message'))))
      .filter((u): u is DeadLetterUser => u !== undefined);
    const error = [
      at(body, 'responsePayload', 'errorType'),
      at(body, 'responsePayload', 'errorMessage'),
    ]
      .filter((x) => typeof x === 'string')
      .join(': ');
    const condition = at(body, 'requestContext', 'condition');
    return {
      source: 'welcome function (earlier version)',
      users,
      failure: `${typeof condition === 'string' ? condition : 'failed'}${error ? `: ${error}` : ''}`,
      replay: users.length > 0 ? 'welcome' : 'none',
    };
  }

  const inside = contents(body);
  if (attrs.RULE_ARN !== undefined || attrs.ERROR_CODE !== undefined) {
    const failure = [attrs.ERROR_CODE, attrs.ERROR_MESSAGE].filter(Boolean).join(': ');
    return {
      source:
        inside.replay === 'reconcile'
          ? 'reconcile schedule'
          : inside.replay === 'expire'
            ? 'expiry schedule'
            : 'create-user rule',
      users: inside.users,
      failure: `EventBridge could not deliver the ${inside.what}${failure ? ` (${failure})` : ''}`,
      replay: inside.replay,
    };
  }
  if (system.DeadLetterQueueSourceArn !== undefined) {
    const tries = system.ApproximateReceiveCount ? ` ${system.ApproximateReceiveCount} times` : '';
    return {
      source: 'welcome function',
      users: inside.users,
      failure: `the welcome function failed on the ${inside.what}${tries}; its logs say why (search for the user name)`,
      replay: inside.replay,
    };
  }
  if (snsMessage(body) !== undefined) {
    const error = [attrs.ErrorCode, attrs.ErrorMessage].filter(Boolean).join(': ');
    return {
      source: 'topic delivery',
      users: inside.users,
      failure: `SNS could not deliver the ${inside.what} to the welcome queue${error ? ` (${error})` : ''}; check the queue policy and the key policy`,
      replay: inside.replay,
    };
  }
  return {
    source: 'unknown',
    users: inside.users,
    failure: `not a message this pipeline writes (${inside.what})`,
    replay: inside.replay,
  };
}
