/** The reconcile run: who under the managed path was never welcomed, and queuing their welcome. */
import {
  IAMClient,
  ListUsersCommand,
  ListUserTagsCommand,
  NoSuchEntityException,
} from '@aws-sdk/client-iam';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { queueResend, queueWelcome, reconcileUsers } from '../../../handlers/welcome/aws/users';
import { reconcileState } from '../../../handlers/welcome/core/reconcile';

const iamMock = mockClient(IAMClient);
const sqsMock = mockClient(SQSClient);
afterEach(() => {
  iamMock.reset();
  sqsMock.reset();
});

const managed = (extra: { Key: string; Value: string }[] = []) => ({
  Tags: [
    { Key: 'managed-by', Value: 'iam-onboarding' },
    { Key: 'email', Value: 'a@example.com' },
    ...extra,
  ],
});
const user = (name: string, extra: Record<string, unknown> = {}) => ({
  UserName: name,
  UserId: `AIDA${name.toUpperCase()}`,
  Path: '/iam-onboarding/',
  Arn: `arn:aws:iam::123456789012:user/iam-onboarding/${name}`,
  CreateDate: new Date('2026-11-01T00:00:00Z'),
  ...extra,
});

test('a user who never signed in and has no welcomed mark needs a welcome; the others do not', async () => {
  iamMock
    .on(ListUsersCommand, { PathPrefix: '/iam-onboarding/' })
    .resolvesOnce({
      Users: [user('ann'), user('bob', { PasswordLastUsed: new Date() })],
      IsTruncated: true,
      Marker: 'm1',
    })
    .resolves({
      Users: [user('cy'), user('dee'), user('eve', { Path: '/iam-onboarding/other/' })],
    });
  iamMock.on(ListUserTagsCommand, { UserName: 'ann' }).resolves(managed());
  iamMock.on(ListUserTagsCommand, { UserName: 'bob' }).resolves(managed());
  iamMock
    .on(ListUserTagsCommand, { UserName: 'cy' })
    .resolves(managed([{ Key: 'iam-onboarding:welcomed', Value: '2026-11-02T10:00:00Z' }]));
  iamMock
    .on(ListUserTagsCommand, { UserName: 'dee' })
    .rejects(new NoSuchEntityException({ message: 'gone', $metadata: {} }));

  const { report, states } = await reconcileUsers(new IAMClient({}));

  expect(states.map((s) => [s.user.userName, s.state])).toEqual([
    ['ann', 'needs-welcome'],
    ['bob', 'signed-in'],
    ['cy', 'welcomed'],
    ['dee', 'gone'],
    ['eve', 'not-managed'],
  ]);
  expect(report.toWelcome.map((u) => u.userName)).toEqual(['ann']);
  expect(report.counts).toEqual({
    recent: 0,
    'signed-in': 1,
    welcomed: 1,
    'not-managed': 1,
    'needs-welcome': 1,
    gone: 1,
    'needs-resend': 0,
    'resend-held': 0,
    suspended: 0,
  });
  // Tags are read for every user under the exact managed path (a signed-in
  // person may have a resend due), never for one created moments ago.
  expect(
    iamMock
      .commandCalls(ListUserTagsCommand)
      .map((c) => c.args[0].input.UserName)
      .sort(),
  ).toEqual(['ann', 'bob', 'cy', 'dee']);
});

test('a user under the path without the managed-by tag is not welcomed', () => {
  expect(
    reconcileState(
      { userName: 'x', userId: 'AIDAX', path: '/iam-onboarding/' },
      [{ Key: 'email', Value: 'x@example.com' }],
      Date.now(),
    ),
  ).toBe('not-managed');
});

test('a user created within the grace period is left to its own CreateUser event', () => {
  const now = Date.parse('2026-11-21T12:00:00Z');
  const user = { userName: 'new', userId: 'AIDANEW', path: '/iam-onboarding/' };
  const at = (minutesAgo: number) => ({ ...user, createdAt: new Date(now - minutesAgo * 60_000) });
  expect(reconcileState(at(14), undefined, now)).toBe('recent');
  expect(reconcileState(at(16), [], now)).toBe('not-managed');
});

