/**
 * The expiry request end to end in process: the real SDK clients behind the
 * stateful fake IAM, the batch runner with a recording notifyAdmins. Each
 * scenario asserts the calls, IAM's state afterwards and the notices; the
 * last tests run them all again: no log line carries a password, and every
 * call is granted by the synthesized role.
 */
import {
  CreateLoginProfileCommand,
  DeleteLoginProfileCommand,
  GetLoginProfileCommand,
  IAMServiceException,
  ListUsersCommand,
  TagUserCommand,
} from '@aws-sdk/client-iam';
import type { SQSBatchResponse } from 'aws-lambda';
import { iam, iamCreate, ses, sesv2, sqs } from '../../../handlers/welcome/aws/clients';
import type { AdminNotice } from '../../../handlers/welcome/core/admin-notice';
import { readConfig } from '../../../handlers/welcome/core/config';
import { DAY_MS } from '../../../handlers/welcome/core/expiry';
import type { RunContext } from '../../../handlers/welcome/run-context';
import { logger } from '../../../handlers/welcome/log';
import { runRecord } from '../../../handlers/welcome/runners';
import {
  EXPIRE_REQUEST,
  EXPIRED_TAG_KEY,
  expireRequest,
  RECONCILE_REQUEST,
  WELCOMED_TAG_KEY,
} from '../../../shared/contract';
import { deniedCalls, type TfConfig as RehearsalConfig } from '../../../review/rehearsal';
import { FakeAws, iamMock, sesMock, sesv2Mock, sqsMock, tagOf } from '../../support/fake-aws';
import { type Grant, recordedGrants } from '../../support/grants';
import { fixtureCode, synthStack, trailNoZone } from '../../support/stack';
import {
  captureOutput,
  createUserEvent,
  lambdaContext,
  sqsEvent,
  sqsRecord,
  WELCOME_QUEUE_URL,
  welcomeEnv,
} from '../../support/welcome-events';
import { addManagedUser, harness } from '../../support/welcome-harness';
import { leaksOfAll } from '../../support/secret-leaks';

/** A month after the fake's default user creation date (2025-01-01). */
const NOW = Date.parse('2025-02-01T12:00:00Z');

interface ExpiryHarness {
  aws: FakeAws;
  clock: { now: number };
  notices: AdminNotice[];
  sleeps: number[];
  /** A user as the welcome flow leaves it: welcomed, with a profile `profileDays` old. */
  welcomed: (
    name: string,
    options?: { profileDays?: number; lastUsedDaysAgo?: number; createdDaysAgo?: number },
  ) => void;
  /** One SQS record holding `body`, through the batch runner. */
  deliver: (
    body: unknown,
    options?: { messageId?: string; receiveCount?: number; remainingMs?: () => number },
  ) => Promise<SQSBatchResponse>;
}

function expiryHarness(env: Record<string, string | undefined> = {}): ExpiryHarness {
  const aws = new FakeAws().install();
  const clock = { now: NOW };
  aws.now = () => clock.now;
  const notices: AdminNotice[] = [];
  const sleeps: number[] = [];
  const environment = () => welcomeEnv({ UNUSED_PASSWORD_DAYS: '7', ...env });
  const deps = {
    iam,
    iamCreate,
    ses,
    sesv2,
    sqs,
    logger,
    env: environment,
    sleep: (ms: number) => {
      sleeps.push(ms);
      clock.now += ms;
      return Promise.resolve();
    },
    random: () => 0.5,
    now: () => clock.now,
  };
  return {
    aws,
    clock,
    notices,
    sleeps,
    welcomed: (name, options = {}) => {
      const user = addManagedUser(aws, name);
      user.createDate = new Date(NOW - (options.createdDaysAgo ?? 31) * DAY_MS);
      user.tags.push({ Key: WELCOMED_TAG_KEY, Value: '2025-01-02T09:00:00.000Z' });
      aws.addProfile(name, (options.profileDays ?? 9) * DAY_MS, `Pw-${name}-Secret-1234!`);
      if (options.lastUsedDaysAgo !== undefined) {
        user.passwordLastUsed = new Date(NOW - options.lastUsedDaysAgo * DAY_MS);
      }
    },
    deliver: async (body, options = {}) => {
      const run: RunContext = {
        deps,
        config: readConfig(environment()),
        context: lambdaContext(options.remainingMs ?? 60_000),
        signInHost: () => Promise.resolve('123456789012.signin.aws.amazon.com'),
        notifyAdmins: (notice) => {
          notices.push(notice);
          return Promise.resolve();
        },
      };
      const text = typeof body === 'string' ? body : JSON.stringify(body);
      const messageId = options.messageId ?? 'm-expire';
      const record = sqsRecord(text, { messageId, receiveCount: options.receiveCount ?? 1 });
      const result = await runRecord(run, record);
      return {
        batchItemFailures: result.outcome === 'failed' ? [{ itemIdentifier: messageId }] : [],
      };
    },
  };
}

