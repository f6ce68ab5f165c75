import { PIPELINE_NAMES } from '../../stacks/welcome-pipeline';
import {
  matchesEventPattern,
  UnsupportedPatternError,
  validatePattern,
} from '../support/event-pattern';
import { USER_EVENTS_PATTERN } from '../../stacks/user-events-rule';
import { synthStack, trailNoZone, only } from '../support/stack';

/**
 * A CloudTrail "AWS API Call" event as EventBridge delivers it
 * (docs/design.md, "What a CreateUser event carries").
 */
function cloudTrailEvent(
  detail: Record<string, unknown>,
  source = 'aws.iam',
): Record<string, unknown> {
  return {
    version: '0',
    id: '6f0e0c34-1234-5678-9abc-def012345678',
    'detail-type': 'AWS API Call via CloudTrail',
    source,
    account: '123456789012',
    time: '2025-01-01T12:00:00Z',
    region: 'us-east-1',
    resources: [],
    detail: {
      eventVersion: '1.09',
      eventTime: '2025-01-01T12:00:00Z',
      eventSource: 'iam.amazonaws.com',
      eventName: 'CreateUser',
      awsRegion: 'us-east-1',
      eventType: 'AwsApiCall',
      eventID: 'c0ffee00-0000-4000-8000-000000000000',
      userIdentity: {
        type: 'AssumedRole',
        arn: 'arn:aws:sts::123456789012:assumed-role/deploy/ci',
      },
      ...detail,
    },
  };
}

const successfulCreateUser = cloudTrailEvent({
  requestParameters: { userName: 'alice', path: '/iam-onboarding/' },
  responseElements: {
    user: {
      userName: 'alice',
      userId: 'AIDAEXAMPLE',
      arn: 'arn:aws:iam::123456789012:user/iam-onboarding/alice',
      path: '/iam-onboarding/',
      createDate: 'Jan 1, 2025 12:00:00 PM',
    },
  },
});

const failedCreateUser = cloudTrailEvent({
  errorCode: 'EntityAlreadyExistsException',
  errorMessage: 'User with name alice already exists.',
  requestParameters: { userName: 'alice', path: '/iam-onboarding/' },
  responseElements: null,
});

describe('the deployed rule pattern', () => {
  // The pattern as synthesized, not as written in the source: this is what EventBridge gets.
  const deployed: unknown = JSON.parse(
    only(synthStack(trailNoZone()).config, 'aws_cloudwatch_event_rule', {
      name: PIPELINE_NAMES.rule,
    }).event_pattern as string,
  );

  test('is the documented pattern', () => {
    expect(deployed).toEqual(USER_EVENTS_PATTERN);
  });

  test('matches a successful CreateUser', () => {
    expect(matchesEventPattern(deployed, successfulCreateUser)).toBe(true);
  });

  test('does not match a failed CreateUser (it carries errorCode)', () => {
    expect(matchesEventPattern(deployed, failedCreateUser)).toBe(false);
  });

  test('does not match a failed CreateUser whose errorCode is an empty string or null', () => {
    expect(matchesEventPattern(deployed, cloudTrailEvent({ errorCode: '' }))).toBe(false);
    expect(matchesEventPattern(deployed, cloudTrailEvent({ errorCode: null }))).toBe(false);
  });

  test('does not match another IAM call', () => {
    for (const eventName of ['DeleteUser', 'CreateLoginProfile', 'CreateUserX', 'createuser']) {
      expect(matchesEventPattern(deployed, cloudTrailEvent({ eventName }))).toBe(false);
    }
  });

  test('does not match another service', () => {
    const s3 = cloudTrailEvent(
      { eventSource: 's3.amazonaws.com', eventName: 'CreateBucket' },
      'aws.s3',
    );
    expect(matchesEventPattern(deployed, s3)).toBe(false);
    // Same detail, other source: every top-level field must match too.
    expect(matchesEventPattern(deployed, { ...successfulCreateUser, source: 'aws.sts' })).toBe(
      false,
    );
    expect(
      matchesEventPattern(deployed, {
        ...successfulCreateUser,
        'detail-type': 'AWS Console Sign In via CloudTrail',
      }),
    ).toBe(false);
  });
});

