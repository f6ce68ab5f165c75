/**
 * One schedule rule (shared/rules.ts): the settings accept a reconcile or
 * expiry schedule exactly when the schedule construct does, and the stack
 * emits it as written. Generated from EventBridge's grammar, then broken the
 * way people break it (a unit that disagrees with its number, five fields,
 * both day fields set, a shell command).
 */
import { CloudwatchEventRule } from '@cdktf/provider-aws/lib/cloudwatch-event-rule';
import { TerraformStack, Testing } from 'cdktf';
import fc from 'fast-check';
import { InputFileError } from '../../inputs/errors';
import { parseJsonDocument } from '../../inputs/json-file';
import { validateSettings } from '../../inputs/settings';
import {
  checkScheduleExpression,
  SCHEDULE_EXPRESSION,
  scheduleSuggestion,
} from '../../shared/rules';
import { QueueSchedule } from '../../stacks/queue-schedule';

const SETTINGS = {
  accountId: '123456789012',
  organisationName: 'Example Corp',
  sender: { address: 'Example IT <onboarding@example.com>', domain: 'example.com' },
  trail: { create: true },
  alerts: { emails: ['ops@example.com'] },
  helpContact: 'it-help@example.com',
};

function settingsAccept(schedule: string): boolean {
  const text = JSON.stringify({
    ...SETTINGS,
    delivery: { reconcileSchedule: schedule },
    expiry: { schedule },
  });
  try {
    validateSettings(parseJsonDocument('settings.json', text));
    return true;
  } catch (err) {
    if (err instanceof InputFileError) {
      expect(err.problems.map((p) => p.path)).toEqual([
        '$.delivery.reconcileSchedule',
        '$.expiry.schedule',
      ]);
      return false;
    }
    throw err;
  }
}

/** The construct's verdict, and what it emits when it accepts. */
function stackEmits(schedule: string): string | undefined {
  const stack = new TerraformStack(Testing.app(), 's');
  try {
    new QueueSchedule(stack, 'schedule', {
      accountId: '123456789012',
      name: 'iam-onboarding-reconcile',
      description: 'test',
      scheduleExpression: schedule,
      body: { x: 1 },
      requestQueueArn: 'arn:aws:sqs:us-east-1:123456789012:q',
      deadLetterQueueArn: 'arn:aws:sqs:us-east-1:123456789012:d',
    });
  } catch {
    return undefined;
  }
  const config = JSON.parse(Testing.synth(stack)) as {
    resource: Record<string, Record<string, { schedule_expression?: string }>>;
  };
  return Object.values(config.resource[CloudwatchEventRule.tfResourceType])[0].schedule_expression;
}

const pick = <T>(...xs: T[]) => fc.constantFrom(...xs);
const rate = fc
  .tuple(
    pick('0', '1', '2', '15', '01', '-1', '1.5', 'x'),
    pick('minute', 'minutes', 'hour', 'hours', 'day', 'days', 'Hours', 'weeks'),
  )
  .map(([n, u]) => `rate(${n} ${u})`);
const field = (...valid: string[]) =>
  fc.oneof(pick(...valid), pick('*', '?', '60', '0-', '$', 'a', ''));
const cron = fc
  .tuple(
    field('0', '15', '0/5', '5,35', '*'),
    field('3', '0-23', '*/2', '23'),
    field('*', '?', '1', 'L', '15W', '31'),
    field('*', 'JAN', 'JAN-MAR', '12', '1/2'),
    field('?', 'MON-FRI', '6#3', 'L', '2L', '*'),
    field('*', '2030', '1970-2199'),
    fc.nat({ max: 6 }),
  )
  .map(
    ([a, b, c, d, e, f, keep]) =>
      `cron(${[a, b, c, d, e, f].slice(0, keep === 0 ? 5 : 6).join(' ')})`,
  );
const schedule = fc.oneof(
  rate,
  cron,
  pick(
    'rate(1 hour)',
    'cron(0 3 * * ? *)',
    'cron(rm -rf /)',
    'cron(${path.root})',
    'rate(2 hour)',
    'daily',
  ),
);

test('the settings and the stack accept the same schedules, and the stack emits them as written', () => {
  let accepted = 0;
  fc.assert(
    fc.property(schedule, (s) => {
      const settings = settingsAccept(s);
      const emitted = stackEmits(s);
      expect({ s, settings, stack: emitted !== undefined }).toEqual({
        s,
        settings,
        stack: settings,
      });
      expect(SCHEDULE_EXPRESSION.test(s)).toBe(settings);
      expect(checkScheduleExpression(s).ok).toBe(settings);
      if (settings) {
        accepted++;
        expect(emitted).toBe(s);
      }
    }),
    { numRuns: 300 },
  );
  expect(accepted).toBeGreaterThan(20);
});

test.each([
  ['rate(2 hour)', 'rate(2 hours)'],
  ['rate(1 minutes)', 'rate(1 minute)'],
  ['rate(3 Day)', 'rate(3 days)'],
])('%s is refused with the suggestion %s', (bad, good) => {
  expect(checkScheduleExpression(bad).ok).toBe(false);
  expect(scheduleSuggestion(bad)).toBe(good);
});

test.each([
  ['cron(rm -rf /)', /6 fields .* this one has 3/],
  ['cron(0 3 * * * *)', /one of day-of-month and day-of-week must be "\?"/],
  // Exactly one "?": the documented rule, and what Quartz's parser (whose syntax it is) enforces.
  ['cron(0 3 ? * ? *)', /both "\?": give one of them a value or "\*"/],
  ['cron(0 3 ? * MON *)', /^$/],
  ['cron(0 3 1 * ? *)', /^$/],
  ['cron(0 24 * * ? *)', /hours field \(field 2\) takes 0-23/],
  ['rate(0 hours)', /whole number from 1/],
])('%s: %s', (bad, reason) => {
  const v = checkScheduleExpression(bad);
  expect(v.ok ? '' : v.reason).toMatch(reason);
  // Accepted exactly when no reason is expected, by the settings and the stack alike.
  expect(settingsAccept(bad)).toBe(reason.source === '^$');
  expect(stackEmits(bad) !== undefined).toBe(reason.source === '^$');
});
