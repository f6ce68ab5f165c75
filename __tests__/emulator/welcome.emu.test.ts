/**
 * The stack deployed for real into moto (one server for this file, stopped
 * at the end), the welcome flow through it hop by hop, and roster changes
 * applied on top. One deploy serves every test: they run in order and each
 * builds on the state the one before left, as a team's pull requests do.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateAccessKeyCommand,
  CreateVirtualMFADeviceCommand,
  DeleteAccessKeyCommand,
  ListAccessKeysCommand,
  EnableMFADeviceCommand,
  GetLoginProfileCommand,
  GetUserCommand,
  ListUserTagsCommand,
  GetGroupCommand,
  TagUserCommand,
} from '@aws-sdk/client-iam';
import {
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
} from '@aws-sdk/client-sqs';
import {
  DeleteIdentityCommand,
  GetSendStatisticsCommand,
  ListIdentitiesCommand,
  SESClient,
  SetIdentityMailFromDomainCommand,
  VerifyDomainDkimCommand,
  VerifyDomainIdentityCommand,
} from '@aws-sdk/client-ses';
import { startMoto, type MotoServer, type RecordedRequest } from '../../emulator/moto-server';
import { deploy, EMULATOR_CREDENTIALS, type DeployResult } from '../../emulator/deploy';
import { MOTO_ENV } from '../../emulator/gaps';
import { loadDeployment, type Deployment } from '../../emulator/deployment';
import {
  clients,
  createUserEvent,
  drainQueue,
  expireVisibility,
  motoMatches,
  publishedTo,
  publishToTopic,
  receivedEmails,
  requestsOf,
  ruleMatches,
  sendScheduledInput,
  tagUserEvent,
  untagUserEvent,
  type Batch,
  type BusEvent,
  type Clients,
} from '../../emulator/flow';
import { synthesize } from '../../stacks/synth';
import {
  ACCESS_UNTIL_TAG_KEY,
  DENY_ALL_POLICY_ARN,
  END_WARNED_TAG_KEY,
  REINSTATED_AT_TAG_KEY,
  RESEND_TAG_KEY,
  SUSPENDED_AT_TAG_KEY,
  SUSPENDED_TAG_KEY,
  WELCOME_QUEUE_MAX_RECEIVES,
  WELCOMED_TAG_KEY,
} from '../../shared/contract';
import { leaksOfAll } from '../support/secret-leaks';
import { recordEnds } from '../../emulator/function-log';
import { GRACE_PERIOD_MS, IN_FLIGHT_WINDOW_MS } from '../../handlers/welcome/core/consistency';

const MINUTES = 60_000;
const ROSTER = JSON.parse(readFileSync(join(__dirname, '../../users/users.json'), 'utf8')) as {
  groups: { groupName: string }[];
  users: {
    userName: string;
    email: string;
    groups: string[];
    resend?: number;
    accessUntil?: string;
  }[];
};

let moto: MotoServer;
let dir: string;
let workDir: string;
let c: Clients;
let first: DeployResult;
let d: Deployment;
/** Everything the function logged in this file's invocations. */
const logs: string[] = [];
/** The roster as the roster-change tests left it (the suspension tests build on it). */
let changedRoster: typeof ROSTER;

function synthAndDeploy(roster: unknown): DeployResult {
  const rosterFile = join(dir, `roster-${Date.now()}.json`);
  writeFileSync(rosterFile, JSON.stringify(roster));
  const { stackDir } = synthesize({ outdir: join(dir, 'out'), rosterFile });
  return deploy({ stackDir, workDir, endpoint: moto.endpoint });
}

/** What a plan still wants to do. */
const ours = (r: DeployResult) =>
  r.pending.map((p) => `${p.address} ${p.change.actions.join(',')}`);

async function deliver(events: readonly BusEvent[]): Promise<Batch[]> {
  for (const e of events) {
    expect({ event: e.detail.eventName, matches: ruleMatches(d.pattern, e) }).toEqual({
      event: e.detail.eventName,
      matches: true,
    });
    await publishToTopic(c.sns, d.topicArn, e);
  }
  const batches = await drainQueue({
    sqs: c.sqs,
    queueUrl: d.queueUrl,
    mapping: d.mapping,
    fn: d.fn,
  });
  logs.push(...batches.map((b) => b.invocation.logs));
  return batches;
}

const since = async (n: number): Promise<RecordedRequest[]> => (await moto.requests()).slice(n);
const passwordIn = (text: string) => /Temporary password:\s+(\S+)/.exec(text)?.[1];

