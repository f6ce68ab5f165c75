/**
 * Suspend, reinstate and end dates through the real handler, with real SQS
 * record shapes (real SDK clients behind the fake IAM + SES): the
 * `suspended` tag's TagUser/UntagUser events act at once, the reconcile
 * request (the schedule that always runs) applies end dates and warns the
 * admins a week before, once per date, and no path welcomes or resends to a
 * suspended person. Every call made is checked against the synthesized role.
 */
import { PublishCommand } from '@aws-sdk/client-sns';
import {
  ACCESS_UNTIL_TAG_KEY,
  END_WARNED_TAG_KEY,
  RECONCILE_REQUEST,
  REINSTATED_AT_TAG_KEY,
  RESEND_TAG_KEY,
  SENT_TO_TAG_KEY,
  SUSPENDED_AT_TAG_KEY,
  SUSPENDED_TAG_KEY,
  WELCOMED_TAG_KEY,
  resendRequest,
  welcomeRequest,
} from '../../../shared/contract';
import { deniedCalls, type TfConfig as RehearsalConfig } from '../../../review/rehearsal';
import { PIPELINE_NAMES } from '../../../stacks/welcome-pipeline';
import { matchesEventPattern } from '../../support/event-pattern';
import { fixtureCode, only, synthStack, trailNoZone } from '../../support/stack';
import {
  iamMock,
  sentTo,
  sesMock,
  snsMock,
  sqsMock,
  tagOf,
  type FakeUser,
} from '../../support/fake-aws';
import { type Grant, recordedGrants } from '../../support/grants';
import {
  ACCOUNT_ID,
  captureOutput,
  createUserEvent,
  sqsEvent,
  sqsRecord,
  tagUserEvent,
} from '../../support/welcome-events';
import { addManagedUser, harness, type Harness } from '../../support/welcome-harness';
import { leaksOfAll } from '../../support/secret-leaks';

const TOPIC = `arn:aws:sns:us-east-1:${ACCOUNT_ID}:iam-onboarding-admin-notices`;
const RESEND_NOTICE = 'This is a new temporary password, sent because one was asked for.';
const DAY = 24 * 60 * 60_000;

let output: ReturnType<typeof captureOutput>;
const grants: Grant[] = [];
const passwords: string[] = [];
const allLines: string[] = [];

beforeEach(() => {
  output = captureOutput();
});
afterEach(() => {
  grants.push(...recordedGrants());
  allLines.push(...output.lines());
  output.restore();
  for (const m of [iamMock, sesMock, sqsMock, snsMock]) m.reset();
});

function setup(): Harness {
  snsMock.on(PublishCommand).resolves({ MessageId: 'sns-1' });
  return harness({ env: { ADMIN_TOPIC_ARN: TOPIC } });
}

/** The admins' notices' subjects, in order. */
const subjects = () =>
  snsMock.commandCalls(PublishCommand).map((c) => c.args[0].input.Subject ?? '');

/** A welcomed person with a console password and `keys` active access keys. */
function welcomedPerson(h: Harness, name: string, keys = 0): FakeUser {
  const user = addManagedUser(h.aws, name);
  user.tags.push({ Key: WELCOMED_TAG_KEY, Value: '2024-12-01T10:00:00.000Z' });
  h.aws.addProfile(name, 30 * DAY);
  user.keys = Array.from({ length: keys }, (_, i) => ({
    id: `AKIA${name.toUpperCase()}${i}`,
    status: 'Active' as const,
  }));
  return user;
}

/** The UntagUser event CloudTrail records when the apply removes tag keys. */
function untagUserEvent(userName: string, tagKeys: string[]): Record<string, unknown> {
  const event = tagUserEvent({ userName, tags: [], eventName: 'UntagUser' });
  (event.detail as { requestParameters: unknown }).requestParameters = { userName, tagKeys };
  return event;
}

/** Sets or removes a tag as the apply does (the fake's state), before the event arrives. */
function setTag(user: FakeUser, key: string, value: string | null): void {
  user.tags = user.tags.filter((t) => t.Key !== key);
  if (value !== null) user.tags.push({ Key: key, Value: value });
}

