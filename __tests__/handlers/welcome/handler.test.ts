/**
 * The welcome handler end to end in process: real SDK clients, intercepted by
 * aws-sdk-client-mock behind a stateful fake IAM + SES. Each scenario asserts
 * the calls made and the outcome; the last test runs them all again and checks
 * that no log line carries any password that was generated.
 */
import {
  CreateLoginProfileCommand,
  DeleteLoginProfileCommand,
  GetAccountPasswordPolicyCommand,
  GetLoginProfileCommand,
  GetUserCommand,
  ListAccountAliasesCommand,
  ListUserTagsCommand,
  TagUserCommand,
} from '@aws-sdk/client-iam';
import { SendEmailCommand } from '@aws-sdk/client-ses';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { DEFAULT_RETRY } from '../../../handlers/welcome/handler';
import { GRACE_PERIOD_MS, IN_FLIGHT_WINDOW_MS } from '../../../handlers/welcome/core/consistency';
import { RecordError } from '../../../handlers/welcome/core/errors';
import { PASSWORD_ALPHABET } from '../../../handlers/welcome/core/password';
import { WELCOMED_TAG_KEY } from '../../../handlers/welcome/core/policy';
import {
  EXPIRE_REQUEST,
  RECONCILE_REQUEST,
  SENT_TO_TAG_KEY,
  welcomeRequest,
} from '../../../shared/contract';
import { deniedCalls, type TfConfig as RehearsalConfig } from '../../../review/rehearsal';
import { MANAGED_USER_TAGS } from '../../../review/rehearsal/handler-calls';
import { fixtureCode, synthStack, trailNoZone } from '../../support/stack';
import {
  iamMock,
  noSuchEntity,
  satisfiesIamPolicy,
  sentTo,
  sesMock,
  sesv2Mock,
  sqsMock,
  sesRejected,
  sesThrottling,
  tagOf,
} from '../../support/fake-aws';
import {
  captureOutput,
  createUserEvent,
  lambdaContext,
  sqsEvent,
  sqsRecord,
  tagUserEvent,
  ACCOUNT_ID,
  WELCOME_QUEUE_URL,
} from '../../support/welcome-events';
import { type Grant, recordedGrants } from '../../support/grants';
import { addManagedUser, harness, type Harness } from '../../support/welcome-harness';
import { leaksOfAll } from '../../support/secret-leaks';

type Output = ReturnType<typeof captureOutput>;
let output: Output;
/** Lines before this index belong to earlier scenarios (when several run in one test). */
let scenarioStart = 0;

beforeEach(() => {
  output = captureOutput();
  scenarioStart = 0;
});
afterEach(() => {
  output.restore();
  iamMock.reset();
  sesMock.reset();
  sesv2Mock.reset();
  sqsMock.reset();
});

const calls = {
  getUser: () => iamMock.commandCalls(GetUserCommand).length,
  listTags: () => iamMock.commandCalls(ListUserTagsCommand).length,
  policy: () => iamMock.commandCalls(GetAccountPasswordPolicyCommand).length,
  aliases: () => iamMock.commandCalls(ListAccountAliasesCommand).length,
  create: () => iamMock.commandCalls(CreateLoginProfileCommand),
  delete: () => iamMock.commandCalls(DeleteLoginProfileCommand),
  getProfile: () => iamMock.commandCalls(GetLoginProfileCommand).length,
  tag: () => iamMock.commandCalls(TagUserCommand),
  send: () => sesMock.commandCalls(SendEmailCommand),
};

function expectNoAwsCalls(): void {
  expect(iamMock.calls()).toHaveLength(0);
  expect(sesMock.calls()).toHaveLength(0);
}

