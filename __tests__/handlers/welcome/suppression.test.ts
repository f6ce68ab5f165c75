/**
 * SES's account-level suppression list, end to end in process (the real
 * handler and SDK clients behind the fake IAM + SES + SESv2): SES accepts a
 * send to a suppressed address and never delivers it, so the function asks
 * GetSuppressedDestination first. A suppressed address gets no password, no
 * email, no welcomed tag, and the admins one notice with the lift command;
 * not knowing (throttled, denied, a server fault) fails the record before
 * anything is issued; once lifted, the reconcile run serves the person.
 */
import {
  CreateLoginProfileCommand,
  DeleteLoginProfileCommand,
  TagUserCommand,
} from '@aws-sdk/client-iam';
import { SendEmailCommand } from '@aws-sdk/client-ses';
import {
  AccountSuspendedException,
  GetSuppressedDestinationCommand,
  SESv2ServiceException,
  TooManyRequestsException,
} from '@aws-sdk/client-sesv2';
import { PublishCommand } from '@aws-sdk/client-sns';
import {
  RECONCILE_REQUEST,
  RESEND_AFTER_SIGN_IN_TAG_KEY,
  RESEND_TAG_KEY,
  RESENT_TAG_KEY,
  SENT_TO_TAG_KEY,
  SES_USER_TAG,
  WELCOMED_TAG_KEY,
  welcomeRequest,
} from '../../../shared/contract';
import { encodeTagValue } from '../../../handlers/welcome/core/ses-event';
import { deniedCalls, type TfConfig as RehearsalConfig } from '../../../review/rehearsal';
import { fixtureCode, synthStack, trailNoZone } from '../../support/stack';
import {
  iamMock,
  sesMock,
  sesv2Mock,
  snsMock,
  sqsMock,
  ssmMock,
  tagOf,
} from '../../support/fake-aws';
import { type Grant, recordedGrants } from '../../support/grants';
import {
  ACCOUNT_ID,
  captureOutput,
  createUserEvent,
  sqsEvent,
  sqsRecord,
  tagUserEvent,
  WELCOME_QUEUE_URL,
} from '../../support/welcome-events';
import { addManagedUser, harness, type Harness } from '../../support/welcome-harness';
import { leaksOfAll } from '../../support/secret-leaks';

const TOPIC = `arn:aws:sns:us-east-1:${ACCOUNT_ID}:iam-onboarding-admin-notices`;
const ENV = { ADMIN_TOPIC_ARN: TOPIC, SES_CONFIGURATION_SET: 'iam-onboarding-welcome' };
const SINCE = new Date('2026-10-30T08:15:00.000Z');
const DAY = 24 * 60 * 60_000;

let output: ReturnType<typeof captureOutput>;
const allLines: string[] = [];
const allPasswords: string[] = [];
const allGrants = new Map<string, Grant>();

beforeEach(() => {
  output = captureOutput();
});
afterEach(() => {
  for (const g of recordedGrants()) allGrants.set(JSON.stringify(g), g);
  allLines.push(...output.lines());
  output.restore();
  for (const m of [iamMock, sesMock, sesv2Mock, sqsMock, snsMock, ssmMock]) m.reset();
});

function setup(): Harness {
  snsMock.on(PublishCommand).resolves({ MessageId: 'sns-1' });
  const h = harness({ env: ENV });
  return h;
}

function remember(h: Harness): void {
  allPasswords.push(...h.aws.passwordsSeen);
}

const calls = {
  asked: () => sesv2Mock.commandCalls(GetSuppressedDestinationCommand).map((c) => c.args[0].input),
  create: () => iamMock.commandCalls(CreateLoginProfileCommand).length,
  remove: () => iamMock.commandCalls(DeleteLoginProfileCommand).length,
  tag: () => iamMock.commandCalls(TagUserCommand).length,
  send: () => sesMock.commandCalls(SendEmailCommand).length,
};

function publishes(): { Subject?: string; Message?: string }[] {
  return snsMock.commandCalls(PublishCommand).map((c) => c.args[0].input);
}