const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

describe('the suspended tag changes: suspend and reinstate at once', () => {
  it('a TagUser of suspended turns the password and keys off, keeps the user, tells the admins, once', async () => {
    const h = setup();
    const user = welcomedPerson(h, 'sam', 2);
    user.keys![1].status = 'Inactive';
    setTag(user, SUSPENDED_TAG_KEY, 'true');
    const event = tagUserEvent({
      userName: 'sam',
      tags: [{ key: SUSPENDED_TAG_KEY, value: 'true' }],
    });

    const { records } = await h.invoke(sqsEvent(event));

    expect(records).toEqual([
      {
        outcome: 'lifecycle',
        lifecycle: 'suspended',
        detail:
          'sam: suspended in the roster: console password deleted, 1 access key deactivated; the user, groups and tags are kept',
        eventId: event.id,
        userName: 'sam',
      },
    ]);
    expect(user.profile).toBeUndefined();
    expect(user.keys!.map((k) => k.status)).toEqual(['Inactive', 'Inactive']);
    expect(h.aws.users.has('sam')).toBe(true);
    expect(tagOf(h.aws, 'sam', SUSPENDED_AT_TAG_KEY)).toBe(new Date(h.clock.now).toISOString());
    expect(subjects()).toEqual([expect.stringContaining('sam suspended')]);
    expect(h.aws.sent).toHaveLength(0);

    // SQS delivers it again: the record says it is done, nobody is told twice.
    const again = await h.invoke(sqsEvent(sqsRecord(event, { receiveCount: 2 })));
    expect(again.records).toMatchObject([{ outcome: 'lifecycle', lifecycle: 'none' }]);
    expect(subjects()).toHaveLength(1);
  });

  it('an UntagUser of suspended issues a fresh password through the resend path, once', async () => {
    const h = setup();
    const user = welcomedPerson(h, 'rey', 1);
    setTag(user, SUSPENDED_TAG_KEY, 'true');
    await h.invoke(
      sqsEvent(
        tagUserEvent({ userName: 'rey', tags: [{ key: SUSPENDED_TAG_KEY, value: 'true' }] }),
      ),
    );
    expect(user.profile).toBeUndefined();

    h.clock.now += 3 * DAY;
    setTag(user, SUSPENDED_TAG_KEY, null);
    const event = untagUserEvent('rey', [SUSPENDED_TAG_KEY]);
    const { records } = await h.invoke(sqsEvent(event));

    expect(records).toMatchObject([{ outcome: 'lifecycle', lifecycle: 'reinstated' }]);
    const [email] = sentTo(h.aws, 'rey@example.com');
    expect(sentTo(h.aws, 'rey@example.com')).toHaveLength(1);
    expect(email.input.Message?.Body?.Text?.Data).toContain(RESEND_NOTICE);
    expect(user.profile?.password).toBeDefined();
    passwords.push(user.profile!.password);
    expect(email.input.Message?.Body?.Text?.Data).toContain(user.profile!.password);
    expect(tagOf(h.aws, 'rey', REINSTATED_AT_TAG_KEY)).toBe(new Date(h.clock.now).toISOString());
    expect(tagOf(h.aws, 'rey', SENT_TO_TAG_KEY)).toBe('rey@example.com');
    // Keys stay off: the person, or an admin, turns one back on.
    expect(user.keys!.map((k) => k.status)).toEqual(['Inactive']);
    expect(subjects()).toEqual([
      expect.stringContaining('rey suspended'),
      expect.stringContaining('rey reinstated'),
    ]);

    const again = await h.invoke(sqsEvent(sqsRecord(event, { receiveCount: 2 })));
    expect(again.records).toMatchObject([{ outcome: 'lifecycle', lifecycle: 'none' }]);
    expect(sentTo(h.aws, 'rey@example.com')).toHaveLength(1);
  });

  it('a person added suspended is never welcomed; lifting it sends their first password', async () => {
    const h = setup();
    const user = addManagedUser(h.aws, 'new');
    setTag(user, SUSPENDED_TAG_KEY, 'true');
    const created = await h.invoke(sqsEvent(createUserEvent({ userName: 'new' })));
    expect(created.records).toMatchObject([{ outcome: 'skipped', reason: 'suspended' }]);
    await h.invoke(
      sqsEvent(
        tagUserEvent({ userName: 'new', tags: [{ key: SUSPENDED_TAG_KEY, value: 'true' }] }),
      ),
    );
    expect(h.aws.sent).toHaveLength(0);

    setTag(user, SUSPENDED_TAG_KEY, null);
    await h.invoke(sqsEvent(untagUserEvent('new', [SUSPENDED_TAG_KEY])));
    const [email] = sentTo(h.aws, 'new@example.com');
    // Never welcomed before: the welcome's wording, and the welcomed tag, so
    // that the reconcile does not queue a second first welcome.
    expect(email.input.Message?.Body?.Text?.Data).not.toContain(RESEND_NOTICE);
    expect(tagOf(h.aws, 'new', WELCOMED_TAG_KEY)).toBeDefined();
    passwords.push(user.profile!.password);
    const welcome = await h.invoke(
      sqsEvent(sqsRecord(JSON.stringify(welcomeRequest(user, 'reconcile')))),
    );
    expect(welcome.records).toMatchObject([{ outcome: 'skipped', reason: 'already-welcomed' }]);
    expect(h.aws.sent).toHaveLength(1);
  });

  it('a reinstatement whose password went out but whose record did not is not sent twice', async () => {
    const h = setup();
    const user = welcomedPerson(h, 'kit');
    setTag(user, SUSPENDED_TAG_KEY, 'true');
    await h.invoke(
      sqsEvent(
        tagUserEvent({ userName: 'kit', tags: [{ key: SUSPENDED_TAG_KEY, value: 'true' }] }),
      ),
    );
    setTag(user, SUSPENDED_TAG_KEY, null);
    // The reinstated-at TagUser fails after the email went out: the record fails.
    h.aws.iamWriteBehaviour = (command) => {
      if (command === 'TagUser' && tagOf(h.aws, 'kit', SENT_TO_TAG_KEY) !== undefined)
        throw new Error('Throttling');
    };
    const event = untagUserEvent('kit', [SUSPENDED_TAG_KEY]);
    await expect(h.invoke(sqsEvent(event))).rejects.toMatchObject({ step: 'lifecycle' });
    expect(sentTo(h.aws, 'kit@example.com')).toHaveLength(1);
    passwords.push(user.profile!.password);
    h.aws.iamWriteBehaviour = () => undefined;

    // Within the in-flight window the redelivery waits; after it, it records.
    await expect(h.invoke(sqsEvent(sqsRecord(event, { receiveCount: 2 })))).rejects.toMatchObject({
      errorName: 'ReinstateInFlight',
      deferred: true,
    });
    h.clock.now += 10 * 60_000;
    const late = await h.invoke(sqsEvent(sqsRecord(event, { receiveCount: 3 })));
    expect(late.records).toMatchObject([
      {
        outcome: 'lifecycle',
        lifecycle: 'reinstated',
        detail: 'a console password made since the suspension exists already; none was sent',
      },
    ]);
    expect(sentTo(h.aws, 'kit@example.com')).toHaveLength(1);
    expect(tagOf(h.aws, 'kit', REINSTATED_AT_TAG_KEY)).toBeDefined();
  });

  it('a reinstatement to a suppressed address issues nothing, is told once, and is served by the reconcile once lifted', async () => {
    const h = setup();
    const user = welcomedPerson(h, 'sam', 1);
    setTag(user, SUSPENDED_TAG_KEY, 'true');
    await h.invoke(
      sqsEvent(
        tagUserEvent({ userName: 'sam', tags: [{ key: SUSPENDED_TAG_KEY, value: 'true' }] }),
      ),
    );
    h.clock.now += DAY;
    h.aws.suppressed.set('sam@example.com', { reason: 'BOUNCE', since: new Date(h.clock.now) });
    setTag(user, SUSPENDED_TAG_KEY, null);

    const { records } = await h.invoke(sqsEvent(untagUserEvent('sam', [SUSPENDED_TAG_KEY])));

    expect(records).toMatchObject([{ outcome: 'lifecycle', lifecycle: 'not-reinstated' }]);
    expect(user.profile).toBeUndefined();
    expect(sentTo(h.aws, 'sam@example.com')).toEqual([]);
    expect(tagOf(h.aws, 'sam', REINSTATED_AT_TAG_KEY)).toBeUndefined();
    expect(subjects()).toEqual([
      expect.stringContaining('sam suspended'),
      expect.stringContaining('No password issued to sam: address suppressed by SES'),
    ]);

    // The hourly reconcile tries again, quietly, while the address is suppressed...
    const reconcile = (id: string) =>
      h.invoke(sqsEvent(sqsRecord(JSON.stringify(RECONCILE_REQUEST), { messageId: id })));
    await reconcile('r-1');
    expect(user.profile).toBeUndefined();
    expect(subjects()).toHaveLength(2);

    // ...and reinstates once it is lifted.
    h.aws.suppressed.delete('sam@example.com');
    await reconcile('r-2');
    expect(sentTo(h.aws, 'sam@example.com')).toHaveLength(1);
    expect(user.profile?.password).toBeDefined();
    passwords.push(user.profile!.password);
    expect(tagOf(h.aws, 'sam', REINSTATED_AT_TAG_KEY)).toBe(new Date(h.clock.now).toISOString());
    expect(subjects()[2]).toContain('sam reinstated');
  });

  it('leaves alone a user the project does not manage, and other tag changes', async () => {
    const h = setup();
    const stranger = h.aws.addUser({
      userName: 'stranger',
      userId: 'AIDASTRANGER',
      path: '/iam-onboarding/',
      tags: [{ Key: SUSPENDED_TAG_KEY, Value: 'true' }],
    });
    h.aws.addProfile('stranger', DAY);
    const active = welcomedPerson(h, 'active', 1);
    // The rule forwards only UntagUsers of the suspended key; any other is
    // decided from IAM's tags all the same, and finds nothing to do.
    const { records } = await h.invoke(
      sqsEvent(
        tagUserEvent({ userName: 'stranger', tags: [{ key: SUSPENDED_TAG_KEY, value: 'true' }] }),
        untagUserEvent('stranger', ['team']),
        untagUserEvent('active', ['team']),
      ),
    );
    expect(records).toMatchObject([
      { outcome: 'lifecycle', lifecycle: 'not-managed' },
      { outcome: 'lifecycle', lifecycle: 'not-managed' },
      { outcome: 'lifecycle', lifecycle: 'none' },
    ]);
    expect(stranger.profile).toBeDefined();
    expect(active.profile).toBeDefined();
    expect(active.keys?.map((k) => k.status)).toEqual(['Active']);
    expect(h.aws.sent).toHaveLength(0);
  });
});