type Output = ReturnType<typeof captureOutput>;
let output: Output;
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

function logLines(): Record<string, unknown>[] {
  return output
    .lines()
    .slice(scenarioStart)
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

/** User names of the recorded calls of one command, in order. */
function namesOf(command: { name: string }): (string | undefined)[] {
  return iamMock
    .calls()
    .map(
      (c) =>
        c.args[0] as unknown as { constructor: { name: string }; input: { UserName?: string } },
    )
    .filter((c) => c.constructor.name === command.name)
    .map((c) => c.input.UserName);
}
const failedIds = (r: SQSBatchResponse) => r.batchItemFailures.map((f) => f.itemIdentifier);
const serviceFailure = () =>
  new IAMServiceException({
    name: 'ServiceFailure',
    $fault: 'server',
    message: 'internal',
    $metadata: { httpStatusCode: 500 },
  });

const scenarios: Record<string, (h: ExpiryHarness) => Promise<void>> = {
  'expires only welcomed, managed users whose password is older than the limit and never used':
    async (h) => {
      h.welcomed('stale');
      h.welcomed('active', { profileDays: 20, lastUsedDaysAgo: 10 });
      h.welcomed('resent', { profileDays: 8, lastUsedDaysAgo: 30 });
      h.welcomed('fresh', { profileDays: 3 });
      h.welcomed('newcomer', { profileDays: 2, createdDaysAgo: 2 });
      h.welcomed('nested');
      h.aws.users.get('nested')!.path = '/iam-onboarding/sub/';
      h.welcomed('elsewhere');
      h.aws.users.get('elsewhere')!.path = '/other/';
      h.welcomed('untagged');
      const untagged = h.aws.users.get('untagged')!;
      untagged.tags = untagged.tags.filter((t) => t.Key !== 'managed-by');
      h.welcomed('pending');
      const pending = h.aws.users.get('pending')!;
      pending.tags = pending.tags.filter((t) => t.Key !== WELCOMED_TAG_KEY);
      addManagedUser(h.aws, 'noprofile').tags.push({ Key: WELCOMED_TAG_KEY, Value: 'x' });

      const response = await h.deliver(EXPIRE_REQUEST);

      expect(failedIds(response)).toEqual([]);
      expect(namesOf(DeleteLoginProfileCommand)).toEqual(['stale', 'resent']);
      for (const name of ['stale', 'resent']) {
        expect(h.aws.users.get(name)?.profile).toBeUndefined();
        expect(tagOf(h.aws, name, EXPIRED_TAG_KEY)).toBe(new Date(h.clock.now).toISOString());
        // The welcomed tag stays: nothing welcomes the person again but a resend.
        expect(tagOf(h.aws, name, WELCOMED_TAG_KEY)).toBeDefined();
      }
      for (const name of [
        'active',
        'fresh',
        'newcomer',
        'nested',
        'elsewhere',
        'untagged',
        'pending',
      ])
        expect(h.aws.users.get(name)?.profile).toBeDefined();
      expect(h.notices).toEqual([
        {
          kind: 'expired',
          userName: 'stale',
          detail:
            'the temporary password was not used in 9 days (limit 7): console access removed. ' +
            'Raise "resend" for this person in the roster to send a new one.',
        },
        expect.objectContaining({ kind: 'expired', userName: 'resent' }),
      ]);
      // Decided from the listing alone: no IAM call for these.
      expect(namesOf(GetLoginProfileCommand)).not.toContain('newcomer');
      expect(namesOf(GetLoginProfileCommand)).not.toContain('nested');
      expect(namesOf(GetLoginProfileCommand)).not.toContain('elsewhere');
      expect(logLines().find((l) => l.message === 'event done')).toMatchObject({
        outcome: 'expiry-done',
        counts: {
          expired: 2,
          used: 1,
          young: 2,
          'not-managed': 2,
          'not-welcomed': 1,
          'no-profile': 1,
        },
      });
    },

  'follows ListUsers pagination to the last page': async (h) => {
    h.aws.userPageSize = 2;
    for (const name of ['p1', 'p2', 'p3', 'p4', 'p5']) h.welcomed(name);
    expect(failedIds(await h.deliver(EXPIRE_REQUEST))).toEqual([]);
    expect(iamMock.commandCalls(ListUsersCommand).map((c) => c.args[0].input.Marker)).toEqual([
      undefined,
      '2',
      '4',
    ]);
    expect(namesOf(DeleteLoginProfileCommand)).toEqual(['p1', 'p2', 'p3', 'p4', 'p5']);
    expect(h.notices.map((n) => n.userName)).toEqual(['p1', 'p2', 'p3', 'p4', 'p5']);
  },

  'a failing delete fails the record after the other users; the redelivery expires it, once':
    async (h) => {
      for (const name of ['a', 'b', 'c']) h.welcomed(name);
      let failures = 1;
      h.aws.iamWriteBehaviour = (command, userName) => {
        if (command === 'DeleteLoginProfile' && userName === 'b' && failures-- > 0)
          throw serviceFailure();
      };
      const first = await h.deliver(EXPIRE_REQUEST, { messageId: 'm-1' });
      expect(failedIds(first)).toEqual(['m-1']);
      expect(h.aws.users.get('b')?.profile).toBeDefined();
      expect(h.notices.map((n) => n.userName)).toEqual(['a', 'c']);
      // What the welcome-failures metric filter counts (stacks/failure-alarms.ts).
      expect(logLines().find((l) => l.message === 'event failed')).toMatchObject({
        level: 'ERROR',
        step: 'expire',
        errorName: 'ServiceFailure',
      });
      expect(logLines().find((l) => l.message === 'step failed')).toMatchObject({
        userName: 'b',
      });

      iamMock.resetHistory();
      const again = await h.deliver(EXPIRE_REQUEST, { messageId: 'm-1', receiveCount: 2 });
      expect(failedIds(again)).toEqual([]);
      expect(namesOf(DeleteLoginProfileCommand)).toEqual(['b']);
      expect(h.notices.map((n) => n.userName)).toEqual(['a', 'c', 'b']);
    },

  'a delete refused for now (EntityTemporarilyUnmodifiable) is retried in process': async (h) => {
    h.welcomed('busy');
    h.aws.deleteRefusals = 2;
    expect(failedIds(await h.deliver(EXPIRE_REQUEST))).toEqual([]);
    expect(namesOf(DeleteLoginProfileCommand)).toEqual(['busy', 'busy', 'busy']);
    expect(h.sleeps).toHaveLength(2);
    expect(h.aws.users.get('busy')?.profile).toBeUndefined();
  },

  'a repeated request changes nothing and tells nobody again': async (h) => {
    h.welcomed('once');
    await h.deliver(EXPIRE_REQUEST);
    const tag = tagOf(h.aws, 'once', EXPIRED_TAG_KEY);
    h.clock.now += 60_000;
    iamMock.resetHistory();
    expect(failedIds(await h.deliver(EXPIRE_REQUEST))).toEqual([]);
    expect(iamMock.commandCalls(DeleteLoginProfileCommand)).toHaveLength(0);
    expect(iamMock.commandCalls(TagUserCommand)).toHaveLength(0);
    expect(tagOf(h.aws, 'once', EXPIRED_TAG_KEY)).toBe(tag);
    expect(h.notices).toHaveLength(1);
  },

  'an expired user is not welcomed again: neither by the reconcile run nor by a replayed event':
    async (h) => {
      h.welcomed('gone');
      await h.deliver(EXPIRE_REQUEST);
      expect(h.aws.users.get('gone')?.profile).toBeUndefined();

      expect(failedIds(await h.deliver(RECONCILE_REQUEST))).toEqual([]);
      expect(h.aws.queued).toEqual([]);
      const replay = JSON.stringify({
        Type: 'Notification',
        MessageId: 'sns-replay',
        TopicArn: 'arn:aws:sns:us-east-1:123456789012:iam-onboarding-user-created',
        Message: JSON.stringify(createUserEvent({ userName: 'gone' })),
      });
      expect(failedIds(await h.deliver(replay))).toEqual([]);
      expect(iamMock.commandCalls(CreateLoginProfileCommand)).toHaveLength(0);
      expect(h.aws.sent).toHaveLength(0);
      expect(h.aws.users.get('gone')?.profile).toBeUndefined();
    },

  'short of time: stops between users and queues its continuation, which finishes the run': async (
    h,
  ) => {
    for (const name of ['a', 'b', 'c', 'd']) h.welcomed(name);
    // Each delete "takes" 25 s of the 60 s invocation.
    const left = () => 60_000 - 25_000 * iamMock.commandCalls(DeleteLoginProfileCommand).length;
    expect(failedIds(await h.deliver(EXPIRE_REQUEST, { remainingMs: left }))).toEqual([]);
    expect(h.notices.map((n) => n.userName)).toEqual(['a', 'b']);
    expect(h.aws.queued).toEqual([
      { queueUrl: WELCOME_QUEUE_URL, body: JSON.stringify(expireRequest('b')) },
    ]);
    expect(logLines().find((l) => l.message === 'step deferred')).toMatchObject({
      outcome: 'continued',
      continuesAfter: 'b',
      usersLeft: 2,
    });

    iamMock.resetHistory();
    expect(failedIds(await h.deliver(h.aws.queued[0].body))).toEqual([]);
    expect(namesOf(GetLoginProfileCommand)).toEqual(['c', 'd']);
    expect(h.notices.map((n) => n.userName)).toEqual(['a', 'b', 'c', 'd']);
    expect(h.aws.queued).toHaveLength(1);
  },

  'a continuation after a user deleted since starts over, harmlessly': async (h) => {
    for (const name of ['a', 'b']) h.welcomed(name);
    expect(failedIds(await h.deliver(expireRequest('no-longer-there')))).toEqual([]);
    expect(namesOf(GetLoginProfileCommand)).toEqual(['a', 'b']);
  },

  'no time even for the first user: deferred, not a continuation that would loop': async (h) => {
    h.welcomed('a');
    const response = await h.deliver(EXPIRE_REQUEST, { remainingMs: () => 5_000 });
    expect(failedIds(response)).toEqual(['m-expire']);
    expect(h.aws.queued).toEqual([]);
    expect(h.aws.users.get('a')?.profile).toBeDefined();
    expect(logLines().find((l) => l.message === 'event deferred')).toMatchObject({
      level: 'WARN',
      step: 'expire',
      errorName: 'NoTimeLeft',
    });
  },

  'the expired tag failing to write is logged with the command to fix it; the run succeeds': async (
    h,
  ) => {
    h.welcomed('untaggable');
    h.aws.iamWriteBehaviour = (command) => {
      if (command === 'TagUser') throw serviceFailure();
    };
    expect(failedIds(await h.deliver(EXPIRE_REQUEST))).toEqual([]);
    expect(h.aws.users.get('untaggable')?.profile).toBeUndefined();
    expect(h.notices).toHaveLength(1);
    expect(logLines().find((l) => l.message === 'expired tag not written')).toMatchObject({
      level: 'ERROR',
      userName: 'untaggable',
      action: expect.stringMatching(
        /^aws iam tag-user --user-name untaggable --tags Key=iam-onboarding:expired,Value=2025-/,
      ),
    });
  },
};

const offScenarios: Record<
  string,
  [Record<string, string | undefined>, (h: ExpiryHarness) => Promise<void>]
> = {
  'expiry off (no UNUSED_PASSWORD_DAYS): acknowledged, nothing read or touched': [
    { UNUSED_PASSWORD_DAYS: undefined },
    async (h) => {
      h.welcomed('kept');
      expect(failedIds(await h.deliver(EXPIRE_REQUEST))).toEqual([]);
      expect(iamMock.calls()).toHaveLength(0);
      expect(logLines().find((l) => l.message === 'event skipped')).toMatchObject({
        reason: 'expiry-off',
      });
    },
  ],
  'a bad UNUSED_PASSWORD_DAYS fails the record, naming the variable; nothing is touched': [
    { UNUSED_PASSWORD_DAYS: '0' },
    async (h) => {
      h.welcomed('kept');
      expect(failedIds(await h.deliver(EXPIRE_REQUEST))).toEqual(['m-expire']);
      expect(iamMock.calls()).toHaveLength(0);
      expect(logLines().find((l) => l.message === 'event failed')).toMatchObject({
        errorName: 'FunctionEnvironmentError',
        reason: expect.stringContaining('UNUSED_PASSWORD_DAYS must be a whole number of days'),
      });
    },
  ],
};

describe('expiry run', () => {
  it.each(Object.keys(scenarios))('%s', async (name) => {
    await scenarios[name](expiryHarness());
  });

  it.each(Object.keys(offScenarios))('%s', async (name) => {
    const [env, run] = offScenarios[name];
    await run(expiryHarness(env));
  });

  it('through the deployed handler: the queued request expires the unused password', async () => {
    const h = harness({ env: { UNUSED_PASSWORD_DAYS: '7' } });
    addManagedUser(h.aws, 'late').tags.push({ Key: WELCOMED_TAG_KEY, Value: 'x' });
    h.aws.addProfile('late', 8 * DAY_MS);
    h.clock.now += 10 * DAY_MS;
    const response = await h.invokeSqs(sqsEvent(sqsRecord(JSON.stringify(EXPIRE_REQUEST))));
    expect(response.batchItemFailures).toEqual([]);
    expect(h.aws.users.get('late')?.profile).toBeUndefined();
  });

  let everyGrant: Grant[] = [];

  it('runs every scenario: no log line or notice carries a password', async () => {
    const passwords: string[] = [];
    const grants: Grant[] = [];
    const lines: string[] = [];
    for (const [name, run] of Object.entries(scenarios)) {
      iamMock.reset();
      sesMock.reset();
      sqsMock.reset();
      scenarioStart = output.lines().length;
      const h = expiryHarness();
      const before = [...h.aws.users.values()];
      await run(h).catch((error: unknown) => {
        throw new Error(`scenario "${name}" failed: ${String(error)}`);
      });
      for (const user of [...before, ...h.aws.users.values()]) {
        if (user.profile) passwords.push(user.profile.password);
      }
      passwords.push(...[...h.aws.users.keys()].map((n) => `Pw-${n}-Secret-1234!`));
      lines.push(...h.notices.map((n) => JSON.stringify(n)));
      grants.push(...recordedGrants());
    }
    lines.push(...output.lines());
    expect(passwords.length).toBeGreaterThan(10);
    // Verbatim, encoded (base64, hex, URL, JSON, reversed) or any piece of 6 or more; the
    // fake's fixed passwords start with `Pw-<user name>-`, which is no secret.
    const prefixes = passwords.map((p) => p.replace(/-Secret-1234!$/, '-'));
    expect(leaksOfAll(passwords, lines, { publicText: prefixes })).toEqual([]);
    expect(grants.map((g) => g.action)).toEqual(
      expect.arrayContaining(['iam:DeleteLoginProfile', 'iam:TagUser', 'sqs:SendMessage']),
    );
    everyGrant = grants;
  });

  it('every call of every scenario is granted by the role synthesized from config/settings.json', async () => {
    const tagsExpired = everyGrant.filter(
      (g) => g.action === 'iam:TagUser' && String(g.context?.['aws:TagKeys']) === EXPIRED_TAG_KEY,
    );
    expect(tagsExpired.length).toBeGreaterThan(0);
    const config = JSON.parse(synthStack(trailNoZone(), fixtureCode()).json) as RehearsalConfig;
    expect(await deniedCalls(config, everyGrant)).toEqual([]);
  });

  it('the role with expiry turned off refuses the expired tag', async () => {
    const settings = trailNoZone();
    const off = synthStack(
      { ...settings, expiry: { ...settings.expiry, enabled: false } },
      fixtureCode(),
    );
    const tagsExpired = everyGrant.filter(
      (g) => g.action === 'iam:TagUser' && String(g.context?.['aws:TagKeys']) === EXPIRED_TAG_KEY,
    );
    const denied = await deniedCalls(JSON.parse(off.json) as RehearsalConfig, tagsExpired);
    expect(denied).toHaveLength(tagsExpired.length);
  });
});
