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
  GetUserCommand,
  ListAccountAliasesCommand,
  ListUserTagsCommand,
} from '@aws-sdk/client-iam';
import { SendEmailCommand } from '@aws-sdk/client-ses';
import { DEFAULT_RETRY } from '../../handlers/welcome/handler';
import { WelcomeError } from '../../handlers/welcome/core/errors';
import { PASSWORD_ALPHABET } from '../../handlers/welcome/core/password';
import {
  iamMock,
  noSuchEntity,
  satisfiesIamPolicy,
  sentTo,
  sesMock,
  sesRejected,
  sesThrottling,
} from './support/fake-aws';
import {
  captureOutput,
  createUserEvent,
  lambdaContext,
  snsEvent,
  ACCOUNT_ID,
} from './support/events';
import { addManagedUser, harness, type Harness } from './support/harness';

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
});

const calls = {
  getUser: () => iamMock.commandCalls(GetUserCommand).length,
  listTags: () => iamMock.commandCalls(ListUserTagsCommand).length,
  policy: () => iamMock.commandCalls(GetAccountPasswordPolicyCommand).length,
  aliases: () => iamMock.commandCalls(ListAccountAliasesCommand).length,
  create: () => iamMock.commandCalls(CreateLoginProfileCommand),
  delete: () => iamMock.commandCalls(DeleteLoginProfileCommand),
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

type Scenario = (h: Harness) => Promise<void>;

/** Fake time for the token-bucket SES; the handler's waits move it forward. */
const clock = { now: 0 };

const scenarios: Record<string, { options?: Parameters<typeof harness>[0]; run: Scenario }> = {
  'happy path: a managed user gets a login profile and one email': {
    run: async (h) => {
      addManagedUser(h.aws, 'ada.lovelace', { displayName: 'Ada Lovelace' });
      h.aws.accountAliases = ['example-corp'];
      const event = createUserEvent({ userName: 'ada.lovelace' });

      const summary = await h.invoke(snsEvent(event));

      expect(summary.records).toEqual([
        { outcome: 'welcomed', eventId: event.id, userName: 'ada.lovelace', messageId: 'msg-1' },
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
      const password = expectWelcomedOnce(h, 'ada.lovelace', 'ada.lovelace@example.com');
      expect(password.length).toBeGreaterThanOrEqual(20);
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
      const event = snsEvent(createUserEvent({ userName: 'grace' }));

      const first = await h.invoke(event);
      const second = await h.invoke(event);
      // And two deliveries racing each other.
      addManagedUser(h.aws, 'alan');
      const raced = snsEvent(createUserEvent({ userName: 'alan' }));
      const racing = await Promise.all([h.invoke(raced), h.invoke(raced)]);

      expect(first.records[0].outcome).toBe('welcomed');
      expect(second.records[0]).toMatchObject({ outcome: 'skipped', reason: 'already-welcomed' });
      expect(racing.map((r) => r.records[0].outcome).sort()).toEqual(['skipped', 'welcomed']);
      expect(calls.create()).toHaveLength(4);
      expect(calls.delete()).toHaveLength(0);
      expect(calls.send()).toHaveLength(2);
      expectWelcomedOnce(h, 'grace', 'grace@example.com');
      expectWelcomedOnce(h, 'alan', 'alan@example.com');
      expectSkipLogged('already-welcomed', 'grace');
    },
  },

  'a failed CreateUser (detail.errorCode) leads to nothing': {
    run: async (h) => {
      addManagedUser(h.aws, 'mallory');
      const summary = await h.invoke(
        snsEvent(createUserEvent({ userName: 'mallory', errorCode: 'AccessDenied' })),
      );
      expect(summary.records[0]).toMatchObject({
        outcome: 'skipped',
        reason: 'create-user-failed',
      });
      expectNoAwsCalls();
      expectSkipLogged('create-user-failed');
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

      const tagged = await h.invoke(snsEvent(createUserEvent({ userName: 'console-made' })));
      const otherOwner = await h.invoke(snsEvent(createUserEvent({ userName: 'other-team' })));
      expect(tagged.records[0]).toMatchObject({ reason: 'not-managed-by-this-project' });
      expect(otherOwner.records[0]).toMatchObject({ reason: 'not-managed-by-this-project' });
      expect(calls.getUser()).toBe(2);

      // Created at another path: skipped before asking IAM (permissions are path-scoped).
      const pathed = await h.invoke(
        snsEvent(createUserEvent({ userName: 'elsewhere', path: '/service/' })),
      );
      expect(pathed.records[0]).toMatchObject({ reason: 'not-managed-path' });
      expect(calls.getUser()).toBe(2);

      // The event claims the managed path, IAM says otherwise: IAM wins.
      const lying = await h.invoke(snsEvent(createUserEvent({ userName: 'elsewhere' })));
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
        const summary = await h.invoke(snsEvent(createUserEvent({ userName })));
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
      const summary = await h.invoke(snsEvent(createUserEvent({ userName: 'gone' })));
      expect(summary.records[0]).toMatchObject({ outcome: 'skipped', reason: 'user-deleted' });
      expect(calls.getUser()).toBe(1);
      expect(calls.create()).toHaveLength(0);
      expect(calls.send()).toHaveLength(0);
      expectSkipLogged('user-deleted', 'gone');

      // Deleted between the checks and CreateLoginProfile.
      addManagedUser(h.aws, 'racing');
      iamMock.on(CreateLoginProfileCommand).rejects(noSuchEntity('The user with name racing'));
      const late = await h.invoke(snsEvent(createUserEvent({ userName: 'racing' })));
      expect(late.records[0]).toMatchObject({ outcome: 'skipped', reason: 'user-deleted' });
      expect(calls.send()).toHaveLength(0);

      // Deleted and created again under the same name: the old event is not for this user.
      addManagedUser(h.aws, 'reborn', { userId: 'AIDANEWIDENTITY' });
      const stale = await h.invoke(
        snsEvent(createUserEvent({ userName: 'reborn', userId: 'AIDAOLDIDENTITY' })),
      );
      expect(stale.records[0]).toMatchObject({ reason: 'user-replaced' });
      expect(calls.send()).toHaveLength(0);
    },
  },

  'no password policy: the password meets IAM default rules': {
    run: async (h) => {
      addManagedUser(h.aws, 'nopolicy');
      h.aws.passwordPolicy = undefined;
      await h.invoke(snsEvent(createUserEvent({ userName: 'nopolicy' })));
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
      await h.invoke(snsEvent(createUserEvent({ userName: 'strict' })));
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
      const event = snsEvent(createUserEvent({ userName: 'rejected', eventId: 'evt-rejected' }));

      const error: unknown = await h.invoke(event).then(
        () => undefined,
        (e: unknown) => e,
      );

      expect(error).toBeInstanceOf(WelcomeError);
      const welcomeError = error as WelcomeError;
      expect(welcomeError).toMatchObject({
        name: 'WelcomeError',
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
      const summary = await h.invoke(snsEvent(createUserEvent({ userName: 'throttled' })));
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
        h.invoke(snsEvent(createUserEvent({ userName: 'always-throttled' }))),
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
          snsEvent(createUserEvent({ userName: 'always-throttled' })),
          lambdaContext(DEFAULT_RETRY.reserveMs),
        ),
      ).rejects.toMatchObject({ step: 'send-email' });
      expect(calls.send()).toHaveLength(1);
      expect(h.sleeps).toHaveLength(0);
      expect(calls.delete()).toHaveLength(1);
    },
  },

  'a malformed SNS message is logged and acknowledged': {
    run: async (h) => {
      addManagedUser(h.aws, 'ada');
      const garbage: unknown[] = [
        undefined,
        {},
        { Records: [] },
        { Records: [{ EventSource: 'aws:sqs', body: '{}' }] },
        snsEvent('this is not json'),
        snsEvent('{"version":"0"}'),
        snsEvent(JSON.stringify([1, 2, 3])),
        snsEvent({ ...createUserEvent({ userName: 'ada' }), detail: 'oops' }),
        snsEvent({ ...createUserEvent({ userName: 'ada' }), source: 'aws.s3' }),
        snsEvent(createUserEvent({ userName: 'ada', eventName: 'DeleteUser' })),
      ];
      const reasons: string[] = [];
      for (const event of garbage) {
        const summary = await h.invoke(event);
        expect(summary.records).toHaveLength(1);
        expect(summary.records[0].outcome).toBe('skipped');
        reasons.push((summary.records[0] as { reason: string }).reason);
      }
      expect(reasons).toEqual([
        'malformed-sns-event',
        'malformed-sns-event',
        'malformed-sns-event',
        'malformed-sns-event',
        'malformed-message',
        'malformed-message',
        'malformed-message',
        'not-a-cloudtrail-api-call',
        'not-a-cloudtrail-api-call',
        'not-create-user',
      ]);
      expectNoAwsCalls();
      expect(logLines().filter((line) => line.message === 'event skipped')).toHaveLength(
        garbage.length,
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
      const events = names.map((name) => snsEvent(createUserEvent({ userName: name })));

      // Lambda's async invocation: a failed run is retried up to twice.
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
      await h.invoke(snsEvent(createUserEvent({ userName: 'aliased' })));
      expect(calls.aliases()).toBe(0);
      expect(h.aws.sent[0].input.Message?.Body?.Text?.Data).toContain(
        'https://configured-alias.signin.aws.amazon.com/console',
      );
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
    await h.invoke(snsEvent(createUserEvent({ userName: 'noalias' })));
    expect(calls.aliases()).toBe(1);
    expect(h.aws.sent[0].input.Message?.Body?.Text?.Data).toContain(
      `https://${ACCOUNT_ID}.signin.aws.amazon.com/console`,
    );
  });

  it('a missing setting fails loudly, before any AWS call', async () => {
    const h = harness({ env: { SENDER_ADDRESS: undefined } });
    addManagedUser(h.aws, 'ada');
    await expect(h.invoke(snsEvent(createUserEvent({ userName: 'ada' })))).rejects.toMatchObject({
      name: 'WelcomeError',
      step: 'config',
      message: expect.stringContaining('SENDER_ADDRESS') as unknown,
    });
    expectNoAwsCalls();
  });

  it('a sender with CR/LF is refused as configuration', async () => {
    const h = harness({ env: { SENDER_ADDRESS: 'it@example.com\r\nBcc: x@evil.example' } });
    await expect(h.invoke(snsEvent(createUserEvent({ userName: 'ada' })))).rejects.toMatchObject({
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
    await expect(h.invoke(snsEvent(createUserEvent({ userName: 'denied' })))).rejects.toMatchObject(
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
      if (user) user.profile = { password: input.Password, passwordResetRequired: true };
      throw Object.assign(new Error('socket hang up'), { name: 'TimeoutError' });
    });
    await expect(
      h.invoke(snsEvent(createUserEvent({ userName: 'timeout' }))),
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
      h.invoke(snsEvent(createUserEvent({ userName: 'limited' }))),
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
    await expect(h.invoke(snsEvent(createUserEvent({ userName: 'stuck' })))).rejects.toMatchObject({
      step: 'delete-login-profile',
      errorName: 'ServiceFailure',
      message: expect.stringContaining('delete-login-profile --user-name stuck') as unknown,
    });
  });

  it('several records in one invocation: every failure is raised, a retry finishes the job', async () => {
    const h = harness();
    for (const name of ['multi-a', 'multi-b', 'multi-c']) addManagedUser(h.aws, name);
    h.aws.sesBehaviour = (input) => {
      if (!input.Destination?.ToAddresses?.[0].startsWith('multi-a')) throw sesRejected();
    };
    const event = snsEvent(
      createUserEvent({ userName: 'multi-a' }),
      createUserEvent({ userName: 'multi-b' }),
      createUserEvent({ userName: 'multi-c' }),
    );
    const error = await h.invoke(event).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(error?.name).toBe('WelcomeBatchError');
    expect(error?.message).toMatch(/^2 records failed: .*multi-b.*multi-c/);
    expect(h.aws.users.get('multi-b')?.profile).toBeUndefined();
    expect(h.aws.users.get('multi-c')?.profile).toBeUndefined();

    h.aws.sesBehaviour = () => undefined;
    const retried = await h.invoke(event);
    expect(retried.records.map((r) => r.outcome)).toEqual(['skipped', 'welcomed', 'welcomed']);
    for (const name of ['multi-a', 'multi-b', 'multi-c']) {
      expectWelcomedOnce(h, name, `${name}@example.com`);
    }
  });

  it('the exported Lambda handler is wired to the same flow', async () => {
    const { handler } = await import('../../handlers/welcome/index');
    const h = harness();
    addManagedUser(h.aws, 'wired');
    const previous = { ...process.env };
    Object.assign(process.env, {
      SENDER_ADDRESS: 'onboarding@example.com',
      ORGANISATION_NAME: 'Wired Org',
      HELP_CONTACT: '#it-help',
    });
    try {
      const summary = await handler(
        snsEvent(createUserEvent({ userName: 'wired' })),
        lambdaContext(),
      );
      expect(summary.records[0].outcome).toBe('welcomed');
    } finally {
      process.env = previous;
    }
    expect(h.aws.sent[0].input.Source).toBe('onboarding@example.com');
    expectWelcomedOnce(h, 'wired', 'wired@example.com');
  });

  it('runs every scenario: no log line carries any generated password', async () => {
    const passwords: string[] = [];
    for (const [name, { options, run }] of Object.entries(scenarios)) {
      iamMock.reset();
      sesMock.reset();
      scenarioStart = output.lines().length;
      const h = harness(options);
      await run(h).catch((error: unknown) => {
        throw new Error(`scenario "${name}" failed: ${String(error)}`);
      });
      passwords.push(...h.aws.passwordsSeen);
    }
    const lines = output.lines();
    expect(passwords.length).toBeGreaterThan(30);
    expect(lines.length).toBeGreaterThan(100);
    for (const password of passwords) {
      expect(password.length).toBeGreaterThanOrEqual(20);
      const leaking = lines.filter((line) => line.includes(password));
      expect(leaking).toEqual([]);
    }
  });
});