describe('welcome and resend refuse a suspended person, or one whose access ended', () => {
  it('no welcome, no resend: the tag, or a passed access-until before the tag is written', async () => {
    const h = setup();
    const yesterday = day(h.clock.now - DAY);
    setTag(addManagedUser(h.aws, 'tagged'), SUSPENDED_TAG_KEY, 'true');
    setTag(addManagedUser(h.aws, 'ended'), ACCESS_UNTIL_TAG_KEY, yesterday);
    const resent = welcomedPerson(h, 'again');
    setTag(resent, RESEND_TAG_KEY, '1');
    setTag(resent, SUSPENDED_TAG_KEY, 'true');
    const { records } = await h.invoke(
      sqsEvent(
        createUserEvent({ userName: 'tagged' }),
        createUserEvent({ userName: 'ended' }),
        tagUserEvent({ userName: 'again', tags: [{ key: RESEND_TAG_KEY, value: '1' }] }),
        sqsRecord(JSON.stringify(resendRequest(resent, 'operator'))),
      ),
    );
    expect(records.map((r) => r.outcome === 'skipped' && r.reason)).toEqual([
      'suspended',
      'suspended',
      'suspended',
      'suspended',
    ]);
    expect(h.aws.sent).toHaveLength(0);
    expect(h.aws.users.get('again')?.profile).toBeDefined();
  });
});