describe('matchesEventPattern (EventBridge semantics)', () => {
  test('exact string values are case-sensitive', () => {
    expect(matchesEventPattern({ a: ['x'] }, { a: 'x' })).toBe(true);
    expect(matchesEventPattern({ a: ['x'] }, { a: 'X' })).toBe(false);
  });

  test('a list of values is an OR', () => {
    expect(matchesEventPattern({ a: ['x', 'y'] }, { a: 'y' })).toBe(true);
    expect(matchesEventPattern({ a: ['x', 'y'] }, { a: 'z' })).toBe(false);
  });

  test('fields are ANDed; fields the pattern does not name are ignored', () => {
    expect(matchesEventPattern({ a: ['1'], b: ['2'] }, { a: '1', b: '2', c: '3' })).toBe(true);
    expect(matchesEventPattern({ a: ['1'], b: ['2'] }, { a: '1', b: '3' })).toBe(false);
  });

  test('a missing field does not match a value', () => {
    expect(matchesEventPattern({ a: ['x'] }, {})).toBe(false);
  });

  test('numbers, booleans and null match by value and type', () => {
    expect(matchesEventPattern({ n: [5] }, { n: 5 })).toBe(true);
    expect(matchesEventPattern({ n: [5] }, { n: '5' })).toBe(false);
    expect(matchesEventPattern({ b: [true] }, { b: true })).toBe(true);
    expect(matchesEventPattern({ b: [true] }, { b: 'true' })).toBe(false);
    expect(matchesEventPattern({ z: [null] }, { z: null })).toBe(true);
    expect(matchesEventPattern({ z: [null] }, {})).toBe(false);
  });

  test('nested objects match field by field', () => {
    const p = { detail: { user: { name: ['alice'] } } };
    expect(matchesEventPattern(p, { detail: { user: { name: 'alice', id: 1 } } })).toBe(true);
    expect(matchesEventPattern(p, { detail: { user: { name: 'bob' } } })).toBe(false);
    expect(matchesEventPattern(p, { detail: { user: 'alice' } })).toBe(false);
    expect(matchesEventPattern(p, { detail: {} })).toBe(false);
  });

  test('an array in the event matches when any element does', () => {
    expect(matchesEventPattern({ r: ['b'] }, { r: ['a', 'b'] })).toBe(true);
    expect(matchesEventPattern({ r: ['c'] }, { r: ['a', 'b'] })).toBe(false);
  });

  test('exists: false matches only an absent field', () => {
    const p = { d: { errorCode: [{ exists: false }] } };
    expect(matchesEventPattern(p, { d: {} })).toBe(true);
    expect(matchesEventPattern(p, { d: { errorCode: 'AccessDenied' } })).toBe(false);
    expect(matchesEventPattern(p, { d: { errorCode: null } })).toBe(false);
    expect(matchesEventPattern(p, {})).toBe(true); // missing parent: the field is absent too
  });

  test('exists: true matches any present field', () => {
    const p = { e: [{ exists: true }] };
    expect(matchesEventPattern(p, { e: 'x' })).toBe(true);
    expect(matchesEventPattern(p, { e: null })).toBe(true);
    expect(matchesEventPattern(p, {})).toBe(false);
  });

  test('prefix matches the start of a string only', () => {
    expect(matchesEventPattern({ p: [{ prefix: 'ab' }] }, { p: 'abc' })).toBe(true);
    expect(matchesEventPattern({ p: [{ prefix: 'ab' }] }, { p: 'cab' })).toBe(false);
    expect(matchesEventPattern({ p: [{ prefix: '1' }] }, { p: 12 })).toBe(false);
  });

  test('patterns it does not implement are rejected, not guessed at', () => {
    expect(() => validatePattern({ a: 'x' })).toThrow(UnsupportedPatternError);
    expect(() => validatePattern({ a: [] })).toThrow(/empty list/);
    expect(() => validatePattern({ a: [{ 'anything-but': 'x' }] })).toThrow(/anything-but/);
    expect(() => validatePattern({ a: [{ exists: 'no' }] })).toThrow(UnsupportedPatternError);
    expect(() => validatePattern([])).toThrow(UnsupportedPatternError);
    expect(() => matchesEventPattern({}, {})).toThrow(/empty pattern/);
  });
});
