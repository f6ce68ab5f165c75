/**
 * The resend flow end to end in process (real SDK clients behind the fake
 * IAM + SES): a raised counter gives one new password and one email per
 * value, however often and however concurrently its event arrives.
 */
import {
  CreateLoginProfileCommand,
  DeleteLoginProfileCommand,
  TagUserCommand,
} from '@aws-sdk/client-iam';
import { SendEmailCommand } from '@aws-sdk/client-ses';
import type { SQSBatchResponse } from 'aws-lambda';
import { iam, iamCreate, ses, sesv2, sqs } from '../../../handlers/welcome/aws/clients';
import type { AdminNotice } from '../../../handlers/welcome/core/admin-notice';
import { readConfig } from '../../../handlers/welcome/core/config';
import { IN_FLIGHT_WINDOW_MS } from '../../../handlers/welcome/core/consistency';
import { eventLog, logger } from '../../../handlers/welcome/log';
import { resendWelcome } from '../../../handlers/welcome/resend';
import {
  RESEND_TAG_KEY,
  RESENT_TAG_KEY,
  SENT_TO_TAG_KEY,
  WELCOMED_TAG_KEY,
  resendRequest,
} from '../../../shared/contract';
import { deniedCalls, type TfConfig as RehearsalConfig } from '../../../review/rehearsal';
import { fixtureCode, synthStack, trailNoZone } from '../../support/stack';
import {
  iamMock,
  sentTo,
  sesMock,
  sesv2Mock,
  sesRejected,
  sqsMock,
  tagOf,
} from '../../support/fake-aws';
import { type Grant, recordedGrants } from '../../support/grants';
import {
  captureOutput,
  createUserEvent,
  lambdaContext,
  sqsEvent,
  tagUserEvent,
  welcomeEnv,
} from '../../support/welcome-events';
import { addManagedUser, harness, type Harness } from '../../support/welcome-harness';
import { leaksOfAll } from '../../support/secret-leaks';

const REPLACES_NOTICE = 'This email replaces any earlier welcome email';
/** A resend's own opening (core/message.ts): the password is new, the earlier one dead. */
const RESEND_NOTICE = 'This is a new temporary password, sent because one was asked for.';
const DAY = 24 * 60 * 60_000;

let output: ReturnType<typeof captureOutput>;
/** Every password IAM was asked to set and every grant used, across the tests of this file. */
const passwords: string[] = [];
const grants: Grant[] = [];
/** Every line the handler logged, across the tests of this file. */
const allLines: string[] = [];

beforeEach(() => {
  output = captureOutput();
});
afterEach(() => {
  grants.push(...recordedGrants());
  allLines.push(...output.lines());
  output.restore();
  iamMock.reset();
  sesMock.reset();
  sesv2Mock.reset();
  sqsMock.reset();
});

const calls = {
  create: () => iamMock.commandCalls(CreateLoginProfileCommand).length,
  delete: () => iamMock.commandCalls(DeleteLoginProfileCommand).length,
  tag: () => iamMock.commandCalls(TagUserCommand),
  send: () => sesMock.commandCalls(SendEmailCommand).length,
};

/**
 * A person welcomed a day ago at their address (with a profile from then),
 * whose roster counter is now `resend`.
 */
function welcomedUser(
  h: Harness,
  userName: string,
  resend: string | undefined,
  resent?: string,
): void {
  const user = addManagedUser(h.aws, userName);
  user.tags.push({ Key: WELCOMED_TAG_KEY, Value: new Date(h.clock.now - DAY).toISOString() });
  user.tags.push({ Key: SENT_TO_TAG_KEY, Value: `${userName}@example.com` });
  if (resend !== undefined) user.tags.push({ Key: RESEND_TAG_KEY, Value: resend });
  if (resent !== undefined) user.tags.push({ Key: RESENT_TAG_KEY, Value: resent });
  h.aws.addProfile(userName, DAY, 'first-password-Aa1!');
}

/** The deploy's TagUser, a minute before the harness clock. */
function raised(h: Harness, userName: string, value: string): Record<string, unknown> {
  return tagUserEvent({
    userName,
    tags: [{ key: RESEND_TAG_KEY, value }],
    eventTime: h.ago(60_000),
  });
}

function remember(h: Harness): void {
  passwords.push(...h.aws.passwordsSeen);
}

/** The one email to `address`: its text, and the password it carries is the profile's. */
function expectOneResendEmail(h: Harness, userName: string): string {
  const emails = sentTo(h.aws, `${userName}@example.com`);
  expect(emails).toHaveLength(1);
  const text = emails[0].input.Message?.Body?.Text?.Data ?? '';
  const profile = h.aws.users.get(userName)?.profile;
  expect(profile?.passwordResetRequired).toBe(true);
  expect(text).toContain(`Temporary password: ${profile?.password ?? '?'}`);
  return text;
}