describe('the reconcile request: end dates and the week-before warning', () => {
  const reconcile = (id: string) =>
    sqsEvent(sqsRecord(JSON.stringify(RECONCILE_REQUEST), { messageId: id }));

  it('suspends one whose last day has passed and warns of one a week away, once per date', async () => {
    const h = setup();
    const ended = welcomedPerson(h, 'ended', 1);
    setTag(ended, ACCESS_UNTIL_TAG_KEY, day(h.clock.now - DAY));
    const soon = welcomedPerson(h, 'soon');
    setTag(soon, ACCESS_UNTIL_TAG_KEY, day(h.clock.now + 7 * DAY));
    const later = welcomedPerson(h, 'later');
    setTag(later, ACCESS_UNTIL_TAG_KEY, day(h.clock.now + 8 * DAY));
    // Never welcomed and past the last day: suspended, not queued a welcome.
    setTag(addManagedUser(h.aws, 'gone-by'), ACCESS_UNTIL_TAG_KEY, day(h.clock.now - 2 * DAY));
    addManagedUser(h.aws, 'fresh-face');

    const first = await h.invoke(reconcile('r-1'));

    expect(first.records).toEqual([
      {
        outcome: 'reconciled',
        eventId: 'reconcile-request',
        queued: 1,
        lifecycle: { suspended: 2, warned: 1 },
      },
    ]);
    expect(ended.profile).toBeUndefined();
    expect(ended.keys!.map((k) => k.status)).toEqual(['Inactive']);
    expect(soon.profile).toBeDefined();
    expect(tagOf(h.aws, 'soon', END_WARNED_TAG_KEY)).toBe(day(h.clock.now + 7 * DAY));
    expect(tagOf(h.aws, 'later', END_WARNED_TAG_KEY)).toBeUndefined();
    expect(subjects().sort()).toEqual([
      expect.stringContaining('Access of soon ends soon'),
      expect.stringContaining('ended suspended'),
      expect.stringContaining('gone-by suspended'),
    ]);
    expect(h.aws.queued.map((q) => JSON.parse(q.body) as { userName: string })).toMatchObject([
      { userName: 'fresh-face' },
    ]);
    expect(h.aws.sent).toHaveLength(0);

    // The next hourly runs that day, and the next day: nobody told twice.
    h.clock.now += 60 * 60_000;
    const second = await h.invoke(reconcile('r-2'));
    h.clock.now += DAY;
    const third = await h.invoke(reconcile('r-3'));
    expect([second, third].map((r) => r.records[0])).toMatchObject([
      { outcome: 'reconciled', lifecycle: {} },
      { outcome: 'reconciled', lifecycle: { warned: 1 } },
    ]);
    // ...but "later" crossed into its week on the third run; "soon" was told once.
    expect(subjects().filter((s) => s.includes('Access of soon'))).toHaveLength(1);
    expect(subjects().filter((s) => s.includes('Access of later'))).toHaveLength(1);

    // The roster moves soon's last day: the new date is warned of again.
    setTag(soon, ACCESS_UNTIL_TAG_KEY, day(h.clock.now + 3 * DAY));
    await h.invoke(reconcile('r-4'));
    expect(subjects().filter((s) => s.includes('Access of soon'))).toHaveLength(2);
  });

  it('one person whose suspension fails does not stop the others; the run fails and is retried', async () => {
    const h = setup();
    const a = welcomedPerson(h, 'a-first');
    setTag(a, SUSPENDED_TAG_KEY, 'true');
    const b = welcomedPerson(h, 'b-second');
    setTag(b, SUSPENDED_TAG_KEY, 'true');
    h.aws.iamWriteBehaviour = (command, userName) => {
      if (command === 'DeleteLoginProfile' && userName === 'a-first') throw new Error('Throttling');
    };
    await expect(h.invoke(reconcile('r-f'))).rejects.toMatchObject({
      step: 'lifecycle',
      errorName: 'LifecycleFailed',
    });
    expect(a.profile).toBeDefined();
    expect(b.profile).toBeUndefined();
    h.aws.iamWriteBehaviour = () => undefined;
    const retried = await h.invoke(reconcile('r-f'));
    expect(retried.records).toMatchObject([{ lifecycle: { suspended: 1 } }]);
    expect(a.profile).toBeUndefined();
  });
});