/** The password the emulator was last asked to set for a user (moto stores it as given). */
function profilePassword(requests: readonly RecordedRequest[], userName: string) {
  const sets = [
    ...requestsOf(requests, 'CreateLoginProfile'),
    ...requestsOf(requests, 'UpdateLoginProfile'),
  ].filter((p) => p.get('UserName') === userName);
  return sets.length === 0 ? undefined : sets[sets.length - 1];
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'iam-onboarding-emu-'));
  workDir = join(dir, 'terraform');
  moto = await startMoto({ env: MOTO_ENV });
  c = clients(moto.endpoint);
  first = synthAndDeploy(ROSTER);
  d = await loadDeployment(moto.endpoint, workDir, c);
}, 15 * MINUTES);

afterAll(async () => {
  d?.fn.dispose();
  if (c) for (const client of [c.iam, c.sns, c.sqs]) client.destroy();
  await moto?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('the stack, deployed into moto', () => {
  it('applies, and a plan right after wants nothing of ours', () => {
    expect(ours(first)).toEqual([]);
    for (const u of ROSTER.users)
      expect(first.pending.map((p) => p.address)).not.toContain(`aws_iam_user.${u.userName}`);
  });

  it("deploys what the flow runs on: the mapping disabled only by the harness, with the stack's settings", () => {
    expect(d.mapping).toMatchObject({
      BatchSize: 1,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
    expect(d.pattern).toContain('CreateUser');
    expect(d.fn.config.Environment?.Variables?.WELCOME_QUEUE_URL).toBe(d.queueUrl);
  });
});

describe('the welcome flow', () => {
  let batches: Batch[];
  let start: number;
  beforeAll(async () => {
    start = (await moto.requests()).length;
    const events = await Promise.all(ROSTER.users.map((u) => createUserEvent(c.iam, u.userName)));
    batches = await deliver(events);
  }, 5 * MINUTES);

  it('runs each record once and deletes it: no failures', () => {
    expect(batches).toHaveLength(ROSTER.users.length);
    for (const b of batches) {
      expect(b.invocation.error).toBeUndefined();
      expect(b.deleted).toEqual(b.messageIds);
    }
  });

  it('sends one email per new person, to their address, from the sender, with the sign-in URL and user name', async () => {
    const emails = receivedEmails(await since(start));
    expect(emails.map((e) => e.to).sort()).toEqual(ROSTER.users.map((u) => [u.email]).sort());
    for (const u of ROSTER.users) {
      const [e] = emails.filter((m) => m.to[0] === u.email);
      expect(e.from).toContain(
        d.fn.config.Environment!.Variables!.SENDER_ADDRESS.replace(/^.*</, '').replace('>', ''),
      );
      expect(e.configurationSet).toBe(d.fn.config.Environment!.Variables!.SES_CONFIGURATION_SET);
      expect(e.text).toContain('https://123456789012.signin.aws.amazon.com/console');
      expect(e.text).toContain(u.userName);
      expect(e.html).toContain(u.userName);
    }
  });

  it('mails the password the login profile holds, asked with reset required; tags the user welcomed', async () => {
    const requests = await since(start);
    const emails = receivedEmails(requests);
    for (const u of ROSTER.users) {
      const password = passwordIn(emails.find((m) => m.to[0] === u.email)!.text);
      const set = profilePassword(requests, u.userName)!;
      expect(password).toBeDefined();
      expect(set.get('Password')).toBe(password);
      expect(set.get('PasswordResetRequired')).toBe('true');
      await expect(
        c.iam.send(new GetLoginProfileCommand({ UserName: u.userName })),
      ).resolves.toBeDefined();
      const { Tags } = await c.iam.send(new ListUserTagsCommand({ UserName: u.userName }));
      expect(Tags?.map((t) => t.Key)).toContain(WELCOMED_TAG_KEY);
    }
  });

  it('tells the admins on their topic, without the password', async () => {
    const requests = await since(start);
    const notices = publishedTo(requests, d.adminTopicArn);
    const passwords = receivedEmails(requests).map((e) => passwordIn(e.text)!);
    for (const u of ROSTER.users)
      expect(notices.filter((n) => n.includes(u.userName))).toHaveLength(1);
    for (const p of passwords) for (const n of notices) expect(n).not.toContain(p);
  });

  it('sends no second email on a second delivery of the same message, or a replay of the event', async () => {
    const n = (await moto.requests()).length;
    const body = requestsOf(await moto.requests(), 'Publish')
      .find((p) => p.get('TopicArn') === d.topicArn)!
      .get('Message')!;
    // SQS delivers at least once: the same SNS envelope again...
    const envelope = JSON.parse(
      JSON.stringify({
        Type: 'Notification',
        MessageId: 'dup',
        TopicArn: d.topicArn,
        Message: body,
      }),
    );
    await c.sqs.send(
      new SendMessageCommand({ QueueUrl: d.queueUrl, MessageBody: JSON.stringify(envelope) }),
    );
    // ...and EventBridge may deliver the same event twice.
    const again = await deliver([JSON.parse(body) as BusEvent]);
    expect(again.length).toBeGreaterThanOrEqual(1);
    for (const b of again) expect(b.invocation.error).toBeUndefined();
    expect(receivedEmails(await since(n))).toEqual([]);
  });

  it('serves the reconcile and expiry requests the schedules queue, mailing nobody already welcomed', async () => {
    const n = (await moto.requests()).length;
    expect(d.schedules.map((s) => JSON.parse(s.input) as unknown)).toEqual(
      expect.arrayContaining([{ 'iam-onboarding': 'reconcile' }, { 'iam-onboarding': 'expire' }]),
    );
    for (const s of d.schedules) await sendScheduledInput(c.sqs, d.queueUrl, s.input);
    const batches = await drainQueue({
      sqs: c.sqs,
      queueUrl: d.queueUrl,
      mapping: d.mapping,
      fn: d.fn,
    });
    logs.push(...batches.map((b) => b.invocation.logs));
    expect(batches).toHaveLength(d.schedules.length);
    for (const b of batches) {
      expect(b.invocation.error).toBeUndefined();
      expect(b.deleted).toEqual(b.messageIds);
    }
    const requests = await since(n);
    expect(receivedEmails(requests)).toEqual([]);
    // Nobody's password is old enough to expire.
    expect(requestsOf(requests, 'DeleteLoginProfile')).toEqual([]);
    expect(requestsOf(requests, 'ListUsers').length).toBeGreaterThan(0);
  });
});

describe('a roster change, applied for real', () => {
  const renamed = 'alice.moreau';
  const added = 'dan.osei';
  // Added too; its CreateUser is delivered only by the dead-letter test below.
  const failing = 'erin.vega';
  let change: DeployResult;
  let start: number;
  let oldCarla: string | undefined;
  beforeAll(async () => {
    const before = await moto.requests();
    oldCarla = profilePassword(before, 'carla.diaz')?.get('Password') ?? undefined;
    // alice.martin set up an MFA device before she is renamed (removed, then added).
    const { VirtualMFADevice } = await c.iam.send(
      new CreateVirtualMFADeviceCommand({ VirtualMFADeviceName: 'alice.martin' }),
    );
    await c.iam.send(
      new EnableMFADeviceCommand({
        UserName: 'alice.martin',
        SerialNumber: VirtualMFADevice!.SerialNumber,
        AuthenticationCode1: '123456',
        AuthenticationCode2: '654321',
      }),
    );
    start = before.length;
    const [alice, bo, carla, ...rest] = ROSTER.users;
    expect([alice.userName, bo.userName, carla.userName]).toEqual([
      'alice.martin',
      'bo.chen',
      'carla.diaz',
    ]);
    expect(bo.groups).toContain('support');
    changedRoster = {
      ...ROSTER,
      // A group that still has a member (bo.chen) goes.
      groups: ROSTER.groups.filter((g) => g.groupName !== 'support'),
      users: [
        { ...alice, userName: renamed },
        { ...bo, groups: bo.groups.filter((g) => g !== 'support') },
        { ...carla, resend: 1 },
        ...rest,
        { userName: added, email: 'dan.osei@example.com', groups: ['billing'] },
        { userName: failing, email: 'erin.vega@example.com', groups: ['billing'] },
      ],
    };
    change = synthAndDeploy(changedRoster);
  }, 15 * MINUTES);

  it('applies: the removed user goes with their login profile and MFA device, the group after its member left; the plan after is clean', async () => {
    expect(ours(change)).toEqual([]);
    await expect(c.iam.send(new GetUserCommand({ UserName: 'alice.martin' }))).rejects.toThrow();
    await expect(c.iam.send(new GetGroupCommand({ GroupName: 'support' }))).rejects.toThrow();
    const requests = await since(start);
    expect(requestsOf(requests, 'DeleteLoginProfile').map((p) => p.get('UserName'))).toContain(
      'alice.martin',
    );
    expect(requestsOf(requests, 'DeactivateMFADevice').map((p) => p.get('UserName'))).toContain(
      'alice.martin',
    );
    const tagged = requestsOf(requests, 'TagUser').filter(
      (p) => p.get('UserName') === 'carla.diaz',
    );
    expect(tagged.length).toBeGreaterThan(0);
  });

  it(
    'welcomes the added and renamed people and resends to the raised one: one email each, the old password gone',
    async () => {
      const n = (await moto.requests()).length;
      const events = [
        await createUserEvent(c.iam, renamed),
        await createUserEvent(c.iam, added),
        await tagUserEvent(c.iam, 'carla.diaz', [RESEND_TAG_KEY]),
      ];
      // moto's own matcher cannot see into the TagUser event's list of tags (gaps.ts).
      expect(motoMatches(d.pattern, events[2])).toBe(false);
      const batches = await deliver(events);
      for (const b of batches) expect(b.invocation.error).toBeUndefined();
      // carla.diaz was welcomed minutes ago: a profile younger than the in-flight window may be a
      // send still running, so the resend waits for the next delivery, after the visibility
      // timeout (longer than the window). The harness waits out the window, not the timeout.
      const deferred = batches.filter((b) => Object.keys(b.failed).length > 0);
      expect(deferred.map((b) => /"userName":"([^"]+)"/.exec(b.invocation.logs)?.[1])).toEqual(
        deferred.length ? ['carla.diaz'] : [],
      );
      if (deferred.length > 0) {
        const { LoginProfile } = await c.iam.send(
          new GetLoginProfileCommand({ UserName: 'carla.diaz' }),
        );
        const age = Date.now() - LoginProfile!.CreateDate!.getTime();
        await new Promise((r) => setTimeout(r, Math.max(0, IN_FLIGHT_WINDOW_MS - age + 2000)));
        await expireVisibility(c.sqs, d.queueUrl, deferred);
        const again = await drainQueue({
          sqs: c.sqs,
          queueUrl: d.queueUrl,
          mapping: d.mapping,
          fn: d.fn,
        });
        logs.push(...again.map((b) => b.invocation.logs));
        expect(again.flatMap((b) => Object.keys(b.failed))).toEqual([]);
      }
      const requests = await since(n);
      const emails = receivedEmails(requests);
      expect(emails.map((e) => e.to[0]).sort()).toEqual([
        'alice.martin@example.com',
        'carla.diaz@example.com',
        'dan.osei@example.com',
      ]);
      const carla = passwordIn(emails.find((e) => e.to[0] === 'carla.diaz@example.com')!.text);
      expect(carla).toBeDefined();
      expect(oldCarla).toBeDefined();
      expect(carla).not.toBe(oldCarla);
      expect(profilePassword(await moto.requests(), 'carla.diaz')!.get('Password')).toBe(carla);
      // The resend is served once: the same event again sends nothing.
      const m = (await moto.requests()).length;
      await deliver([events[2]]);
      expect(receivedEmails(await since(m))).toEqual([]);
    },
    10 * MINUTES,
  );

  it('never logged a password', async () => {
    const passwords = receivedEmails(await moto.requests()).map((e) => passwordIn(e.text)!);
    expect(passwords.length).toBeGreaterThan(ROSTER.users.length);
    const all = logs.join('\n');
    expect(all.length).toBeGreaterThan(0);
    for (const p of passwords) {
      expect(all).not.toContain(p);
      expect(all).not.toContain(Buffer.from(p).toString('base64'));
      expect(all).not.toContain(encodeURIComponent(p));
    }
  });
});

describe('suspending and reinstating in the roster, applied for real', () => {
  const person = 'carla.diaz';
  const roster = (suspended: boolean) => ({
    ...changedRoster,
    users: changedRoster.users.map((u) =>
      u.userName === person && suspended ? { ...u, suspended } : u,
    ),
  });
  let keyId: string;

  it(
    '"suspended": true applied: the TagUser event reaches the function, the password goes, the keys turn Inactive, the user stays',
    async () => {
      const { AccessKey } = await c.iam.send(new CreateAccessKeyCommand({ UserName: person }));
      keyId = AccessKey!.AccessKeyId!;
      await c.iam.send(new GetLoginProfileCommand({ UserName: person }));
      const n = (await moto.requests()).length;
      const applied = synthAndDeploy(roster(true));
      expect(ours(applied)).toEqual([]);
      const requests = await since(n);
      // What the apply did to the user: the tag the function is cued by, and the deny-all.
      expect(
        requestsOf(requests, 'TagUser')
          .filter((p) => p.get('UserName') === person)
          .flatMap((p) => [...p.entries()].filter(([k]) => /^Tags\.member\.\d+\.Key$/.test(k)))
          .map(([, v]) => v),
      ).toContain(SUSPENDED_TAG_KEY);
      expect(
        requestsOf(requests, 'AttachUserPolicy')
          .filter((p) => p.get('UserName') === person)
          .map((p) => p.get('PolicyArn')),
      ).toEqual([DENY_ALL_POLICY_ARN]);

      const batches = await deliver([await tagUserEvent(c.iam, person, [SUSPENDED_TAG_KEY])]);
      expect(batches.flatMap((b) => Object.keys(b.failed))).toEqual([]);
      expect(batches.map((b) => b.invocation.error)).toEqual([undefined]);
      await expect(
        c.iam.send(new GetLoginProfileCommand({ UserName: person })),
      ).rejects.toMatchObject({ name: 'NoSuchEntityException' });
      const { AccessKeyMetadata } = await c.iam.send(
        new ListAccessKeysCommand({ UserName: person }),
      );
      expect(AccessKeyMetadata?.map((k) => [k.AccessKeyId, k.Status])).toEqual([
        [keyId, 'Inactive'],
      ]);
      const { Tags } = await c.iam.send(new ListUserTagsCommand({ UserName: person }));
      expect(Tags?.map((t) => t.Key)).toEqual(
        expect.arrayContaining([SUSPENDED_TAG_KEY, SUSPENDED_AT_TAG_KEY]),
      );
      expect(receivedEmails(await since(n))).toEqual([]);
    },
    15 * MINUTES,
  );

  it(
    'the field removed and applied: the UntagUser event reaches the function, and a fresh password goes out by email',
    async () => {
      const n = (await moto.requests()).length;
      const applied = synthAndDeploy(roster(false));
      expect(ours(applied)).toEqual([]);
      const requests = await since(n);
      const untagged = requestsOf(requests, 'UntagUser').filter(
        (p) => p.get('UserName') === person,
      );
      expect(
        untagged.flatMap((p) => [...p.entries()].filter(([k]) => k.startsWith('TagKeys'))),
      ).toEqual([['TagKeys.member.1', SUSPENDED_TAG_KEY]]);
      const event = await untagUserEvent(c.iam, person, [SUSPENDED_TAG_KEY]);
      // A list of strings: moto's own matcher judges it (no harness translation needed).
      expect(motoMatches(d.pattern, event)).toBe(true);
      const batches = await deliver([event]);
      expect(batches.flatMap((b) => Object.keys(b.failed))).toEqual([]);
      const emails = receivedEmails(await since(n));
      expect(emails.map((e) => e.to)).toEqual([[`${person}@example.com`]]);
      const password = passwordIn(emails[0].text);
      expect(password).toBeDefined();
      expect(profilePassword(await moto.requests(), person)!.get('Password')).toBe(password);
      await c.iam.send(new GetLoginProfileCommand({ UserName: person }));
      const { Tags } = await c.iam.send(new ListUserTagsCommand({ UserName: person }));
      expect(Tags?.map((t) => t.Key)).toContain(REINSTATED_AT_TAG_KEY);
      expect(Tags?.map((t) => t.Key)).not.toContain(SUSPENDED_TAG_KEY);
      // Keys stay off: turning one back on is the person's or an admin's.
      const { AccessKeyMetadata } = await c.iam.send(
        new ListAccessKeysCommand({ UserName: person }),
      );
      expect(AccessKeyMetadata?.map((k) => k.Status)).toEqual(['Inactive']);
      // The same event again sends nothing.
      const m = (await moto.requests()).length;
      await deliver([event]);
      expect(receivedEmails(await since(m))).toEqual([]);
      expect(leaksOfAll([password!], logs)).toEqual([]);
      await c.iam.send(new DeleteAccessKeyCommand({ UserName: person, AccessKeyId: keyId }));
    },
    15 * MINUTES,
  );
});

describe('a welcome that keeps failing, as SQS and Lambda run it', () => {
  const failing = 'erin.vega';
  /**
   * The VisibilityTimeout the poller asks for here, in seconds: the deployed
   * queue's (read below, 6 minutes) five times over would be half an hour.
   * Lambda asks for none; moto honours one given on ReceiveMessage as SQS
   * does (a harness deviation, in the README's emulator table).
   */
  const SHORT = 20;
  let ses: SESClient;
  let queue: Record<string, string>;
  let redrive: { deadLetterTargetArn: string; maxReceiveCount: number };
  let dlqUrl: string;
  let rejectsBefore: number;
  let sentBefore: number;
  let start: number;
  const rounds: {
    batches: Batch[];
    invisibleRightAfter: Record<string, string>;
    took: number;
    /** The recorder's length when the round began. */
    from: number;
  }[] = [];
  let afterLast: Batch[];
  const counts = async (url: string) =>
    (
      await c.sqs.send(
        new GetQueueAttributesCommand({
          QueueUrl: url,
          AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
        }),
      )
    ).Attributes!;

  beforeAll(async () => {
    ses = new SESClient({
      endpoint: moto.endpoint,
      region: EMULATOR_CREDENTIALS.AWS_REGION,
      credentials: {
        accessKeyId: EMULATOR_CREDENTIALS.AWS_ACCESS_KEY_ID,
        secretAccessKey: EMULATOR_CREDENTIALS.AWS_SECRET_ACCESS_KEY,
      },
    });
    queue = (
      await c.sqs.send(
        new GetQueueAttributesCommand({
          QueueUrl: d.queueUrl,
          AttributeNames: ['VisibilityTimeout', 'RedrivePolicy'],
        }),
      )
    ).Attributes!;
    redrive = JSON.parse(queue.RedrivePolicy) as typeof redrive;
    dlqUrl = (
      await c.sqs.send(
        new GetQueueUrlCommand({ QueueName: redrive.deadLetterTargetArn.split(':')[5] }),
      )
    ).QueueUrl!;
    // A real failure, not a mock: the sender's identity is no longer verified (a domain
    // removed from SES, say), so SES refuses every SendEmail with MessageRejected.
    const sender = /([^<\s]+@[^>\s]+)/.exec(d.fn.config.Environment!.Variables!.SENDER_ADDRESS)![1];
    // The domain first: moto's DeleteIdentity of an address verified only through its domain fails.
    for (const identity of [sender.split('@')[1], sender])
      await ses.send(new DeleteIdentityCommand({ Identity: identity }));
    const left = (await ses.send(new ListIdentitiesCommand({}))).Identities ?? [];
    expect(left.filter((i) => i === sender || i === sender.split('@')[1])).toEqual([]);
    const stats = async () =>
      (await ses.send(new GetSendStatisticsCommand({}))).SendDataPoints?.[0] ?? {};
    const s0 = await stats();
    rejectsBefore = s0.Rejects ?? 0;
    sentBefore = s0.DeliveryAttempts ?? 0;

    start = (await moto.requests()).length;
    const event = await createUserEvent(c.iam, failing);
    expect(ruleMatches(d.pattern, event)).toBe(true);
    await publishToTopic(c.sns, d.topicArn, event);
    for (let i = 0; i < redrive.maxReceiveCount; i++) {
      const from = (await moto.requests()).length;
      const t0 = Date.now();
      const batches = await drainQueue({
        sqs: c.sqs,
        queueUrl: d.queueUrl,
        mapping: d.mapping,
        fn: d.fn,
        visibilityTimeout: SHORT,
      });
      logs.push(...batches.map((b) => b.invocation.logs));
      const took = Date.now() - t0;
      const invisibleRightAfter = await counts(d.queueUrl);
      rounds.push({ batches, invisibleRightAfter, took, from });
      // The message comes back once its visibility timeout (from the receive) has passed.
      await new Promise((r) => setTimeout(r, Math.max(0, t0 + SHORT * 1000 + 1000 - Date.now())));
    }
    // The receive after the last: SQS moves the message to the dead-letter queue instead.
    afterLast = await drainQueue({
      sqs: c.sqs,
      queueUrl: d.queueUrl,
      mapping: d.mapping,
      fn: d.fn,
      visibilityTimeout: SHORT,
    });
  }, 10 * MINUTES);

  afterAll(() => ses?.destroy());

  it("the deployed queue's settings, read from moto: a visibility timeout past the function's in-flight window, 5 receives, then the dead-letter queue", () => {
    expect(Number(queue.VisibilityTimeout) * 1000).toBeGreaterThan(IN_FLIGHT_WINDOW_MS);
    expect(redrive.maxReceiveCount).toBe(WELCOME_QUEUE_MAX_RECEIVES);
    expect(redrive.maxReceiveCount).toBe(5);
    expect(SHORT).toBeLessThan(Number(queue.VisibilityTimeout));
  });

  it('fails the record on each receive (SES refuses), leaves it on the queue, and it is invisible until its visibility timeout passes', () => {
    expect(rounds).toHaveLength(5);
    for (const [i, r] of rounds.entries()) {
      // One receive per round: the failed message stays invisible, so the next receive finds nothing.
      expect(r.batches).toHaveLength(1);
      const [b] = r.batches;
      const id = b.messageIds[0];
      expect(b.receiveCounts[id]).toBe(i + 1);
      expect(b.invocation.error).toBeUndefined();
      expect(Object.keys(b.failed)).toEqual([id]);
      expect(b.deleted).toEqual([]);
      // The round's receive and invocation ended within the shortened timeout, so "invisible" is a finding.
      expect(r.took).toBeLessThan(SHORT * 1000);
      expect(r.invisibleRightAfter).toMatchObject({
        ApproximateNumberOfMessages: '0',
        ApproximateNumberOfMessagesNotVisible: '1',
      });
      expect(recordEnds([b])).toEqual([
        expect.objectContaining({
          userName: failing,
          outcome: 'failed',
          step: 'send-email',
          errorName: 'MessageRejected',
        }),
      ]);
    }
    expect(new Set(rounds.map((r) => r.batches[0].messageIds[0])).size).toBe(1);
  });

  it('after the 5th failed receive the message is in the dead-letter queue, not redelivered', async () => {
    expect(afterLast).toEqual([]);
    expect(await counts(d.queueUrl)).toMatchObject({
      ApproximateNumberOfMessages: '0',
      ApproximateNumberOfMessagesNotVisible: '0',
    });
    const { Messages } = await c.sqs.send(
      new ReceiveMessageCommand({ QueueUrl: dlqUrl, MaxNumberOfMessages: 10 }),
    );
    expect(Messages).toHaveLength(1);
    expect(Messages![0].MessageId).toBe(rounds[0].batches[0].messageIds[0]);
    const envelope = JSON.parse(Messages![0].Body!) as { TopicArn: string; Message: string };
    expect(envelope.TopicArn).toBe(d.topicArn);
    const event = JSON.parse(envelope.Message) as BusEvent;
    expect(event.detail.eventName).toBe('CreateUser');
    expect((event.detail.requestParameters as { userName: string }).userName).toBe(failing);
  });

  it('tells the admins once, on the last try only, that the welcome waits in the dead-letter queue', async () => {
    const requests = await since(start);
    const notices = publishedTo(requests, d.adminTopicArn).filter((n) => n.includes(failing));
    expect(notices).toHaveLength(1);
    expect(notices[0]).toContain('failed on its last try');
    expect(notices[0]).toContain(redrive.deadLetterTargetArn.split(':')[5]);
    expect(notices[0]).toContain('failed 5 times; last at step send-email (MessageRejected)');
    // In the 5th round, none before.
    const all = await moto.requests();
    const perRound = rounds.map(
      (r, i) =>
        publishedTo(all.slice(r.from, rounds[i + 1]?.from ?? all.length), d.adminTopicArn).length,
    );
    expect(perRound).toEqual([0, 0, 0, 0, 1]);
  });

  it('sent nothing, left no password behind, and logged none', async () => {
    const s = (await ses.send(new GetSendStatisticsCommand({}))).SendDataPoints?.[0] ?? {};
    expect((s.Rejects ?? 0) - rejectsBefore).toBe(5);
    expect(s.DeliveryAttempts ?? 0).toBe(sentBefore);
    // Each try's profile was rolled back after SES refused: none is left, nor the welcomed tag.
    await expect(c.iam.send(new GetLoginProfileCommand({ UserName: failing }))).rejects.toThrow();
    const { Tags } = await c.iam.send(new ListUserTagsCommand({ UserName: failing }));
    expect(Tags?.map((t) => t.Key)).not.toContain(WELCOMED_TAG_KEY);
    const requests = await since(start);
    const tried = requestsOf(requests, 'CreateLoginProfile')
      .filter((p) => p.get('UserName') === failing)
      .map((p) => p.get('Password')!);
    expect(tried).toHaveLength(5);
    expect(
      requestsOf(requests, 'DeleteLoginProfile').filter((p) => p.get('UserName') === failing),
    ).toHaveLength(5);
    const lines = rounds.flatMap((r) => r.batches.flatMap((b) => b.invocation.logs.split('\n')));
    expect(lines.length).toBeGreaterThan(5);
    expect(leaksOfAll(tried, lines)).toEqual([]);
  });
});

describe('an end date in the roster, applied for real', () => {
  // Created by the first deploy: the one whose grace period ends first.
  const person = 'bo.chen';
  const DAY_MS = 86_400_000;
  const lastDay = new Date(Date.now() + 3 * DAY_MS).toISOString().slice(0, 10);
  const yesterday = new Date(Date.now() - DAY_MS).toISOString().slice(0, 10);
  const roster = () => ({
    ...changedRoster,
    users: changedRoster.users.map((u) =>
      u.userName === person ? { ...u, accessUntil: lastDay } : u,
    ),
  });
  const reconcile = async () => {
    const input = d.schedules.find(
      (s) => (JSON.parse(s.input) as Record<string, unknown>)['iam-onboarding'] === 'reconcile',
    )!.input;
    const n = (await moto.requests()).length;
    await sendScheduledInput(c.sqs, d.queueUrl, input);
    const batches = await drainQueue({
      sqs: c.sqs,
      queueUrl: d.queueUrl,
      mapping: d.mapping,
      fn: d.fn,
    });
    logs.push(...batches.map((b) => b.invocation.logs));
    expect(batches.flatMap((b) => Object.keys(b.failed))).toEqual([]);
    for (const b of batches) expect(b.invocation.error).toBeUndefined();
    const requests = await since(n);
    return {
      notices: publishedTo(requests, d.adminTopicArn).filter((m) => m.includes(person)),
      emails: receivedEmails(requests).filter((e) => e.to.includes(`${person}@example.com`)),
      requests,
    };
  };
  beforeAll(async () => {
    // The sender's domain back in SES, as an admin would restore it (the dead-letter tests
    // removed it). Terraform reads it back unchanged; re-creating it is not possible in
    // moto, whose new identity has no DKIM tokens for the stack's DNS output.
    const ses = new SESClient({
      endpoint: moto.endpoint,
      region: EMULATOR_CREDENTIALS.AWS_REGION,
      credentials: {
        accessKeyId: EMULATOR_CREDENTIALS.AWS_ACCESS_KEY_ID,
        secretAccessKey: EMULATOR_CREDENTIALS.AWS_SECRET_ACCESS_KEY,
      },
    });
    const domain = /@([^>\s]+)/.exec(d.fn.config.Environment!.Variables!.SENDER_ADDRESS)![1];
    await ses.send(new VerifyDomainIdentityCommand({ Domain: domain }));
    await ses.send(new VerifyDomainDkimCommand({ Domain: domain }));
    await ses.send(
      new SetIdentityMailFromDomainCommand({
        Identity: domain,
        MailFromDomain: `mail.${domain}`,
        BehaviorOnMXFailure: 'UseDefaultValue',
      }),
    );
    ses.destroy();
    // The hourly run leaves alone anyone created within the grace period (their CreateUser
    // event may still be on its way), and this file is younger than it. moto has no clock to
    // move and the function reads the real one: the harness waits the rest of it out.
    const { User } = await c.iam.send(new GetUserCommand({ UserName: person }));
    const left = User!.CreateDate!.getTime() + GRACE_PERIOD_MS + 5_000 - Date.now();
    await new Promise((r) => setTimeout(r, Math.max(0, left)));
  }, 20 * MINUTES);
  const tags = async () =>
    Object.fromEntries(
      ((await c.iam.send(new ListUserTagsCommand({ UserName: person }))).Tags ?? []).map((t) => [
        t.Key!,
        t.Value!,
      ]),
    );

  it(
    'applied three days ahead: the tag is written, the plan is clean, and the hourly run warns the admins once',
    async () => {
      const applied = synthAndDeploy(roster());
      expect(ours(applied)).toEqual([]);
      expect((await tags())[ACCESS_UNTIL_TAG_KEY]).toBe(lastDay);
      const warned = await reconcile();
      expect(warned.notices).toHaveLength(1);
      // Three days, or two once midnight (UTC) passed since this file began.
      expect(warned.notices[0]).toMatch(new RegExp(`last day ${lastDay} \\(UTC\\), in [23] days`));
      expect(warned.emails).toEqual([]);
      expect((await tags())[END_WARNED_TAG_KEY]).toBe(lastDay);
      // Told once: the next hour's run says nothing more.
      expect((await reconcile()).notices).toEqual([]);
    },
    15 * MINUTES,
  );

  it(
    'the last day passed: the hourly run turns sign-in off and tells the admins why, and moving the date later reinstates by email',
    async () => {
      // moto has no clock to move, and the function reads the real one: the
      // harness writes the day as IAM holds it once three days have passed
      // (a date in the past, which the roster refuses when it is added).
      await c.iam.send(
        new TagUserCommand({
          UserName: person,
          Tags: [{ Key: ACCESS_UNTIL_TAG_KEY, Value: yesterday }],
        }),
      );
      await c.iam.send(new GetLoginProfileCommand({ UserName: person }));
      const ended = await reconcile();
      expect(ended.notices).toHaveLength(1);
      expect(ended.notices[0]).toContain(`access ended on ${yesterday}`);
      expect(ended.emails).toEqual([]);
      await expect(
        c.iam.send(new GetLoginProfileCommand({ UserName: person })),
      ).rejects.toMatchObject({ name: 'NoSuchEntityException' });
      expect(await tags()).toHaveProperty([SUSPENDED_AT_TAG_KEY]);

      // The roster's later date, written back as a deploy would: a fresh password by email.
      const applied = synthAndDeploy(roster());
      expect(ours(applied)).toEqual([]);
      expect((await tags())[ACCESS_UNTIL_TAG_KEY]).toBe(lastDay);
      const back = await reconcile();
      expect(back.emails).toHaveLength(1);
      const password = passwordIn(back.emails[0].text);
      expect(password).toBeDefined();
      expect(profilePassword(back.requests, person)!.get('Password')).toBe(password);
      // The notice's text (its headline is the SNS subject, which the recorder's Message omits).
      expect(back.notices.some((m) => m.includes(`The suspension of ${person} was lifted`))).toBe(
        true,
      );
      expect(await tags()).toHaveProperty([REINSTATED_AT_TAG_KEY]);
      expect(leaksOfAll([password!], logs)).toEqual([]);
    },
    20 * MINUTES,
  );
});