function outcomes(response: SQSBatchResponse): string[] {
  return response.batchItemFailures.map((f) => f.itemIdentifier);
}

function logLines(): Record<string, unknown>[] {
  return output
    .lines()
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

function lastOutcome(userName: string): Record<string, unknown> | undefined {
  return logLines()
    .filter((l) => l.userName === userName && String(l.message).startsWith('event '))
    .at(-1);
}

describe('resend from the roster', () => {
  it('a raised counter: the old password is replaced, one email says so, the value is recorded', async () => {
    const h = harness();
    welcomedUser(h, 'ada', '1');
    const response = await h.invokeSqs(sqsEvent(raised(h, 'ada', '1')));
    remember(h);

    expect(outcomes(response)).toEqual([]);
    const text = expectOneResendEmail(h, 'ada');
    expect(text).toContain(RESEND_NOTICE);
    expect(text).toContain('The password in any earlier email no longer works');
    const sent = sentTo(h.aws, 'ada@example.com')[0].input.Message;
    expect(sent?.Body?.Html?.Data).toContain(RESEND_NOTICE);
    // A subject of its own: mail clients must not thread it with the first welcome.
    expect(sent?.Subject?.Data).toMatch(
      /^New temporary password for the Example Corp AWS account \(\d{1,2} [A-Z][a-z]+ \d{4}\)$/,
    );
    expect(h.aws.users.get('ada')?.profile?.password).not.toBe('first-password-Aa1!');
    expect(calls.delete()).toBe(1);
    expect(calls.create()).toBe(1);
    expect(tagOf(h.aws, 'ada', RESENT_TAG_KEY)).toBe('1');
    // Only the resent tag and where it went, after the email.
    expect(calls.tag().map((c) => c.args[0].input.Tags)).toEqual([
      [
        { Key: RESENT_TAG_KEY, Value: '1' },
        { Key: SENT_TO_TAG_KEY, Value: 'ada@example.com' },
      ],
    ]);
    expect(lastOutcome('ada')).toMatchObject({
      message: 'event done',
      outcome: 'resent',
      resend: 1,
    });
  });

  it('the same event twice, one after the other: the second sends nothing', async () => {
    const h = harness();
    welcomedUser(h, 'grace', '2', '1');
    const event = sqsEvent(raised(h, 'grace', '2'));
    await h.invokeSqs(event);
    const again = await h.invokeSqs(event);
    remember(h);

    expect(outcomes(again)).toEqual([]);
    expect(lastOutcome('grace')).toMatchObject({
      message: 'event skipped',
      reason: 'resend-already-served',
    });
    expect(calls.create()).toBe(1);
    expectOneResendEmail(h, 'grace');
    expect(tagOf(h.aws, 'grace', RESENT_TAG_KEY)).toBe('2');
  });

  it('the same event twice at once: one sends, the other waits and then finds it served', async () => {
    const h = harness();
    welcomedUser(h, 'alan', '1');
    const event = sqsEvent(raised(h, 'alan', '1'));
    const both = await Promise.all([h.invokeSqs(event), h.invokeSqs(event)]);
    const failed = both.filter((r) => outcomes(r).length > 0);
    // At most one is sent back to the queue (deferred); never two emails.
    expect(failed.length).toBeLessThanOrEqual(1);
    expect(calls.send()).toBe(1);

    // SQS delivers the deferred one after the visibility timeout.
    h.clock.now += 6 * 60_000;
    const later = await h.invokeSqs(event);
    remember(h);
    expect(outcomes(later)).toEqual([]);
    expect(lastOutcome('alan')).toMatchObject({ reason: 'resend-already-served' });
    // The loser's CreateLoginProfile (if it got that far) was refused; the winner's profile stands.
    expectOneResendEmail(h, 'alan');
    expect(tagOf(h.aws, 'alan', RESENT_TAG_KEY)).toBe('1');
  });

  it('the event and the reconcile request at once, for one value: one email', async () => {
    const h = harness();
    welcomedUser(h, 'joan', '3', '2');
    const request = JSON.stringify(resendRequest({ userName: 'joan' }, 'reconcile'));
    await Promise.all([
      h.invokeSqs(sqsEvent(raised(h, 'joan', '3'))),
      h.invokeSqs(sqsEvent(request)),
    ]);
    h.clock.now += 6 * 60_000;
    await h.invokeSqs(sqsEvent(raised(h, 'joan', '3')));
    await h.invokeSqs(sqsEvent(request));
    remember(h);
    expectOneResendEmail(h, 'joan');
    expect(tagOf(h.aws, 'joan', RESENT_TAG_KEY)).toBe('3');
  });

  it.each([
    ['equal to the value served', '2', '2'],
    ['lowered below the value served', '1', '2'],
    ['set back to 0', '0', '2'],
  ])('a counter %s sends nothing', async (_what, resend, resent) => {
    const h = harness();
    welcomedUser(h, 'linus', resend, resent);
    await h.invokeSqs(sqsEvent(raised(h, 'linus', resend)));
    expect(calls.create()).toBe(0);
    expect(calls.delete()).toBe(0);
    expect(calls.send()).toBe(0);
    expect(calls.tag()).toHaveLength(0);
    expect(h.aws.users.get('linus')?.profile?.password).toBe('first-password-Aa1!');
    expect(lastOutcome('linus')?.reason).toMatch(/^(resend-already-served|no-resend-requested)$/);
  });

  it('an unmanaged user is refused: without the managed-by tag, or at another path', async () => {
    const h = harness();
    h.aws.addUser({
      userName: 'console-made',
      userId: 'AIDACONSOLE',
      path: '/iam-onboarding/',
      tags: [
        { Key: 'email', Value: 'mallory@example.com' },
        { Key: WELCOMED_TAG_KEY, Value: '2025-01-01T00:00:00Z' },
        { Key: RESEND_TAG_KEY, Value: '5' },
      ],
    });
    h.aws.addProfile('console-made', DAY);
    welcomedUser(h, 'elsewhere', '5');
    h.aws.users.get('elsewhere')!.path = '/service/';

    await h.invokeSqs(sqsEvent(raised(h, 'console-made', '5')));
    expect(lastOutcome('console-made')).toMatchObject({ reason: 'not-managed-by-this-project' });
    await h.invokeSqs(sqsEvent(raised(h, 'elsewhere', '5')));
    expect(lastOutcome('elsewhere')).toMatchObject({ reason: 'not-managed-path' });
    expect(calls.create()).toBe(0);
    expect(calls.delete()).toBe(0);
    expect(calls.send()).toBe(0);
    expect(calls.tag()).toHaveLength(0);
  });

  it('a TagUser that did not set the resend tag is skipped without asking IAM', async () => {
    const h = harness();
    welcomedUser(h, 'quiet', '4');
    const event = tagUserEvent({ userName: 'quiet', tags: [{ key: 'team', value: 'x' }] });
    await h.invokeSqs(sqsEvent(event));
    expect(iamMock.calls()).toHaveLength(0);
    expect(lastOutcome('quiet')).toMatchObject({ reason: 'not-a-resend-tag-change' });
  });

  it('a user not welcomed yet: the first welcome sends the one email and covers the resend', async () => {
    const h = harness();
    // Created with the counter already raised: no profile, no welcomed tag.
    const user = addManagedUser(h.aws, 'newbie');
    user.tags.push({ Key: RESEND_TAG_KEY, Value: '2' });

    await h.invokeSqs(sqsEvent(raised(h, 'newbie', '2')));
    expect(lastOutcome('newbie')).toMatchObject({ reason: 'not-welcomed-yet' });
    expect(calls.create()).toBe(0);

    await h.invokeSqs(sqsEvent(createUserEvent({ userName: 'newbie' })));
    expect(tagOf(h.aws, 'newbie', WELCOMED_TAG_KEY)).toBeDefined();
    expect(tagOf(h.aws, 'newbie', RESENT_TAG_KEY)).toBe('2');
    // Both tags in the welcome's one TagUser call.
    expect(
      calls
        .tag()
        .at(-1)
        ?.args[0].input.Tags?.map((t) => t.Key),
    ).toEqual([WELCOMED_TAG_KEY, RESENT_TAG_KEY, SENT_TO_TAG_KEY]);

    // A late copy of the TagUser event, and the reconcile's request, send nothing more.
    await h.invokeSqs(sqsEvent(raised(h, 'newbie', '2')));
    await h.invokeSqs(sqsEvent(JSON.stringify(resendRequest({ userName: 'newbie' }, 'reconcile'))));
    remember(h);
    expect(lastOutcome('newbie')).toMatchObject({ reason: 'resend-already-served' });
    expect(calls.create()).toBe(1);
    const emails = sentTo(h.aws, 'newbie@example.com');
    expect(emails).toHaveLength(1);
    expect(emails[0].input.Message?.Body?.Text?.Data).not.toContain(REPLACES_NOTICE);
    expect(emails[0].input.Message?.Body?.Text?.Data).not.toContain(RESEND_NOTICE);
  });

  it('a profile made for this request moments ago is left to its run; an abandoned one is replaced', async () => {
    const h = harness();
    welcomedUser(h, 'racer', '1');
    // A run that deleted the old profile and created its own 30 s ago, still sending.
    h.aws.addProfile('racer', 30_000, 'other-run-password-Aa1!');
    const event = sqsEvent(raised(h, 'racer', '1'));
    const first = await h.invokeSqs(event);
    expect(outcomes(first)).toHaveLength(1);
    expect(lastOutcome('racer')).toMatchObject({
      outcome: 'deferred',
      errorName: 'ResendInFlight',
    });
    expect(calls.delete()).toBe(0);

    // That run died: no resent tag long after. The next delivery replaces its profile.
    h.clock.now += IN_FLIGHT_WINDOW_MS + 60_000;
    const second = await h.invokeSqs(event);
    remember(h);
    expect(outcomes(second)).toEqual([]);
    expect(calls.delete()).toBe(1);
    expectOneResendEmail(h, 'racer');
    expect(tagOf(h.aws, 'racer', RESENT_TAG_KEY)).toBe('1');
  });

  it('an email SES refuses: the new profile is removed, a later delivery sends once', async () => {
    const h = harness();
    welcomedUser(h, 'bounce', '1');
    h.aws.sesBehaviour = () => {
      throw sesRejected();
    };
    const event = sqsEvent(raised(h, 'bounce', '1'));
    const first = await h.invokeSqs(event);
    expect(outcomes(first)).toHaveLength(1);
    expect(h.aws.users.get('bounce')?.profile).toBeUndefined();
    expect(tagOf(h.aws, 'bounce', RESENT_TAG_KEY)).toBeUndefined();

    h.aws.sesBehaviour = () => undefined;
    h.clock.now += 6 * 60_000;
    const second = await h.invokeSqs(event);
    remember(h);
    expect(outcomes(second)).toEqual([]);
    expectOneResendEmail(h, 'bounce');
  });

  it('a resend for a person whose unused password expired: a new profile, no delete', async () => {
    const h = harness();
    welcomedUser(h, 'expired', '1');
    delete h.aws.users.get('expired')!.profile;
    await h.invokeSqs(sqsEvent(raised(h, 'expired', '1')));
    remember(h);
    expect(calls.delete()).toBe(0);
    expectOneResendEmail(h, 'expired');
  });

  it('tells the admins after a resend, and only then', async () => {
    const h = harness();
    welcomedUser(h, 'told', '1');
    welcomedUser(h, 'untold', '1', '1');
    const notices: AdminNotice[] = [];
    const run = {
      deps: {
        iam,
        iamCreate,
        ses,
        sesv2,
        sqs,
        logger,
        env: () => welcomeEnv(),
        sleep: () => Promise.resolve(),
        random: () => 0.5,
        now: () => h.clock.now,
      },
      config: readConfig(welcomeEnv()),
      context: lambdaContext(),
      signInHost: () => Promise.resolve('example-corp'),
      notifyAdmins: (notice: AdminNotice) => {
        notices.push(notice);
        return Promise.resolve();
      },
    };
    const event = (userName: string) => ({
      eventId: `e-${userName}`,
      userName,
      eventTimeMs: h.clock.now - 60_000,
    });
    const told = await resendWelcome(run, event('told'), eventLog(logger, {}));
    const untold = await resendWelcome(run, event('untold'), eventLog(logger, {}));
    remember(h);
    expect(told).toMatchObject({ outcome: 'resent', resend: 1 });
    expect(untold).toMatchObject({ outcome: 'skipped', reason: 'resend-already-served' });
    // Where it went, and who asked (this event names no caller).
    expect(notices).toEqual([
      {
        kind: 'resent',
        userName: 'told',
        address: 'told@example.com',
        detail: 'Asked by a TagUser call whose caller CloudTrail does not name.',
      },
    ]);
    expect(JSON.stringify(notices)).not.toContain(h.aws.users.get('told')?.profile?.password);
  });

  it('no log line of any test here carries a password the function generated', () => {
    expect(passwords.length).toBeGreaterThanOrEqual(8);
    expect(allLines.length).toBeGreaterThan(50);
    for (const password of passwords) expect(password.length).toBeGreaterThanOrEqual(20);
    // Verbatim, encoded (base64, hex, URL, JSON, reversed) or any piece of 6 or more.
    expect(leaksOfAll(passwords, allLines)).toEqual([]);
  });

  it('every call these tests made is granted by the synthesized role', async () => {
    const tagging = grants.filter((g) => g.action === 'iam:TagUser');
    expect(tagging.map((g) => g.context?.['aws:TagKeys'])).toEqual(
      expect.arrayContaining([
        [RESENT_TAG_KEY, SENT_TO_TAG_KEY],
        [WELCOMED_TAG_KEY, RESENT_TAG_KEY, SENT_TO_TAG_KEY],
      ]),
    );
    const config = JSON.parse(synthStack(trailNoZone(), fixtureCode()).json) as RehearsalConfig;
    expect(await deniedCalls(config, grants)).toEqual([]);
  });
});