/** Parsed JSON log lines written during the current test. */
function logLines(): Record<string, unknown>[] {
  return output
    .lines()
    .slice(scenarioStart)
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

function expectSkipLogged(reason: string, userName?: string): void {
  const skip = logLines().find(
    (line) =>
      line.message === 'event skipped' &&
      line.reason === reason &&
      (userName === undefined || line.userName === userName),
  );
  expect(skip).toBeDefined();
}

/** The welcome-email invariant: one accepted email whose password is the profile's. */
function expectWelcomedOnce(h: Harness, userName: string, email: string): string {
  const user = h.aws.users.get(userName);
  expect(user?.profile?.passwordResetRequired).toBe(true);
  const password = user?.profile?.password ?? '';
  const emails = sentTo(h.aws, email);
  expect(emails).toHaveLength(1);
  expect(emails[0].input.Message?.Body?.Text?.Data).toContain(`Temporary password: ${password}`);
  return password;
}

/** The IDs SQS is told to deliver again. */
function failedIds(response: SQSBatchResponse): string[] {
  return response.batchItemFailures.map((f) => f.itemIdentifier);
}

/** The last outcome line ('event done' / 'event skipped' / 'event deferred' / 'event failed') for a user. */
function outcomeLine(userName: string): Record<string, unknown> | undefined {
  return logLines()
    .filter((line) => line.userName === userName && String(line.message).startsWith('event '))
    .at(-1);
}

const REPLACES_NOTICE = 'This email replaces any earlier welcome email';

/** Text body of the emails accepted for `address`, oldest first. */
function textsTo(h: Harness, address: string): string[] {
  return sentTo(h.aws, address).map((email) => email.input.Message?.Body?.Text?.Data ?? '');
}

function sesTimeoutAfterSending(h: Harness): (input: unknown, attempt: number) => void {
  return (input, attempt) => {
    if (attempt !== 1) return;
    // SES accepted and delivered the email, but the answer never came back.
    h.aws.sent.push({ input: input as never, messageId: 'msg-lost-answer' });
    throw Object.assign(new Error('Connection timed out after 10000 ms'), {
      name: 'TimeoutError',
    });
  };
}

type Scenario = (h: Harness) => Promise<void>;

/** Fake time for the token-bucket SES; the handler's waits move it forward. */
const clock = { now: 0 };

const scenarios: Record<string, { options?: Parameters<typeof harness>[0]; run: Scenario }> = {
  'expiry on: the email names when an unused password stops working, from the profile': {
    options: { env: { UNUSED_PASSWORD_DAYS: '7' } },
    run: async (h) => {
      addManagedUser(h.aws, 'ada.lovelace', { displayName: 'Ada Lovelace' });
      await h.invoke(sqsEvent(createUserEvent({ userName: 'ada.lovelace' })));
      const password = expectWelcomedOnce(h, 'ada.lovelace', 'ada.lovelace@example.com');
      expect(password).not.toBe('');
      const created = h.aws.users.get('ada.lovelace')?.profile?.createDate?.getTime() ?? NaN;
      const text = h.aws.sent[0].input.Message?.Body?.Text?.Data ?? '';
      const stated = /stops working on (\d+ \w+ \d{4}) at (\d\d:\d\d) UTC\./.exec(text);
      expect(stated?.slice(1)).toEqual(['8 January 2025', '12:00']);
      // Never later than the expiry run's own count from the profile's CreateDate.
      expect(Date.parse(`${stated?.[1]} ${stated?.[2]} UTC`)).toBeLessThanOrEqual(
        created + 7 * 86_400_000,
      );
      expect(text).toContain('After that, ask it-help@example.com for a new one.');
    },
  },
  'a rename (tag renamed-from): the email names the old user name, dead with its password and MFA':
    {
      run: async (h) => {
        const user = addManagedUser(h.aws, 'ada.king', { displayName: 'Ada King' });
        user.tags.push({ Key: 'renamed-from', Value: 'ada.lovelace' });
        await h.invoke(sqsEvent(createUserEvent({ userName: 'ada.king' })));
        expectWelcomedOnce(h, 'ada.king', 'ada.king@example.com');
        const message = h.aws.sent[0].input.Message;
        expect(message?.Subject?.Data).toBe('Your new user name for the Example Corp AWS account');
        for (const body of [message?.Body?.Text?.Data, message?.Body?.Html?.Data]) {
          expect(body).toContain('Your user name has changed from ada.lovelace to ada.king.');
          expect(body).toContain(
            'The old user name ada.lovelace, its password and any MFA device set up for it no longer work.',
          );
        }
      },
    },
  'a display name as long as the roster allows reaches the greeting whole': {
    run: async (h) => {
      const name = `Ada ${'Lovelace-Byron '.repeat(17)}`.slice(0, 256);
      addManagedUser(h.aws, 'ada.lovelace', { displayName: name });
      await h.invoke(sqsEvent(createUserEvent({ userName: 'ada.lovelace' })));
      expectWelcomedOnce(h, 'ada.lovelace', 'ada.lovelace@example.com');
      expect(h.aws.sent[0].input.Message?.Body?.Text?.Data).toContain(`Hello ${name.trim()},`);
    },
  },
  'expiry off, or a malformed limit the expiry run refuses: the email names no date': {
    options: { env: { UNUSED_PASSWORD_DAYS: '0' } },
    run: async (h) => {
      addManagedUser(h.aws, 'ada.lovelace');
      await h.invoke(sqsEvent(createUserEvent({ userName: 'ada.lovelace' })));
      expectWelcomedOnce(h, 'ada.lovelace', 'ada.lovelace@example.com');
      expect(h.aws.sent[0].input.Message?.Body?.Text?.Data).not.toContain('stops working on');
    },
  },
  'happy path: a managed user gets a login profile and one email': {
    run: async (h) => {
      addManagedUser(h.aws, 'ada.lovelace', { displayName: 'Ada Lovelace' });
      h.aws.accountAliases = ['example-corp'];
      const event = createUserEvent({ userName: 'ada.lovelace' });

      const summary = await h.invoke(sqsEvent(event));

      expect(summary.records).toEqual([
        {
          outcome: 'welcomed',
          eventId: event.id,
          userName: 'ada.lovelace',
          messageId: 'msg-1',
          replacesEarlier: false,
        },
      ]);
      expect(calls.getUser()).toBe(1);
      expect(calls.listTags()).toBe(3); // 4 tags, 2 per page
      expect(calls.policy()).toBe(1);
      expect(calls.aliases()).toBe(1);
      expect(calls.create()).toHaveLength(1);
      expect(calls.create()[0].args[0].input).toMatchObject({
        UserName: 'ada.lovelace',
        PasswordResetRequired: true,
      });
      expect(calls.delete()).toHaveLength(0);
      expect(calls.getProfile()).toBe(0);
      // After the send: tagged as welcomed, with the time of the send.
      expect(tagOf(h.aws, 'ada.lovelace', WELCOMED_TAG_KEY)).toBe(
        new Date(h.clock.now).toISOString(),
      );
      const iamCallOrder = iamMock.calls().map((c) => (c.args[0] as object).constructor.name);
      expect(iamCallOrder.at(-1)).toBe('TagUserCommand');
      const password = expectWelcomedOnce(h, 'ada.lovelace', 'ada.lovelace@example.com');
      expect(password.length).toBeGreaterThanOrEqual(20);
      expect(h.aws.sent[0].input.Message?.Body?.Text?.Data).not.toContain(REPLACES_NOTICE);
      const user = `arn:aws:iam::${ACCOUNT_ID}:user/iam-onboarding/ada.lovelace`;
      const tags = { ...MANAGED_USER_TAGS };
      expect(recordedGrants()).toEqual<Grant[]>([
        { action: 'iam:CreateLoginProfile', resource: user, context: tags },
        { action: 'iam:GetAccountPasswordPolicy', resource: '*' },
        { action: 'iam:GetUser', resource: user, context: tags },
        { action: 'iam:ListAccountAliases', resource: '*' },
        { action: 'iam:ListUserTags', resource: user, context: tags },
        {
          action: 'iam:TagUser',
          resource: user,
          context: {
            ...tags,
            'aws:TagKeys': [WELCOMED_TAG_KEY, SENT_TO_TAG_KEY],
            [`aws:RequestTag/${WELCOMED_TAG_KEY}`]: new Date(h.clock.now).toISOString(),
            // Where the email went: a later resend elsewhere tells this address.
            [`aws:RequestTag/${SENT_TO_TAG_KEY}`]: 'ada.lovelace@example.com',
          },
        },
        // Asked before the password was issued: the address is not suppressed.
        { action: 'ses:GetSuppressedDestination', resource: '*' },
        {
          action: 'ses:SendEmail',
          resource: `arn:aws:ses:us-east-1:${ACCOUNT_ID}:identity/example.com`,
          context: { 'ses:FromAddress': 'onboarding@example.com' },
        },
      ]);
      expect([...password].every((c) => PASSWORD_ALPHABET.includes(c))).toBe(true);

      const input = h.aws.sent[0].input;
      expect(input.Source).toBe('"Example IT" <onboarding@example.com>');
      expect(input.Destination).toEqual({ ToAddresses: ['ada.lovelace@example.com'] });
      expect(input.Message?.Subject?.Data).toBe('Your sign-in for the Example Corp AWS account');
      const text = input.Message?.Body?.Text?.Data;
      const html = input.Message?.Body?.Html?.Data;
      for (const body of [text, html]) {
        expect(body).toContain('https://example-corp.signin.aws.amazon.com/console');
        expect(body).toContain('ada.lovelace');
        expect(body).toContain('Ada Lovelace');
        expect(body).toContain('it-help@example.com');
        expect(body).toMatch(/new password the first time you sign in/);
      }
      expect(text).toContain(password);
      // Symbols such as & must be escaped in HTML, or the person copies the wrong password.
      expect(html).toContain(password.replace(/&/g, '&amp;'));
      const done = logLines().find((line) => line.message === 'event done');
      expect(done).toMatchObject({
        userName: 'ada.lovelace',
        eventId: event.id,
        outcome: 'welcomed',
      });
    },
  },

  'the same event twice: one profile, one email; the repeat is acknowledged': {
    run: async (h) => {
      addManagedUser(h.aws, 'grace');
      const event = sqsEvent(createUserEvent({ userName: 'grace' }));

      const first = await h.invoke(event);
      const second = await h.invoke(event);
      expect(first.records[0].outcome).toBe('welcomed');
      expect(second.records[0]).toMatchObject({ outcome: 'skipped', reason: 'already-welcomed' });
      // The welcomed tag answers before CreateLoginProfile is even tried.
      expect(calls.create()).toHaveLength(1);
      expectSkipLogged('already-welcomed', 'grace');

      // Two deliveries racing each other: one sends; the other finds a profile
      // seconds old and, unless the winner's tag is already visible, defers.
      addManagedUser(h.aws, 'alan');
      const raced = sqsEvent(createUserEvent({ userName: 'alan' }));
      const racing = await Promise.allSettled([h.invoke(raced), h.invoke(raced)]);
      const outcomes = racing.map((r) =>
        r.status === 'fulfilled'
          ? r.value.records[0].outcome
          : `${(r.reason as RecordError).errorName}${(r.reason as RecordError).deferred ? ' (deferred)' : ''}`,
      );
      expect(outcomes.filter((o) => o === 'welcomed')).toHaveLength(1);
      expect(outcomes.filter((o) => o !== 'welcomed')[0]).toMatch(
        /^(skipped|ProfileInFlight \(deferred\))$/,
      );
      // Lambda retries the deferred one later: by then the tag says it all.
      h.clock.now += 2 * 60_000;
      const later = await h.invoke(raced);
      expect(later.records[0]).toMatchObject({ outcome: 'skipped', reason: 'already-welcomed' });

      expect(calls.delete()).toHaveLength(0);
      expect(calls.send()).toHaveLength(2);
      expectWelcomedOnce(h, 'grace', 'grace@example.com');
      expectWelcomedOnce(h, 'alan', 'alan@example.com');
    },
  },

  'a failed CreateUser (detail.errorCode) leads to nothing: the rule forwards none, so it is unreadable':
    {
      run: async (h) => {
        addManagedUser(h.aws, 'mallory');
        const record = sqsRecord(
          createUserEvent({ userName: 'mallory', eventId: 'e-failed', errorCode: 'AccessDenied' }),
          { messageId: 'm-failed-call' },
        );
        expect(failedIds(await h.invokeSqs(sqsEvent(record)))).toEqual(['m-failed-call']);
        expectNoAwsCalls();
        const failed = logLines().find((line) => line.message === 'event failed');
        expect(failed).toMatchObject({ step: 'read-message', errorName: 'malformed-message' });
        expect(failed?.reason).toContain('detail.errorCode: invalid_type (expected undefined)');
        // Paths and codes only: nothing the event says reaches the log line.
        expect(JSON.stringify(failed)).not.toMatch(/AccessDenied|mallory/);
      },
    },

  'unmanaged users are skipped: wrong tag, other path': {
    run: async (h) => {
      h.aws.addUser({
        userName: 'console-made',
        userId: 'AIDACONSOLEMADE',
        path: '/iam-onboarding/',
        tags: [{ Key: 'email', Value: 'someone@example.com' }],
      });
      h.aws.addUser({
        userName: 'other-team',
        userId: 'AIDAOTHERTEAM',
        path: '/iam-onboarding/',
        tags: [
          { Key: 'managed-by', Value: 'terraform-other' },
          { Key: 'email', Value: 'other@example.com' },
        ],
      });
      addManagedUser(h.aws, 'elsewhere', { path: '/service/' });

      const tagged = await h.invoke(sqsEvent(createUserEvent({ userName: 'console-made' })));
      const otherOwner = await h.invoke(sqsEvent(createUserEvent({ userName: 'other-team' })));
      expect(tagged.records[0]).toMatchObject({ reason: 'not-managed-by-this-project' });
      expect(otherOwner.records[0]).toMatchObject({ reason: 'not-managed-by-this-project' });
      expect(calls.getUser()).toBe(2);

      // Created at another path: skipped before asking IAM (permissions are path-scoped).
      const pathed = await h.invoke(
        sqsEvent(createUserEvent({ userName: 'elsewhere', path: '/service/' })),
      );
      expect(pathed.records[0]).toMatchObject({ reason: 'not-managed-path' });
      expect(calls.getUser()).toBe(2);

      // The event claims the managed path, IAM says otherwise: IAM wins.
      const lying = await h.invoke(sqsEvent(createUserEvent({ userName: 'elsewhere' })));
      expect(lying.records[0]).toMatchObject({ reason: 'not-managed-path' });
      expect(calls.getUser()).toBe(3);

      expect(calls.create()).toHaveLength(0);
      expect(calls.send()).toHaveLength(0);
      expectSkipLogged('not-managed-by-this-project', 'console-made');
    },
  },

  'users without a valid email tag are skipped': {
    run: async (h) => {
      const bad: Record<string, string | null> = {
        'no-email': null,
        'not-an-email': 'ada at example dot com',
        'header-injection': 'victim@example.com\r\nBcc: attacker@evil.example',
        'two-addresses': 'a@example.com, b@example.com',
        'display-form': 'Ada <ada@example.com>',
      };
      for (const [userName, email] of Object.entries(bad)) {
        addManagedUser(h.aws, userName, { email });
        const summary = await h.invoke(sqsEvent(createUserEvent({ userName })));
        expect(summary.records[0]).toMatchObject({
          outcome: 'skipped',
          reason: 'missing-or-invalid-email-tag',
          userName,
        });
      }
      expect(calls.listTags()).toBeGreaterThanOrEqual(Object.keys(bad).length);
      expect(calls.create()).toHaveLength(0);
      expect(calls.send()).toHaveLength(0);
      expectSkipLogged('missing-or-invalid-email-tag', 'header-injection');
    },
  },

  'a user deleted before the function runs is a logged skip': {
    run: async (h) => {
      const summary = await h.invoke(sqsEvent(createUserEvent({ userName: 'gone' })));
      expect(summary.records[0]).toMatchObject({ outcome: 'skipped', reason: 'user-deleted' });
      expect(calls.getUser()).toBe(1);
      expect(calls.create()).toHaveLength(0);
      expect(calls.send()).toHaveLength(0);
      expectSkipLogged('user-deleted', 'gone');

      // Deleted between the checks and CreateLoginProfile.
      addManagedUser(h.aws, 'racing');
      iamMock.on(CreateLoginProfileCommand).rejects(noSuchEntity('The user with name racing'));
      const late = await h.invoke(sqsEvent(createUserEvent({ userName: 'racing' })));
      expect(late.records[0]).toMatchObject({ outcome: 'skipped', reason: 'user-deleted' });
      expect(calls.send()).toHaveLength(0);

      // Deleted and created again under the same name: the old event is not for this user.
      addManagedUser(h.aws, 'reborn', { userId: 'AIDANEWIDENTITY' });
      const stale = await h.invoke(
        sqsEvent(createUserEvent({ userName: 'reborn', userId: 'AIDAOLDIDENTITY' })),
      );
      expect(stale.records[0]).toMatchObject({ reason: 'user-replaced' });
      expect(calls.send()).toHaveLength(0);
    },
  },

  'no password policy: the password meets IAM default rules': {
    run: async (h) => {
      addManagedUser(h.aws, 'nopolicy');
      h.aws.passwordPolicy = undefined;
      await h.invoke(sqsEvent(createUserEvent({ userName: 'nopolicy' })));
      expect(calls.policy()).toBe(1);
      const password = expectWelcomedOnce(h, 'nopolicy', 'nopolicy@example.com');
      expect(satisfiesIamPolicy(password, undefined)).toBe(true);
      expect(password).toHaveLength(20);
      const policyLine = logLines().find((line) => line.step === 'get-password-policy');
      expect(policyLine?.outcome).toBe('iam-default');
    },
  },

  'a strict password policy is met (length 72, every class)': {
    run: async (h) => {
      addManagedUser(h.aws, 'strict');
      h.aws.passwordPolicy = {
        MinimumPasswordLength: 72,
        RequireSymbols: true,
        RequireNumbers: true,
        RequireUppercaseCharacters: true,
        RequireLowercaseCharacters: true,
        AllowUsersToChangePassword: true,
        ExpirePasswords: true,
        MaxPasswordAge: 90,
        PasswordReusePrevention: 24,
        HardExpiry: false,
      };
      await h.invoke(sqsEvent(createUserEvent({ userName: 'strict' })));
      const password = expectWelcomedOnce(h, 'strict', 'strict@example.com');
      expect(password).toHaveLength(72);
      expect(satisfiesIamPolicy(password, h.aws.passwordPolicy)).toBe(true);
    },
  },

  'SES rejects the message: the profile is removed again, the error raised, a retry sends': {
    run: async (h) => {
      addManagedUser(h.aws, 'rejected');
      h.aws.sesBehaviour = () => {
        throw sesRejected();
      };
      const event = sqsEvent(createUserEvent({ userName: 'rejected', eventId: 'evt-rejected' }));

      const error: unknown = await h.invoke(event).then(
        () => undefined,
        (e: unknown) => e,
      );

      expect(error).toBeInstanceOf(RecordError);
      const welcomeError = error as RecordError;
      expect(welcomeError).toMatchObject({
        name: 'RecordError',
        step: 'send-email',
        errorName: 'MessageRejected',
        userName: 'rejected',
        eventId: 'evt-rejected',
      });
      expect(welcomeError.message).toContain('rejected');
      expect(welcomeError.message).toContain('evt-rejected');
      expect(welcomeError.cause).toBeUndefined();
      const password = calls.create()[0].args[0].input.Password ?? '';
      expect(password).not.toBe('');
      const serialised = JSON.stringify({ ...welcomeError, message: welcomeError.message });
      expect(`${serialised} ${welcomeError.stack ?? ''}`).not.toContain(password);

      expect(calls.send()).toHaveLength(1);
      expect(calls.delete()).toHaveLength(1);
      expect(h.aws.users.get('rejected')?.profile).toBeUndefined();
      expect(h.aws.sent).toHaveLength(0);

      // Lambda's retry, once SES accepts again, does both steps.
      h.aws.sesBehaviour = () => undefined;
      const retried = await h.invoke(event);
      expect(retried.records[0].outcome).toBe('welcomed');
      const newPassword = expectWelcomedOnce(h, 'rejected', 'rejected@example.com');
      expect(newPassword).not.toBe(password);
    },
  },

  'SES throttling, then success: retried with bounded jittered back-off': {
    run: async (h) => {
      addManagedUser(h.aws, 'throttled');
      h.aws.sesBehaviour = (_input, attempt) => {
        if (attempt <= 3) throw sesThrottling();
      };
      const summary = await h.invoke(sqsEvent(createUserEvent({ userName: 'throttled' })));
      expect(summary.records[0].outcome).toBe('welcomed');
      expect(calls.send()).toHaveLength(4);
      expect(calls.delete()).toHaveLength(0);
      expect(calls.create()).toHaveLength(1);
      expectWelcomedOnce(h, 'throttled', 'throttled@example.com');
      expect(h.sleeps).toHaveLength(3);
      h.sleeps.forEach((ms, i) => {
        expect(ms).toBeGreaterThanOrEqual(0);
        expect(ms).toBeLessThanOrEqual(DEFAULT_RETRY.baseDelayMs * 2 ** i);
      });
      expect(logLines().filter((line) => line.outcome === 'throttled')).toHaveLength(3);
    },
  },

  'SES throttling that does not end: bounded, then rolled back and raised': {
    run: async (h) => {
      addManagedUser(h.aws, 'always-throttled');
      h.aws.sesBehaviour = () => {
        throw sesThrottling();
      };
      await expect(
        h.invoke(sqsEvent(createUserEvent({ userName: 'always-throttled' }))),
      ).rejects.toMatchObject({ step: 'send-email', errorName: 'Throttling' });
      expect(calls.send()).toHaveLength(DEFAULT_RETRY.maxAttempts);
      expect(h.sleeps).toHaveLength(DEFAULT_RETRY.maxAttempts - 1);
      expect(calls.delete()).toHaveLength(1);
      expect(h.aws.users.get('always-throttled')?.profile).toBeUndefined();

      // Little time left: no waiting into the reserve kept for the rollback.
      iamMock.resetHistory();
      sesMock.resetHistory();
      h.sleeps.length = 0;
      await expect(
        h.invoke(
          sqsEvent(createUserEvent({ userName: 'always-throttled' })),
          lambdaContext(DEFAULT_RETRY.reserveMs),
        ),
      ).rejects.toMatchObject({ step: 'send-email' });
      expect(calls.send()).toHaveLength(1);
      expect(h.sleeps).toHaveLength(0);
      expect(calls.delete()).toHaveLength(1);
    },
  },

  'a message that asks for nothing is acknowledged; a body no writer sends fails, for the dead-letter queue':
    {
      run: async (h) => {
        addManagedUser(h.aws, 'ada');
        const asksNothing = [
          sqsEvent(tagUserEvent({ userName: 'ada', tags: [{ key: 'team', value: 'x' }] })),
          sqsEvent(
            sqsRecord('Successfully validated SNS topic for Amazon SES event publishing.', {
              inNotification: true,
            }),
          ),
        ];
        const reasons: string[] = [];
        for (const event of asksNothing) {
          const summary = await h.invoke(event);
          expect(summary.records).toHaveLength(1);
          expect(summary.records[0].outcome).toBe('skipped');
          reasons.push((summary.records[0] as { reason: string }).reason);
        }
        expect(reasons).toEqual(['not-a-resend-tag-change', 'ses-event-ignored']);
        // Events the user-events rule keeps out are unreadable like garbage: no writer sends them.
        const unreadable = [
          'this is not json',
          '{"version":"0"}',
          JSON.stringify([1, 2, 3]),
          JSON.stringify({ ...createUserEvent({ userName: 'ada' }), detail: 'oops' }),
          JSON.stringify({ ...createUserEvent({ userName: 'ada' }), source: 'aws.s3' }),
          JSON.stringify(createUserEvent({ userName: 'ada', eventName: 'DeleteUser' })),
        ].map((message, i) => ({
          record: sqsRecord(message, { messageId: `m-bad-${i}`, inNotification: true }),
          reason: 'malformed-message',
        }));
        unreadable.push({
          record: sqsRecord(JSON.stringify({ 'iam-onboarding': 'welcome', userName: 'ada' }), {
            messageId: 'm-request',
          }),
          reason: 'malformed-request',
        });
        unreadable.push({
          record: sqsRecord('not a notification', { messageId: 'm-body' }),
          reason: 'malformed-sns-notification',
        });
        for (const { record, reason } of unreadable) {
          const response = await h.invokeSqs(sqsEvent(record));
          expect(failedIds(response)).toEqual([record.messageId]);
          await expect(h.invoke(sqsEvent(record))).rejects.toMatchObject({
            step: 'read-message',
            errorName: reason,
          });
        }
        expect(
          logLines()
            .filter((line) => line.message === 'event failed')
            .map((line) => line.errorName),
        ).toEqual(unreadable.flatMap(({ reason }) => [reason, reason]));
        // An invocation that is no SQS event at all is refused as a whole, and no record runs.
        for (const event of [undefined, {}]) {
          await expect(h.invokeSqs(event)).rejects.toThrow(/^not an SQS event/);
        }
        expect(await h.invoke({ Records: [] })).toEqual({ records: [] });
        expectNoAwsCalls();
        expect(logLines().filter((line) => line.message === 'event skipped')).toHaveLength(
          asksNothing.length,
        );
      },
    },

  'many users at once against a throttling SES: each gets exactly one email': {
    options: {
      onSleep: (ms) => {
        clock.now += ms;
      },
    },
    run: async (h) => {
      // SES as a token bucket: 2 messages a second, no burst, on a fake clock
      // that the handler's waits move forward.
      clock.now = 0;
      let tokens = 1;
      let refilledAt = 0;
      let throttled = 0;
      h.aws.sesBehaviour = () => {
        tokens = Math.min(1, tokens + ((clock.now - refilledAt) * 2) / 1000);
        refilledAt = clock.now;
        if (tokens < 1) {
          throttled += 1;
          throw sesThrottling();
        }
        tokens -= 1;
      };
      const names = Array.from({ length: 24 }, (_, i) => `user${String(i).padStart(2, '0')}`);
      names.forEach((name) => addManagedUser(h.aws, name));
      const events = names.map((name) => sqsEvent(createUserEvent({ userName: name })));

      // SQS delivers a failed record again (here: up to twice more).
      const runWithLambdaRetries = async (event: unknown): Promise<string> => {
        for (let attempt = 1; ; attempt += 1) {
          try {
            const summary = await h.invoke(event);
            return summary.records[0].outcome;
          } catch (error) {
            if (attempt === 3) throw error;
          }
        }
      };
      const outcomes = await Promise.all(events.map(runWithLambdaRetries));

      expect(throttled).toBeGreaterThan(names.length);
      expect(outcomes.every((o) => o === 'welcomed')).toBe(true);
      expect(h.aws.sent).toHaveLength(names.length);
      for (const name of names) expectWelcomedOnce(h, name, `${name}@example.com`);
    },
  },

  'sign-in address: ACCOUNT_ALIAS wins; without any alias, the account ID': {
    options: { env: { ACCOUNT_ALIAS: 'configured-alias' } },
    run: async (h) => {
      addManagedUser(h.aws, 'aliased');
      h.aws.accountAliases = ['iam-alias'];
      await h.invoke(sqsEvent(createUserEvent({ userName: 'aliased' })));
      expect(calls.aliases()).toBe(0);
      expect(h.aws.sent[0].input.Message?.Body?.Text?.Data).toContain(
        'https://configured-alias.signin.aws.amazon.com/console',
      );
    },
  },

  'SQS: a batch reports the record that can succeed later and the unreadable one; skips are acknowledged':
    {
      run: async (h) => {
        addManagedUser(h.aws, 'sqs-ok');
        addManagedUser(h.aws, 'sqs-rejected');
        h.aws.sesBehaviour = (input) => {
          if (input.Destination?.ToAddresses?.[0] === 'sqs-rejected@example.com')
            throw sesRejected();
        };
        const ok = sqsRecord(createUserEvent({ userName: 'sqs-ok' }), { messageId: 'm-ok' });
        const rejected = createUserEvent({ userName: 'sqs-rejected' });
        const batch = sqsEvent(
          ok,
          sqsRecord('not json', { messageId: 'm-garbage' }),
          sqsRecord(tagUserEvent({ userName: 'sqs-other', tags: [{ key: 'team', value: 'x' }] }), {
            messageId: 'm-other-tags',
          }),
          sqsRecord(rejected, { messageId: 'm-rejected' }),
        );

        const response = await h.invokeSqs(batch);

        // The body no writer sends fails too: the dead-letter queue keeps it.
        expect(failedIds(response)).toEqual(['m-garbage', 'm-rejected']);
        expectWelcomedOnce(h, 'sqs-ok', 'sqs-ok@example.com');
        expect(h.aws.users.get('sqs-rejected')?.profile).toBeUndefined();
        expect(outcomeLine('sqs-ok')).toMatchObject({
          message: 'event done',
          sqsMessageId: 'm-ok',
          receiveCount: 1,
        });
        expect(outcomeLine('sqs-rejected')).toMatchObject({
          message: 'event failed',
          level: 'ERROR',
          sqsMessageId: 'm-rejected',
          step: 'send-email',
          errorName: 'MessageRejected',
        });
        const skips = logLines().filter((line) => line.message === 'event skipped');
        expect(skips.map((line) => [line.sqsMessageId, line.reason])).toEqual([
          ['m-other-tags', 'not-a-resend-tag-change'],
        ]);

        // SQS delivers the failed record again; SES accepts now. SES refused
        // the first email, so nothing went out: this one replaces nothing and
        // does not say so, though it is a second receive (issue 21).
        h.aws.sesBehaviour = () => undefined;
        const again = await h.invokeSqs(
          sqsEvent(sqsRecord(rejected, { messageId: 'm-rejected', receiveCount: 2 })),
        );
        expect(failedIds(again)).toEqual([]);
        expectWelcomedOnce(h, 'sqs-rejected', 'sqs-rejected@example.com');
        expect(textsTo(h, 'sqs-rejected@example.com')[0]).not.toContain(REPLACES_NOTICE);
        expect(outcomeLine('sqs-rejected')).toMatchObject({
          message: 'event done',
          receiveCount: 2,
          replacesEarlier: false,
        });
      },
    },

  'SQS: a record without its ID fails its batch (a failure naming no record): nothing sent, nothing acknowledged':
    {
      run: async (h) => {
        addManagedUser(h.aws, 'nameless');
        const { messageId: _unnamed, ...nameless } = sqsRecord(
          createUserEvent({ userName: 'nameless' }),
        );
        const response = await h.invokeSqs(sqsEvent(nameless));
        // Lambda fails the whole batch for a failure without an ID; SQS delivers it again.
        expect(response.batchItemFailures).toHaveLength(1);
        expect(response.batchItemFailures[0].itemIdentifier ?? '').toBe('');
        expect(h.aws.sent).toHaveLength(0);
        expect(h.aws.users.get('nameless')?.profile).toBeUndefined();
        expect(logLines().find((line) => line.message === 'event failed')).toMatchObject({
          level: 'ERROR',
          step: 'read-message',
          errorName: 'malformed-sqs-record',
        });
      },
    },

  'SES times out after sending: the redelivery sends a second email that says it replaces the first':
    {
      run: async (h) => {
        addManagedUser(h.aws, 'lost-answer');
        h.aws.sesBehaviour = sesTimeoutAfterSending(h);
        const event = createUserEvent({ userName: 'lost-answer' });
        const record = sqsRecord(event);

        const first = await h.invokeSqs(sqsEvent(record));
        expect(failedIds(first)).toEqual([record.messageId]);
        // Rolled back: the password in the email that did go out no longer works.
        expect(h.aws.users.get('lost-answer')?.profile).toBeUndefined();
        expect(textsTo(h, 'lost-answer@example.com')[0]).not.toContain(REPLACES_NOTICE);

        // The same message, received a second time after the visibility timeout.
        h.clock.now += 6 * 60_000;
        const second = await h.invokeSqs(sqsEvent(sqsRecord(event, { receiveCount: 2 })));
        expect(failedIds(second)).toEqual([]);
        const texts = textsTo(h, 'lost-answer@example.com');
        expect(texts).toHaveLength(2);
        const profile = h.aws.users.get('lost-answer')?.profile;
        expect(texts[1]).toContain(REPLACES_NOTICE);
        expect(texts[1]).toContain(`Temporary password: ${profile?.password}`);
        expect(texts[0]).not.toContain(`Temporary password: ${profile?.password}`);
        expect(tagOf(h.aws, 'lost-answer', WELCOMED_TAG_KEY)).toBeDefined();
      },
    },

  'IAM not consistent yet: a user that shows up after an in-process retry is welcomed': {
    run: async (h) => {
      addManagedUser(h.aws, 'slow-user').lag = { user: 2, tags: 1, create: 1 };
      const event = createUserEvent({ userName: 'slow-user', eventTime: h.ago(30_000) });

      const response = await h.invokeSqs(sqsEvent(event));

      expect(failedIds(response)).toEqual([]);
      expectWelcomedOnce(h, 'slow-user', 'slow-user@example.com');
      expect(calls.getUser()).toBe(3);
      expect(calls.create()).toHaveLength(2);
      const waits = logLines().filter((line) => line.outcome === 'not-visible');
      expect(waits.map((line) => line.step)).toEqual([
        'get-user',
        'get-user',
        'list-user-tags',
        'create-login-profile',
      ]);
      // Equal jitter, bounded: never a near-zero wait, never over the ceiling.
      expect(h.sleeps).toHaveLength(4);
      expect(h.sleeps.every((ms) => ms >= 250 && ms <= 2_000)).toBe(true);
      expect(h.sleeps.reduce((a, b) => a + b, 0)).toBeLessThan(5_000);
    },
  },

  'IAM not consistent yet: still invisible inside the grace period fails the record, after it skips':
    {
      run: async (h) => {
        // Never visible in this test: IAM lags, or the user really is gone.
        h.aws.addUser({
          userName: 'phantom',
          userId: 'AIDAPHANTOM',
          path: '/iam-onboarding/',
        }).lag = { user: 1_000 };
        const event = createUserEvent({ userName: 'phantom', eventTime: h.ago(60_000) });
        const first = await h.invokeSqs(sqsEvent(sqsRecord(event, { messageId: 'm-phantom' })));
        expect(failedIds(first)).toEqual(['m-phantom']);
        expect(outcomeLine('phantom')).toMatchObject({
          message: 'event deferred',
          level: 'WARN',
          outcome: 'deferred',
          step: 'get-user',
          errorName: 'NotVisibleYet',
        });
        expect(logLines().some((line) => line.message === 'event skipped')).toBe(false);
        expect(calls.getUser()).toBe(4);
        expect(calls.create()).toHaveLength(0);

        // Receives at about 6 and 12 minutes are inside the grace: failed again.
        h.clock.now += 6 * 60_000;
        const second = await h.invokeSqs(
          sqsEvent(sqsRecord(event, { messageId: 'm-phantom', receiveCount: 2 })),
        );
        expect(failedIds(second)).toEqual(['m-phantom']);

        // The 4th receive, past the grace: IAM's answer is final, a logged skip.
        h.clock.now = Date.parse(String(event.time)) + GRACE_PERIOD_MS + 3 * 60_000;
        iamMock.resetHistory();
        h.sleeps.length = 0;
        const late = await h.invokeSqs(
          sqsEvent(sqsRecord(event, { messageId: 'm-phantom', receiveCount: 4 })),
        );
        expect(failedIds(late)).toEqual([]);
        expect(outcomeLine('phantom')).toMatchObject({
          message: 'event skipped',
          reason: 'user-deleted',
          receiveCount: 4,
        });
        expect(h.sleeps).toEqual([]);
        expect(calls.getUser()).toBe(1);
      },
    },

  'a user deleted long ago (old event time) is a logged skip at once, from SQS too': {
    run: async (h) => {
      const response = await h.invokeSqs(sqsEvent(createUserEvent({ userName: 'long-gone' })));
      expect(failedIds(response)).toEqual([]);
      expectSkipLogged('user-deleted', 'long-gone');
      expect(h.sleeps).toEqual([]);
      expect(calls.getUser()).toBe(1);
    },
  },

  'managed-by tag not visible yet: failed inside the grace period, skipped after it': {
    run: async (h) => {
      addManagedUser(h.aws, 'untagged-yet').lag = { tags: 1_000 };
      const event = createUserEvent({ userName: 'untagged-yet', eventTime: h.ago(2 * 60_000) });
      const inside = await h.invokeSqs(sqsEvent(event));
      expect(failedIds(inside)).toHaveLength(1);
      expect(outcomeLine('untagged-yet')).toMatchObject({
        message: 'event deferred',
        step: 'list-user-tags',
        errorName: 'NotVisibleYet',
      });
      expect(calls.create()).toHaveLength(0);

      h.clock.now += GRACE_PERIOD_MS;
      const after = await h.invokeSqs(sqsEvent(event));
      expect(failedIds(after)).toEqual([]);
      expectSkipLogged('not-managed-by-this-project', 'untagged-yet');
      expect(calls.create()).toHaveLength(0);
      expect(calls.send()).toHaveLength(0);

      // A managed-by tag with another value is an answer, not lag: skipped at once.
      h.aws.addUser({
        userName: 'theirs',
        userId: 'AIDATHEIRS',
        path: '/iam-onboarding/',
        tags: [
          { Key: 'managed-by', Value: 'terraform-other' },
          { Key: 'email', Value: 'theirs@example.com' },
        ],
      });
      const theirs = await h.invokeSqs(
        sqsEvent(createUserEvent({ userName: 'theirs', eventTime: h.ago(10_000) })),
      );
      expect(failedIds(theirs)).toEqual([]);
      expectSkipLogged('not-managed-by-this-project', 'theirs');
    },
  },

  'a profile without the welcomed tag: signed in -> tagged and skipped; young -> deferred; old -> replaced':
    {
      run: async (h) => {
        // Welcomed by an earlier version (no tag), and the person has signed in.
        addManagedUser(h.aws, 'veteran').passwordLastUsed = new Date(h.clock.now - 86_400_000);
        const old = h.aws.addProfile('veteran', 30 * 86_400_000, 'their-own-password');
        const veteran = await h.invokeSqs(sqsEvent(createUserEvent({ userName: 'veteran' })));
        expect(failedIds(veteran)).toEqual([]);
        expectSkipLogged('already-welcomed', 'veteran');
        expect(tagOf(h.aws, 'veteran', WELCOMED_TAG_KEY)).toBe(old.createDate.toISOString());
        expect(h.aws.users.get('veteran')?.profile).toBe(old);
        expect(calls.delete()).toHaveLength(0);

        // Created 40 s ago, never used, no tag: another delivery may be sending.
        addManagedUser(h.aws, 'in-flight');
        const young = h.aws.addProfile('in-flight', 40_000);
        const event = createUserEvent({ userName: 'in-flight' });
        const deferredNow = await h.invokeSqs(sqsEvent(event));
        expect(failedIds(deferredNow)).toHaveLength(1);
        expect(outcomeLine('in-flight')).toMatchObject({
          message: 'event deferred',
          step: 'check-existing-profile',
          errorName: 'ProfileInFlight',
        });
        expect(h.aws.users.get('in-flight')?.profile).toBe(young);

        // Delivered again past the in-flight window, still no tag, never used:
        // nobody has that password. Replaced, and the email says so.
        h.clock.now += IN_FLIGHT_WINDOW_MS + 60_000;
        const replaced = await h.invokeSqs(sqsEvent(sqsRecord(event, { receiveCount: 2 })));
        expect(failedIds(replaced)).toEqual([]);
        expect(h.aws.users.get('in-flight')?.profile).not.toBe(young);
        expectWelcomedOnce(h, 'in-flight', 'in-flight@example.com');
        expect(textsTo(h, 'in-flight@example.com')[0]).toContain(REPLACES_NOTICE);
        expect(
          logLines().some((line) => line.message === 'orphaned login profile, replacing it'),
        ).toBe(true);
        expect(tagOf(h.aws, 'in-flight', WELCOMED_TAG_KEY)).toBe(
          new Date(h.clock.now).toISOString(),
        );

        // An orphan found on a first delivery also gets the notice.
        addManagedUser(h.aws, 'orphan');
        h.aws.addProfile('orphan', 2 * 60 * 60_000);
        await h.invokeSqs(sqsEvent(createUserEvent({ userName: 'orphan' })));
        expectWelcomedOnce(h, 'orphan', 'orphan@example.com');
        expect(textsTo(h, 'orphan@example.com')[0]).toContain(REPLACES_NOTICE);
        expect(calls.send()).toHaveLength(2);
      },
    },

  'a rollback refused with EntityTemporarilyUnmodifiable is retried, and if it stays refused the profile is replaced later':
    {
      run: async (h) => {
        addManagedUser(h.aws, 'sticky');
        h.aws.sesBehaviour = () => {
          throw sesRejected();
        };
        // Refused twice, then accepted: the rollback succeeds within the invocation.
        h.aws.deleteRefusals = 2;
        const record = sqsRecord(createUserEvent({ userName: 'sticky' }), {
          messageId: 'm-sticky',
        });
        const first = await h.invokeSqs(sqsEvent(record));
        expect(failedIds(first)).toEqual(['m-sticky']);
        expect(calls.delete()).toHaveLength(3);
        expect(h.aws.users.get('sticky')?.profile).toBeUndefined();
        expect(logLines().filter((l) => l.outcome === 'temporarily-refused')).toHaveLength(2);

        // Refused for longer than the invocation can wait: the profile stays,
        // the record fails (not a skip, and not "already welcomed" later).
        iamMock.resetHistory();
        h.aws.deleteRefusals = 1_000;
        const stuck = await h.invokeSqs(
          sqsEvent({ ...record, attributes: { ApproximateReceiveCount: '2' } }),
        );
        expect(failedIds(stuck)).toEqual(['m-sticky']);
        expect(calls.delete()).toHaveLength(5);
        expect(h.aws.users.get('sticky')?.profile).toBeDefined();
        expect(outcomeLine('sticky')).toMatchObject({
          message: 'event failed',
          step: 'delete-login-profile',
          errorName: 'EntityTemporarilyUnmodifiableException',
        });

        // Next receive, moments later: a young profile without the tag: deferred.
        h.aws.deleteRefusals = 0;
        h.aws.sesBehaviour = () => undefined;
        h.clock.now += 30_000;
        const soon = await h.invokeSqs(
          sqsEvent({ ...record, attributes: { ApproximateReceiveCount: '3' } }),
        );
        expect(failedIds(soon)).toEqual(['m-sticky']);
        expect(calls.send()).toHaveLength(2); // both rejected attempts, nothing new

        // The receive after the visibility timeout replaces it and welcomes.
        h.clock.now += 6 * 60_000;
        const later = await h.invokeSqs(
          sqsEvent({ ...record, attributes: { ApproximateReceiveCount: '4' } }),
        );
        expect(failedIds(later)).toEqual([]);
        expectWelcomedOnce(h, 'sticky', 'sticky@example.com');
        expect(textsTo(h, 'sticky@example.com')[0]).toContain(REPLACES_NOTICE);
      },
    },

  'TagUser fails after the email went out: logged as an error, the record is not failed': {
    run: async (h) => {
      addManagedUser(h.aws, 'untaggable');
      iamMock.on(TagUserCommand).rejects(
        Object.assign(new Error('Rate exceeded'), {
          name: 'Throttling',
          $metadata: { httpStatusCode: 400 },
        }),
      );
      const event = createUserEvent({ userName: 'untaggable' });
      const response = await h.invokeSqs(sqsEvent(event));

      expect(failedIds(response)).toEqual([]);
      const password = expectWelcomedOnce(h, 'untaggable', 'untaggable@example.com');
      expect(tagOf(h.aws, 'untaggable', WELCOMED_TAG_KEY)).toBeUndefined();
      const tagError = logLines().find((line) => line.message === 'welcomed tag not written');
      expect(tagError).toMatchObject({ level: 'ERROR', step: 'tag-user', userName: 'untaggable' });
      expect(String(tagError?.action)).toContain(
        `aws iam tag-user --user-name untaggable --tags Key=${WELCOMED_TAG_KEY},Value=`,
      );
      expect(outcomeLine('untaggable')).toMatchObject({ message: 'event done' });

      // A duplicate delivery after the person signed in: recognised, tagged, no new email.
      h.aws.install();
      const user = h.aws.users.get('untaggable');
      if (user) user.passwordLastUsed = new Date(h.clock.now);
      h.clock.now += 20 * 60_000;
      const duplicate = await h.invokeSqs(sqsEvent(event));
      expect(failedIds(duplicate)).toEqual([]);
      expectSkipLogged('already-welcomed', 'untaggable');
      expect(h.aws.users.get('untaggable')?.profile?.password).toBe(password);
      expect(tagOf(h.aws, 'untaggable', WELCOMED_TAG_KEY)).toBeDefined();
      expect(calls.send()).toHaveLength(1);
    },
  },

  'SQS: every record of a batch runs, in order; only the unreadable one fails': {
    run: async (h) => {
      for (const name of ['early', 'late-1', 'late-2']) addManagedUser(h.aws, name);
      const batch = sqsEvent(
        sqsRecord(createUserEvent({ userName: 'early' }), { messageId: 'm-early' }),
        sqsRecord(createUserEvent({ userName: 'late-1' }), { messageId: 'm-late-1' }),
        sqsRecord('garbage', { messageId: 'm-garbage' }),
        sqsRecord(createUserEvent({ userName: 'late-2' }), { messageId: 'm-late-2' }),
      );
      const response = await h.invokeSqs(batch);
      expect(failedIds(response)).toEqual(['m-garbage']);
      for (const name of ['early', 'late-1', 'late-2']) {
        expectWelcomedOnce(h, name, `${name}@example.com`);
      }
      expect(h.aws.sent.map((s) => s.input.Destination?.ToAddresses?.[0])).toEqual([
        'early@example.com',
        'late-1@example.com',
        'late-2@example.com',
      ]);
      expect(logLines().find((line) => line.message === 'event failed')).toMatchObject({
        step: 'read-message',
        errorName: 'malformed-sns-notification',
        sqsMessageId: 'm-garbage',
      });
    },
  },
  'reconcile request: queues a welcome for each managed user never welcomed, nobody else': {
    run: async (h) => {
      const never = addManagedUser(h.aws, 'never');
      addManagedUser(h.aws, 'done').tags.push({
        Key: WELCOMED_TAG_KEY,
        Value: '2025-01-01T10:00:05.000Z',
      });
      addManagedUser(h.aws, 'signed').passwordLastUsed = new Date('2025-01-02T09:00:00Z');
      addManagedUser(h.aws, 'fresh').createDate = new Date(h.ago(60_000));
      addManagedUser(h.aws, 'elsewhere', { path: '/other/' });

      const response = await h.invokeSqs(
        sqsEvent(sqsRecord(JSON.stringify(RECONCILE_REQUEST), { messageId: 'm-rec' })),
      );

      expect(failedIds(response)).toEqual([]);
      expect(h.aws.queued).toEqual([
        {
          queueUrl: WELCOME_QUEUE_URL,
          body: JSON.stringify(welcomeRequest(never, 'reconcile')),
        },
      ]);
      // Reconciling only queues: no profile, no email in this run.
      expect(calls.create()).toHaveLength(0);
      expect(calls.send()).toHaveLength(0);
    },
  },

  'welcome request: the queued welcome takes the exactly-once path, twice sends once': {
    run: async (h) => {
      const late = addManagedUser(h.aws, 'late');
      const request = JSON.stringify(welcomeRequest(late, 'reconcile'));
      const first = await h.invokeSqs(sqsEvent(sqsRecord(request, { messageId: 'm-1' })));
      expect(failedIds(first)).toEqual([]);
      expectWelcomedOnce(h, 'late', 'late@example.com');
      expect(tagOf(h.aws, 'late', WELCOMED_TAG_KEY)).toBeDefined();

      const again = await h.invokeSqs(sqsEvent(sqsRecord(request, { messageId: 'm-2' })));
      expect(failedIds(again)).toEqual([]);
      expectWelcomedOnce(h, 'late', 'late@example.com');
      expectSkipLogged('already-welcomed', 'late');
    },
  },

  'welcome request for a user deleted and created again since: left to the new one': {
    run: async (h) => {
      addManagedUser(h.aws, 'again', { userId: 'AIDANEWONE' });
      const stale = welcomeRequest({ userName: 'again', userId: 'AIDAOLDONE' }, 'redrive');
      const response = await h.invokeSqs(sqsEvent(sqsRecord(JSON.stringify(stale))));
      expect(failedIds(response)).toEqual([]);
      expectSkipLogged('user-replaced', 'again');
      expect(calls.send()).toHaveLength(0);
    },
  },

  'reconcile request without the queue URL: the record fails and comes back': {
    options: { env: { WELCOME_QUEUE_URL: undefined } },
    run: async (h) => {
      addManagedUser(h.aws, 'waiting');
      const response = await h.invokeSqs(
        sqsEvent(sqsRecord(JSON.stringify(RECONCILE_REQUEST), { messageId: 'm-rec' })),
      );
      expect(failedIds(response)).toEqual(['m-rec']);
      expect(h.aws.queued).toEqual([]);
      // What the stack's metric filter counts (stacks/failure-alarms.ts).
      expect(logLines().find((line) => line.message === 'event failed')).toMatchObject({
        level: 'ERROR',
        step: 'reconcile',
        errorName: 'FunctionEnvironmentError',
      });
    },
  },
};

describe('welcome handler', () => {
  it.each(Object.keys(scenarios))('%s', async (name) => {
    const { options, run } = scenarios[name];
    await run(harness(options));
  });

  it('sign-in address falls back to the account ID from the function ARN', async () => {
    const h = harness();
    addManagedUser(h.aws, 'noalias');
    await h.invoke(sqsEvent(createUserEvent({ userName: 'noalias' })));
    expect(calls.aliases()).toBe(1);
    expect(h.aws.sent[0].input.Message?.Body?.Text?.Data).toContain(
      `https://${ACCOUNT_ID}.signin.aws.amazon.com/console`,
    );
  });

  it('a missing setting fails loudly, before any AWS call', async () => {
    const h = harness({ env: { SENDER_ADDRESS: undefined } });
    addManagedUser(h.aws, 'ada');
    await expect(h.invoke(sqsEvent(createUserEvent({ userName: 'ada' })))).rejects.toMatchObject({
      name: 'RecordError',
      step: 'config',
      errorName: 'FunctionEnvironmentError',
      message: expect.stringContaining('SENDER_ADDRESS') as unknown,
    });
    expectNoAwsCalls();
  });

  it('a sender with CR/LF is refused as configuration', async () => {
    const h = harness({ env: { SENDER_ADDRESS: 'it@example.com\r\nBcc: x@evil.example' } });
    await expect(h.invoke(sqsEvent(createUserEvent({ userName: 'ada' })))).rejects.toMatchObject({
      step: 'config',
    });
    expectNoAwsCalls();
  });

  it('an IAM failure before the profile is reported with its step, nothing created', async () => {
    const h = harness();
    addManagedUser(h.aws, 'denied');
    const accessDenied = Object.assign(new Error('User: arn:aws:sts::... is not authorized'), {
      name: 'AccessDenied',
      $metadata: { httpStatusCode: 403 },
    });
    iamMock.on(GetAccountPasswordPolicyCommand).rejects(accessDenied);
    await expect(h.invoke(sqsEvent(createUserEvent({ userName: 'denied' })))).rejects.toMatchObject(
      { step: 'get-password-policy', errorName: 'AccessDenied', userName: 'denied' },
    );
    expect(calls.create()).toHaveLength(0);
    expect(calls.delete()).toHaveLength(0);
  });

  it('CreateLoginProfile without an answer: the maybe-created profile is removed', async () => {
    const h = harness();
    addManagedUser(h.aws, 'timeout');
    // The request reached IAM (the profile exists) but the answer was lost.
    iamMock.on(CreateLoginProfileCommand).callsFake((input: { Password: string }) => {
      const user = h.aws.users.get('timeout');
      if (user) h.aws.addProfile('timeout', 0, input.Password);
      throw Object.assign(new Error('socket hang up'), { name: 'TimeoutError' });
    });
    await expect(
      h.invoke(sqsEvent(createUserEvent({ userName: 'timeout' }))),
    ).rejects.toMatchObject({ step: 'create-login-profile', errorName: 'TimeoutError' });
    expect(calls.delete()).toHaveLength(1);
    expect(h.aws.users.get('timeout')?.profile).toBeUndefined();
    expect(calls.send()).toHaveLength(0);
  });

  it('a refused CreateLoginProfile (4xx) leaves an existing profile alone', async () => {
    const h = harness();
    addManagedUser(h.aws, 'limited');
    const throttled = Object.assign(new Error('Rate exceeded'), {
      name: 'Throttling',
      $fault: 'client',
      $metadata: { httpStatusCode: 400 },
    });
    iamMock.on(CreateLoginProfileCommand).rejects(throttled);
    await expect(
      h.invoke(sqsEvent(createUserEvent({ userName: 'limited' }))),
    ).rejects.toMatchObject({ step: 'create-login-profile', errorName: 'Throttling' });
    expect(calls.create()).toHaveLength(DEFAULT_RETRY.maxAttempts);
    expect(calls.delete()).toHaveLength(0);
  });

  it('when the rollback fails too, the error says what to do by hand', async () => {
    const h = harness();
    addManagedUser(h.aws, 'stuck');
    h.aws.sesBehaviour = () => {
      throw sesRejected();
    };
    iamMock
      .on(DeleteLoginProfileCommand)
      .rejects(Object.assign(new Error('boom'), { name: 'ServiceFailure' }));
    await expect(h.invoke(sqsEvent(createUserEvent({ userName: 'stuck' })))).rejects.toMatchObject({
      step: 'delete-login-profile',
      errorName: 'ServiceFailure',
      message: expect.stringContaining('delete-login-profile --user-name stuck') as unknown,
    });
  });

  it('several records in one invocation: each failure is reported for SQS, a retry finishes the job', async () => {
    const h = harness();
    for (const name of ['multi-a', 'multi-b', 'multi-c']) addManagedUser(h.aws, name);
    h.aws.sesBehaviour = (input) => {
      if (!input.Destination?.ToAddresses?.[0].startsWith('multi-a')) throw sesRejected();
    };
    const event = sqsEvent(
      ...['multi-a', 'multi-b', 'multi-c'].map((userName) =>
        sqsRecord(createUserEvent({ userName }), { messageId: `m-${userName}` }),
      ),
    );
    const response = await h.invokeSqs(event);
    expect(failedIds(response)).toEqual(['m-multi-b', 'm-multi-c']);
    await expect(h.invoke(event)).rejects.toMatchObject({
      step: 'send-email',
      userName: 'multi-b',
    });
    expect(h.aws.users.get('multi-b')?.profile).toBeUndefined();
    expect(h.aws.users.get('multi-c')?.profile).toBeUndefined();

    h.aws.sesBehaviour = () => undefined;
    const retried = await h.invoke(event);
    expect(retried.records.map((r) => r.outcome)).toEqual(['skipped', 'welcomed', 'welcomed']);
    for (const name of ['multi-a', 'multi-b', 'multi-c']) {
      expectWelcomedOnce(h, name, `${name}@example.com`);
    }
  });

  it('the reconcile, expiry and SES feedback runs report what they did, not a skip', async () => {
    const h = harness({ env: { UNUSED_PASSWORD_DAYS: '7' } });
    addManagedUser(h.aws, 'never');
    const bounce = {
      eventType: 'Bounce',
      bounce: { bounceType: 'Transient', bounceSubType: 'General', bouncedRecipients: [] },
      mail: { messageId: 'ses-1', destination: ['never@example.com'], tags: {} },
    };
    const summary = await h.invoke(
      sqsEvent(
        sqsRecord(JSON.stringify(RECONCILE_REQUEST), { messageId: 'm-rec' }),
        sqsRecord(JSON.stringify(EXPIRE_REQUEST), { messageId: 'm-exp' }),
        sqsRecord(bounce, { messageId: 'm-ses' }),
      ),
    );
    expect(summary.records).toEqual([
      { outcome: 'reconciled', eventId: 'reconcile-request', queued: 1, lifecycle: {} },
      { outcome: 'expiry-done', eventId: 'expire-request', counts: expect.any(Object) as unknown },
      { outcome: 'feedback', reason: 'ses-transient-bounce' },
    ]);
    expect(h.aws.queued).toHaveLength(1);
    const done = logLines().filter((line) => line.message === 'event done');
    expect(done.map((line) => line.outcome)).toEqual(['reconciled', 'expiry-done', 'feedback']);
    // One object is both the record's result and its log line.
    done.forEach((line, i) => expect(line).toMatchObject(summary.records[i]));
  });

  it('the exported Lambda handler is wired to the same flow', async () => {
    const { handler } = await import('../../../handlers/welcome/index');
    const h = harness();
    addManagedUser(h.aws, 'wired');
    const previous = { ...process.env };
    Object.assign(process.env, {
      SENDER_ADDRESS: 'onboarding@example.com',
      ORGANISATION_NAME: 'Wired Org',
      HELP_CONTACT: '#it-help',
    });
    try {
      const response = await handler(
        sqsEvent(createUserEvent({ userName: 'wired' })) as unknown as SQSEvent,
        lambdaContext(),
      );
      expect(response).toEqual({ batchItemFailures: [] });
    } finally {
      process.env = previous;
    }
    expect(h.aws.sent[0].input.Source).toBe('onboarding@example.com');
    expectWelcomedOnce(h, 'wired', 'wired@example.com');
  });

  /** Every call of every scenario, with its context: collected by the next test, checked by the two after it. */
  let everyGrant: Grant[] = [];

  it('runs every scenario: no log line carries any generated password', async () => {
    const passwords: string[] = [];
    const grants: Grant[] = [];
    for (const [name, { options, run }] of Object.entries(scenarios)) {
      iamMock.reset();
      sesMock.reset();
      sqsMock.reset();
      scenarioStart = output.lines().length;
      const h = harness(options);
      await run(h).catch((error: unknown) => {
        throw new Error(`scenario "${name}" failed: ${String(error)}`);
      });
      passwords.push(...h.aws.passwordsSeen);
      // Throws for a command missing from handlers/welcome/aws/actions.ts.
      grants.push(...recordedGrants());
    }
    // Every action the scenarios needed, and on what: what the role must grant.
    const byAction = new Map<string, Set<string>>();
    for (const { action, resource } of grants) {
      const shape = resource.replace(/user\/iam-onboarding\/[^/]+$/, 'user/iam-onboarding/<name>');
      byAction.set(action, (byAction.get(action) ?? new Set()).add(shape));
    }
    const user = `arn:aws:iam::${ACCOUNT_ID}:user/iam-onboarding/<name>`;
    expect(Object.fromEntries([...byAction].map(([a, r]) => [a, [...r]]))).toEqual({
      'iam:CreateLoginProfile': [user],
      'iam:DeleteLoginProfile': [user],
      'iam:GetAccountPasswordPolicy': ['*'],
      'iam:GetLoginProfile': [user],
      'iam:GetUser': [user],
      'iam:ListAccountAliases': ['*'],
      'iam:ListUserTags': [user],
      'iam:ListUsers': ['*'],
      'iam:TagUser': [user],
      'ses:GetSuppressedDestination': ['*'],
      'ses:SendEmail': [`arn:aws:ses:us-east-1:${ACCOUNT_ID}:identity/example.com`],
      'sqs:SendMessage': [`arn:aws:sqs:us-east-1:${ACCOUNT_ID}:iam-onboarding-welcome-queue`],
    });
    const lines = output.lines();
    expect(passwords.length).toBeGreaterThan(30);
    expect(lines.length).toBeGreaterThan(100);
    for (const password of passwords) expect(password.length).toBeGreaterThanOrEqual(20);
    // Verbatim, encoded (base64, hex, URL, JSON, reversed) or any piece of 6 or more.
    expect(leaksOfAll(passwords, lines)).toEqual([]);
    everyGrant = grants;
  });

  it('every call of every scenario is granted by the role synthesized from config/settings.json', async () => {
    expect(everyGrant.length).toBeGreaterThan(10);
    const config = JSON.parse(synthStack(trailNoZone(), fixtureCode()).json) as RehearsalConfig;
    expect(await deniedCalls(config, everyGrant)).toEqual([]);
  });

  it('a call the synthesized role does not grant fails: the role without iam:TagUser', async () => {
    const config = JSON.parse(synthStack(trailNoZone(), fixtureCode()).json) as {
      resource: Record<string, Record<string, { policy?: string }>>;
    };
    const [rolePolicy] = Object.values(config.resource.aws_iam_role_policy);
    const doc = JSON.parse(rolePolicy.policy ?? '') as {
      Statement: { Action: string | string[] }[];
    };
    doc.Statement = doc.Statement.map((st) => ({
      ...st,
      Action: [st.Action].flat().filter((a) => a !== 'iam:TagUser'),
    })).filter((st) => st.Action.length > 0);
    rolePolicy.policy = JSON.stringify(doc);
    const tagCalls = everyGrant.filter((g) => g.action === 'iam:TagUser');
    expect(tagCalls.length).toBeGreaterThan(0);
    const denied = await deniedCalls(config, everyGrant);
    expect(denied.map(({ reason: _r, ...call }) => call)).toEqual(tagCalls);
    expect(denied[0].reason).toMatch(/^no statement in role policy welcome allows iam:TagUser on /);
  });
});