function logLines(): Record<string, unknown>[] {
  return output
    .lines()
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

const reconcile = () => sqsEvent(sqsRecord(JSON.stringify(RECONCILE_REQUEST)));

describe('a first welcome to a suppressed address', () => {
  it('issues nothing, marks nothing, and tells the admins the reason, the date and the lift command', async () => {
    const h = setup();
    addManagedUser(h.aws, 'alice.martin');
    h.aws.suppressed.set('alice.martin@example.com', { reason: 'BOUNCE', since: SINCE });

    const { records } = await h.invoke(sqsEvent(createUserEvent({ userName: 'alice.martin' })));

    expect(records[0]).toMatchObject({ outcome: 'skipped', reason: 'address-suppressed' });
    expect(calls.asked()).toEqual([{ EmailAddress: 'alice.martin@example.com' }]);
    expect(calls.create()).toBe(0);
    expect(calls.send()).toBe(0);
    expect(calls.tag()).toBe(0);
    expect(h.aws.users.get('alice.martin')?.profile).toBeUndefined();
    expect(tagOf(h.aws, 'alice.martin', WELCOMED_TAG_KEY)).toBeUndefined();
    // No password was even made.
    expect(h.aws.passwordsSeen).toEqual([]);

    const notices = publishes();
    expect(notices).toHaveLength(1);
    expect(notices[0].Subject).toBe(
      '[Example Corp] No password issued to alice.martin: address suppressed by SES',
    );
    expect(notices[0].Message).toContain(
      "SES's account-level suppression list holds alice.martin@example.com (reason BOUNCE, since 2026-10-30T08:15:00.000Z)",
    );
    expect(notices[0].Message).toContain(
      '`aws sesv2 delete-suppressed-destination --email-address alice.martin@example.com`',
    );
    expect(notices[0].Message).toContain(
      'The reconcile run then serves alice.martin by itself on its next run',
    );

    // One ERROR for the welcome-email-problems alarm; the address stays out of the logs.
    const problem = logLines().filter((l) => l.message === 'welcome email problem');
    expect(problem).toEqual([
      expect.objectContaining({
        level: 'ERROR',
        outcome: 'suppressed',
        suppressionReason: 'BOUNCE',
        suppressedSince: '2026-10-30T08:15:00.000Z',
      }),
    ]);
    expect(output.lines().filter((l) => l.includes('alice.martin@example.com'))).toEqual([]);
    remember(h);
  });

  it('a complaint is named as such', async () => {
    const h = setup();
    addManagedUser(h.aws, 'bo');
    h.aws.suppressed.set('bo@example.com', { reason: 'COMPLAINT', since: SINCE });
    await h.invoke(sqsEvent(createUserEvent({ userName: 'bo' })));
    expect(publishes()[0].Message).toContain('(reason COMPLAINT, since 2026-10-30');
    expect(calls.create()).toBe(0);
  });

  it('is served by the reconcile once lifted; while it lasts the reconcile’s requests notify nobody again', async () => {
    const h = setup();
    addManagedUser(h.aws, 'cy');
    h.aws.suppressed.set('cy@example.com', { reason: 'BOUNCE', since: SINCE });
    await h.invoke(sqsEvent(createUserEvent({ userName: 'cy' })));
    expect(publishes()).toHaveLength(1);

    // Still suppressed: the reconcile finds cy never welcomed and queues a welcome…
    await h.invoke(reconcile());
    expect(h.aws.queued.map((q) => q.body)).toEqual([
      JSON.stringify(welcomeRequest({ userName: 'cy', userId: 'AIDACY' }, 'reconcile')),
    ]);
    // …which issues nothing and tells nobody again (the alarm still counts it).
    const { records } = await h.invoke(sqsEvent(sqsRecord(h.aws.queued[0].body)));
    expect(records[0]).toMatchObject({ outcome: 'skipped', reason: 'address-suppressed' });
    expect(publishes()).toHaveLength(1);
    expect(calls.create()).toBe(0);

    // The admins lift it: the next reconcile queues cy again, and the welcome goes out.
    h.aws.suppressed.delete('cy@example.com');
    h.aws.queued.length = 0;
    await h.invoke(reconcile());
    expect(h.aws.queued).toEqual([
      {
        queueUrl: WELCOME_QUEUE_URL,
        body: JSON.stringify(welcomeRequest({ userName: 'cy', userId: 'AIDACY' }, 'reconcile')),
      },
    ]);
    const served = await h.invoke(sqsEvent(sqsRecord(h.aws.queued[0].body)));
    expect(served.records[0]).toMatchObject({ outcome: 'welcomed' });
    expect(calls.send()).toBe(1);
    expect(tagOf(h.aws, 'cy', WELCOMED_TAG_KEY)).toBeDefined();
    remember(h);
  });
});

describe('an address not on the list', () => {
  it('is welcomed as before, after one question to SES', async () => {
    const h = setup();
    addManagedUser(h.aws, 'dee');
    h.aws.suppressed.set('someone.else@example.com', { reason: 'BOUNCE', since: SINCE });
    const { records } = await h.invoke(sqsEvent(createUserEvent({ userName: 'dee' })));
    expect(records[0]).toMatchObject({ outcome: 'welcomed' });
    expect(calls.asked()).toEqual([{ EmailAddress: 'dee@example.com' }]);
    expect(calls.create()).toBe(1);
    expect(calls.send()).toBe(1);
    expect(tagOf(h.aws, 'dee', WELCOMED_TAG_KEY)).toBeDefined();
    expect(logLines()).toContainEqual(
      expect.objectContaining({ step: 'check-suppression', outcome: 'not-suppressed' }),
    );
    remember(h);
  });
});

describe('when SES cannot say', () => {
  const meta = (httpStatusCode: number) => ({ httpStatusCode, requestId: 'req-fake' });
  const faults: [string, () => Error, string][] = [
    [
      'throttled past the client’s retries',
      () => new TooManyRequestsException({ message: 'Too many requests', $metadata: meta(429) }),
      'TooManyRequestsException',
    ],
    [
      'a server fault',
      () =>
        new SESv2ServiceException({
          name: 'InternalFailure',
          $fault: 'server',
          message: 'internal',
          $metadata: meta(500),
        }),
      'InternalFailure',
    ],
    [
      'refused to the role (an SCP, a stale role)',
      () =>
        new SESv2ServiceException({
          name: 'AccessDeniedException',
          $fault: 'client',
          message: 'not authorized to perform ses:GetSuppressedDestination',
          $metadata: meta(403),
        }),
      'AccessDeniedException',
    ],
    [
      'the account is suspended',
      () => new AccountSuspendedException({ message: 'suspended', $metadata: meta(400) }),
      'AccountSuspendedException',
    ],
  ];

  it.each(faults)(
    '%s: the record fails at check-suppression before anything is issued, and a redelivery welcomes',
    async (_label, fault, name) => {
      const h = setup();
      addManagedUser(h.aws, 'eve');
      let failing = true;
      h.aws.suppressionBehaviour = () => {
        if (failing) throw fault();
      };
      const event = sqsEvent(createUserEvent({ userName: 'eve' }));

      await expect(h.invoke(event)).rejects.toMatchObject({
        step: 'check-suppression',
        errorName: name,
      });
      expect(calls.create()).toBe(0);
      expect(calls.send()).toBe(0);
      expect(calls.tag()).toBe(0);
      expect(publishes()).toEqual([]);
      expect(h.aws.passwordsSeen).toEqual([]);

      // SQS delivers it again; SES answers now.
      failing = false;
      const { records } = await h.invoke(event);
      expect(records[0]).toMatchObject({ outcome: 'welcomed' });
      expect(calls.send()).toBe(1);
      remember(h);
    },
  );
});

describe('a resend to a suppressed address', () => {
  function welcomedUser(h: Harness, userName: string, signedIn: boolean): void {
    const user = addManagedUser(h.aws, userName);
    user.tags.push({ Key: WELCOMED_TAG_KEY, Value: new Date(h.clock.now - DAY).toISOString() });
    user.tags.push({ Key: SENT_TO_TAG_KEY, Value: `${userName}@example.com` });
    user.tags.push({ Key: RESEND_TAG_KEY, Value: '1' });
    h.aws.addProfile(userName, DAY, 'first-password-Aa1!');
    if (signedIn) user.passwordLastUsed = new Date(h.clock.now - DAY / 2);
  }
  /** The deploy role's TagUser raising the counter, a minute ago. */
  const raised = (h: Harness, userName: string) =>
    sqsEvent(
      tagUserEvent({
        userName,
        tags: [{ key: RESEND_TAG_KEY, value: '1' }],
        eventTime: h.ago(60_000),
      }),
    );

  it('keeps the old profile, issues and marks nothing, and says the reconcile serves it once lifted', async () => {
    const h = setup();
    welcomedUser(h, 'fay', false);
    h.aws.suppressed.set('fay@example.com', { reason: 'BOUNCE', since: SINCE });

    const { records } = await h.invoke(raised(h, 'fay'));

    expect(records[0]).toMatchObject({ outcome: 'skipped', reason: 'address-suppressed' });
    expect(calls.remove()).toBe(0);
    expect(calls.create()).toBe(0);
    expect(calls.send()).toBe(0);
    expect(tagOf(h.aws, 'fay', RESENT_TAG_KEY)).toBeUndefined();
    expect(h.aws.users.get('fay')?.profile?.password).toBe('first-password-Aa1!');
    const [notice] = publishes();
    expect(notice.Message).toContain('--email-address fay@example.com`');
    expect(notice.Message).toContain('The reconcile run then serves fay by itself');
    remember(h);
  });

  it('for a person who has signed in, the notice says to raise "resend" again (the reconcile holds such a resend)', async () => {
    const h = setup();
    welcomedUser(h, 'gil', true);
    h.aws.users.get('gil')!.tags.push({ Key: RESEND_AFTER_SIGN_IN_TAG_KEY, Value: 'true' });
    h.aws.suppressed.set('gil@example.com', { reason: 'COMPLAINT', since: SINCE });

    const event = tagUserEvent({
      userName: 'gil',
      tags: [{ key: RESEND_TAG_KEY, value: '1' }],
      eventTime: h.ago(60_000),
    });
    const { records } = await h.invoke(sqsEvent(event));

    expect(records[0]).toMatchObject({ outcome: 'skipped', reason: 'address-suppressed' });
    expect(calls.remove()).toBe(0);
    expect(publishes()[0].Message).toContain(
      'Then raise the "resend" counter of gil in users/users.json again.',
    );
    remember(h);
  });
});

describe('SES feedback: a bounce because the address is on the suppression list', () => {
  it('is told apart from an ordinary bounce, with the lift command', async () => {
    const h = setup();
    const event = {
      eventType: 'Bounce',
      bounce: {
        bounceType: 'Permanent',
        bounceSubType: 'OnAccountSuppressionList',
        bouncedRecipients: [
          {
            emailAddress: 'hal@example.com',
            diagnosticCode: 'Amazon SES did not send the message to this address',
          },
        ],
      },
      mail: {
        messageId: '0100018c-ses-message-id',
        destination: ['hal@example.com'],
        tags: { [SES_USER_TAG]: [encodeTagValue('hal')] },
      },
    };
    const result = await h.invokeSqs(sqsEvent(sqsRecord(event, { messageId: 'm-ses' })));
    expect(result.batchItemFailures).toEqual([]);

    const [notice] = publishes();
    expect(notice.Subject).toBe('[Example Corp] Welcome email to hal suppressed by SES');
    expect(notice.Message).toContain('never tried to deliver it');
    expect(notice.Message).toContain('This is not a new bounce.');
    expect(notice.Message).toContain(
      '`aws sesv2 delete-suppressed-destination --email-address hal@example.com`',
    );
    expect(notice.Message).not.toContain('bounced permanently');
    expect(logLines()).toContainEqual(
      expect.objectContaining({
        level: 'ERROR',
        message: 'welcome email problem',
        outcome: 'suppressed',
        bounceSubType: 'OnAccountSuppressionList',
      }),
    );
  });
});

describe('across every scenario above', () => {
  it('no log line carries any generated password', () => {
    expect(allPasswords.length).toBeGreaterThan(4);
    expect(allLines.length).toBeGreaterThan(50);
    expect(leaksOfAll(allPasswords, allLines)).toEqual([]);
  });

  it('every call they made, GetSuppressedDestination among them, is granted by the synthesized role', async () => {
    const grants = [...allGrants.values()];
    expect(grants).toContainEqual({ action: 'ses:GetSuppressedDestination', resource: '*' });
    const config = JSON.parse(synthStack(trailNoZone(), fixtureCode()).json) as RehearsalConfig;
    expect(await deniedCalls(config, grants)).toEqual([]);
  });
});