describe('the deployed rule forwards the suspended tag changes, and nothing more', () => {
  const deployed: unknown = JSON.parse(
    only(synthStack(trailNoZone()).config, 'aws_cloudwatch_event_rule', {
      name: PIPELINE_NAMES.rule,
    }).event_pattern as string,
  );
  const FUNCTION_ROLE = 'arn:aws:sts::123456789012:assumed-role/iam-onboarding-welcome/fn';

  it('matches TagUser setting suspended and UntagUser removing it, among other keys', () => {
    for (const event of [
      tagUserEvent({ userName: 'x', tags: [{ key: SUSPENDED_TAG_KEY, value: 'true' }] }),
      tagUserEvent({
        userName: 'x',
        tags: [
          { key: 'team', value: 'a' },
          { key: SUSPENDED_TAG_KEY, value: 'true' },
        ],
      }),
      untagUserEvent('x', [SUSPENDED_TAG_KEY]),
      untagUserEvent('x', ['team', SUSPENDED_TAG_KEY]),
    ])
      expect(matchesEventPattern(deployed, event)).toBe(true);
  });

  it("does not match the function's own records, other keys, failed calls or UntagRole", () => {
    const own = [SUSPENDED_AT_TAG_KEY, REINSTATED_AT_TAG_KEY, END_WARNED_TAG_KEY].map((key) =>
      tagUserEvent({ userName: 'x', tags: [{ key, value: 'v' }], callerArn: FUNCTION_ROLE }),
    );
    const failed = untagUserEvent('x', [SUSPENDED_TAG_KEY]);
    (failed.detail as Record<string, unknown>).errorCode = 'AccessDenied';
    const role = untagUserEvent('x', [SUSPENDED_TAG_KEY]);
    (role.detail as Record<string, unknown>).eventName = 'UntagRole';
    for (const event of [
      ...own,
      untagUserEvent('x', [ACCESS_UNTIL_TAG_KEY, 'team']),
      tagUserEvent({ userName: 'x', tags: [{ key: ACCESS_UNTIL_TAG_KEY, value: '2027-01-01' }] }),
      tagUserEvent({ userName: 'x', tags: [{ key: 'note', value: SUSPENDED_TAG_KEY }] }),
      failed,
      role,
    ])
      expect(matchesEventPattern(deployed, event)).toBe(false);
  });
});

describe('across the tests of this file', () => {
  it('no log line carries a password the function generated', () => {
    expect(passwords.length).toBeGreaterThanOrEqual(3);
    expect(leaksOfAll(passwords, allLines)).toEqual([]);
  });

  it('every call made is granted by the synthesized role (the tag keys split by statement)', async () => {
    const tagging = grants.filter((g) => g.action === 'iam:TagUser');
    expect(tagging.map((g) => g.context?.['aws:TagKeys'])).toEqual(
      expect.arrayContaining([
        [SUSPENDED_AT_TAG_KEY],
        [REINSTATED_AT_TAG_KEY],
        [END_WARNED_TAG_KEY],
        [SENT_TO_TAG_KEY, WELCOMED_TAG_KEY],
      ]),
    );
    expect(grants.map((g) => g.action)).toEqual(
      expect.arrayContaining(['iam:ListAccessKeys', 'iam:UpdateAccessKey']),
    );
    const config = JSON.parse(synthStack(trailNoZone(), fixtureCode()).json) as RehearsalConfig;
    expect(await deniedCalls(config, grants)).toEqual([]);
  });
});
