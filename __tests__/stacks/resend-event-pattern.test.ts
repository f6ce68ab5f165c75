/**
 * The rule's resend branch (a TagUser that sets the resend tag) against
 * sample CloudTrail events, and the parts of the local matcher it relies on:
 * `$or` and fields inside lists of objects.
 */
import { RESEND_TAG_KEY, RESENT_TAG_KEY, WELCOMED_TAG_KEY } from '../../shared/contract';
import { PIPELINE_NAMES } from '../../stacks/welcome-pipeline';
import { matchesEventPattern, validatePattern } from '../support/event-pattern';
import { only, synthStack, trailNoZone } from '../support/stack';
import { tagUserEvent } from '../support/welcome-events';

const deployed: unknown = JSON.parse(
  only(synthStack(trailNoZone()).config, 'aws_cloudwatch_event_rule', {
    name: PIPELINE_NAMES.rule,
  }).event_pattern as string,
);

const FUNCTION_ROLE = 'arn:aws:sts::123456789012:assumed-role/iam-onboarding-welcome/fn';

describe('the deployed rule and TagUser', () => {
  test('matches a deploy raising the resend counter', () => {
    const event = tagUserEvent({ userName: 'alice', tags: [{ key: RESEND_TAG_KEY, value: '2' }] });
    expect(matchesEventPattern(deployed, event)).toBe(true);
  });

  test('matches when the resend tag comes with other tag changes, in any position', () => {
    const event = tagUserEvent({
      userName: 'alice',
      tags: [
        { key: 'team', value: 'platform' },
        { key: RESEND_TAG_KEY, value: '3' },
      ],
    });
    expect(matchesEventPattern(deployed, event)).toBe(true);
  });

  test("does not match the function's own TagUser calls: they cannot trigger it", () => {
    for (const tags of [
      [{ key: WELCOMED_TAG_KEY, value: '2025-01-01T12:00:00.000Z' }],
      [{ key: RESENT_TAG_KEY, value: '2' }],
      [
        { key: WELCOMED_TAG_KEY, value: '2025-01-01T12:00:00.000Z' },
        { key: RESENT_TAG_KEY, value: '2' },
      ],
    ]) {
      const event = tagUserEvent({ userName: 'alice', tags, callerArn: FUNCTION_ROLE });
      expect(matchesEventPattern(deployed, event)).toBe(false);
    }
  });

  test('does not match other tag changes, nor a tag whose value merely names the key', () => {
    const other = tagUserEvent({ userName: 'alice', tags: [{ key: 'team', value: 'x' }] });
    const valueOnly = tagUserEvent({
      userName: 'alice',
      tags: [{ key: 'note', value: RESEND_TAG_KEY }],
    });
    expect(matchesEventPattern(deployed, other)).toBe(false);
    expect(matchesEventPattern(deployed, valueOnly)).toBe(false);
  });

  test('does not match a failed TagUser, nor UntagUser (a counter set back to 0)', () => {
    const failed = tagUserEvent({
      userName: 'alice',
      tags: [{ key: RESEND_TAG_KEY, value: '2' }],
      errorCode: 'AccessDenied',
    });
    const untag = tagUserEvent({
      userName: 'alice',
      tags: [{ key: RESEND_TAG_KEY, value: '2' }],
      eventName: 'UntagUser',
    });
    expect(matchesEventPattern(deployed, failed)).toBe(false);
    expect(matchesEventPattern(deployed, untag)).toBe(false);
  });

  test('does not match TagRole with the same tag: only users are welcomed', () => {
    const role = tagUserEvent({
      userName: 'alice',
      tags: [{ key: RESEND_TAG_KEY, value: '2' }],
      eventName: 'TagRole',
    });
    expect(matchesEventPattern(deployed, role)).toBe(false);
  });
});

describe('matchesEventPattern: $or and lists of objects (EventBridge semantics)', () => {
  test('$or matches when any branch does, and the fields beside it must match too', () => {
    const p = { d: { s: ['x'], $or: [{ a: ['1'] }, { b: ['2'] }] } };
    expect(matchesEventPattern(p, { d: { s: 'x', a: '1' } })).toBe(true);
    expect(matchesEventPattern(p, { d: { s: 'x', b: '2' } })).toBe(true);
    expect(matchesEventPattern(p, { d: { s: 'x', a: '2', b: '1' } })).toBe(false);
    expect(matchesEventPattern(p, { d: { s: 'y', a: '1' } })).toBe(false);
  });

  test('a field inside a list of objects matches when one element has it', () => {
    const p = { tags: { key: ['k'] } };
    expect(matchesEventPattern(p, { tags: [{ key: 'a' }, { key: 'k' }] })).toBe(true);
    expect(matchesEventPattern(p, { tags: [{ key: 'a' }, { Key: 'k' }] })).toBe(false);
    expect(matchesEventPattern(p, { tags: [] })).toBe(false);
    expect(matchesEventPattern(p, { tags: ['k'] })).toBe(false);
  });

  test('fields of one list element are never combined with another element', () => {
    const p = { tags: { key: ['k'], value: ['v'] } };
    expect(matchesEventPattern(p, { tags: [{ key: 'k', value: 'v' }] })).toBe(true);
    expect(
      matchesEventPattern(p, {
        tags: [
          { key: 'k', value: 'x' },
          { key: 'y', value: 'v' },
        ],
      }),
    ).toBe(false);
  });

  test('a malformed $or is rejected, not guessed at', () => {
    expect(() => validatePattern({ $or: [{ a: ['1'] }] })).toThrow(/at least two/);
    expect(() => validatePattern({ $or: { a: ['1'] } })).toThrow(/at least two/);
    expect(() => validatePattern({ $or: [{ a: ['1'] }, {}] })).toThrow(/empty pattern/);
    expect(() => validatePattern({ $or: [{ a: ['1'] }, { b: 'x' }] })).toThrow(/leaf/);
  });
});