test('a failure to list is not swallowed: the run fails and is retried', async () => {
  iamMock.on(ListUsersCommand).rejects(new Error('Throttling'));
  await expect(reconcileUsers(new IAMClient({}))).rejects.toThrow('Throttling');
});

test('queues a welcome request naming the user, their ID and the reason', async () => {
  sqsMock.on(SendMessageCommand).resolves({ MessageId: 'm' });
  await queueWelcome(
    new SQSClient({}),
    'https://sqs.us-east-1.amazonaws.com/123456789012/iam-onboarding-welcome-queue',
    { userName: 'ann', userId: 'AIDAANN' },
    'reconcile',
  );
  const [call] = sqsMock.commandCalls(SendMessageCommand);
  expect(JSON.parse(call.args[0].input.MessageBody!)).toEqual({
    'iam-onboarding': 'welcome',
    userName: 'ann',
    userId: 'AIDAANN',
    reason: 'reconcile',
  });
});

describe('a resend whose TagUser event was missed', () => {
  const now = Date.parse('2026-11-21T12:00:00Z');
  const person = { userName: 'ann', userId: 'AIDAANN', path: '/iam-onboarding/' };
  const tags = (extra: { Key: string; Value: string }[]) => managed(extra).Tags;
  const welcomed = { Key: 'iam-onboarding:welcomed', Value: '2026-11-02T10:00:00Z' };
  /** The last email went to the address the email tag holds now. */
  const sentHere = { Key: 'iam-onboarding:sent-to', Value: 'a@example.com' };

  test('is queued for a welcomed person, not signed in, whose last email went to the same address', () => {
    const raised = [welcomed, sentHere, { Key: 'resend-welcome', Value: '2' }];
    expect(reconcileState(person, tags(raised), now)).toBe('needs-resend');
  });

  // The reconcile sees no caller: whoever may tag the user could have raised
  // the counter. It serves only what any caller may have (core/resend.ts).
  test.each([
    ['to another address than the last email', [{ ...sentHere, Value: 'old@example.com' }], {}],
    ['with no address recorded for the last email', [], {}],
    ['to a person who has signed in', [sentHere], { passwordLastUsed: new Date(now - 1000) }],
    [
      'to a person who has signed in, even with the roster ask (only a TagUser by the deploy role counts)',
      [sentHere, { Key: 'resend-after-sign-in', Value: 'true' }],
      { passwordLastUsed: new Date(now - 1000) },
    ],
  ])('is held, not queued, %s', (_what, extra, listed) => {
    const raised = [
      welcomed,
      ...extra,
      { Key: 'resend-welcome', Value: '3' },
      { Key: 'iam-onboarding:resent', Value: '2' },
    ];
    expect(reconcileState({ ...person, ...listed }, tags(raised), now)).toBe('resend-held');
  });

  test('is not queued once served, nor before the first welcome (which covers it)', () => {
    const served = [
      welcomed,
      { Key: 'resend-welcome', Value: '2' },
      { Key: 'iam-onboarding:resent', Value: '2' },
    ];
    expect(reconcileState(person, tags(served), now)).toBe('welcomed');
    expect(reconcileState(person, tags([{ Key: 'resend-welcome', Value: '2' }]), now)).toBe(
      'needs-welcome',
    );
  });

  test('is queued as a resend request naming the user', async () => {
    iamMock.on(ListUsersCommand).resolves({ Users: [user('ann')] });
    iamMock
      .on(ListUserTagsCommand)
      .resolves(managed([welcomed, sentHere, { Key: 'resend-welcome', Value: '1' }]));
    const { report } = await reconcileUsers(new IAMClient({}));
    expect(report.toResend.map((u) => u.userName)).toEqual(['ann']);
    expect(report.toWelcome).toEqual([]);
    sqsMock.on(SendMessageCommand).resolves({ MessageId: 'm' });
    await queueResend(
      new SQSClient({}),
      'https://sqs.us-east-1.amazonaws.com/123456789012/q',
      report.toResend[0],
      'reconcile',
    );
    const [call] = sqsMock.commandCalls(SendMessageCommand);
    expect(JSON.parse(call.args[0].input.MessageBody!)).toEqual({
      'iam-onboarding': 'resend',
      userName: 'ann',
      userId: 'AIDAANN',
      reason: 'reconcile',
    });
  });
});
