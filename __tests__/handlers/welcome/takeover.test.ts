/**
 * Issue 17, "whoever may tag a managed user may take over their console":
 * end to end in process (the real handler and SDK clients behind the fake
 * IAM + SES, the admins' topic mocked). Only the deploy role's TagUser may
 * send a resend to a changed address, or replace a password in use (and that
 * one only when the roster asks); anyone else's, and the reconcile's, goes
 * only to the address the last email went to, for a person who has not
 * signed in. A resend to a new address tells the old one and the admins.
 */
import { CreateLoginProfileCommand, DeleteLoginProfileCommand } from '@aws-sdk/client-iam';
import { PublishCommand } from '@aws-sdk/client-sns';
import type { SQSBatchResponse } from 'aws-lambda';
import {
  EMAIL_TAG_KEY,
  RECONCILE_REQUEST,
  RESEND_AFTER_SIGN_IN_TAG_KEY,
  RESEND_TAG_KEY,
  RESENT_TAG_KEY,
  SENT_TO_TAG_KEY,
  WELCOMED_TAG_KEY,
} from '../../../shared/contract';
import { deniedCalls, type TfConfig as RehearsalConfig } from '../../../review/rehearsal';
import { fixtureCode, synthStack, trailNoZone } from '../../support/stack';
import {
  iamMock,
  sentTo,
  sesMock,
  sesv2Mock,
  snsMock,
  sqsMock,
  tagOf,
} from '../../support/fake-aws';
import { type Grant, recordedGrants } from '../../support/grants';
import {
  ACCOUNT_ID,
  captureOutput,
  DEPLOY_ROLE_ARN,
  sqsEvent,
  sqsRecord,
  tagUserEvent,
} from '../../support/welcome-events';
import { addManagedUser, harness, type Harness } from '../../support/welcome-harness';

const TOPIC = `arn:aws:sns:us-east-1:${ACCOUNT_ID}:iam-onboarding-admin-notices`;
const ATTACKER_ROLE = `arn:aws:iam::${ACCOUNT_ID}:role/ops-automation`;
const ATTACKER = 'mallory@evil.example';
const DAY = 24 * 60 * 60_000;
const OLD_PASSWORD = 'first-password-Aa1!';

let output: ReturnType<typeof captureOutput>;
const grants: Grant[] = [];
const passwords: string[] = [];
const allLines: string[] = [];

beforeEach(() => {
  output = captureOutput();
  snsMock.on(PublishCommand).resolves({ MessageId: 'sns-1' });
});
afterEach(() => {
  grants.push(...recordedGrants());
  allLines.push(...output.lines());
  output.restore();
  for (const m of [iamMock, sesMock, sesv2Mock, sqsMock, snsMock]) m.reset();
});

function setup(env: Record<string, string | undefined> = {}): Harness {
  return harness({ env: { ADMIN_TOPIC_ARN: TOPIC, ...env } });
}

/** Welcomed a day ago at their address, with the profile of then; `signedIn`: used it since. */
function welcomed(h: Harness, userName: string, opts: { signedIn?: boolean } = {}): void {
  const user = addManagedUser(h.aws, userName);
  user.tags.push(
    { Key: WELCOMED_TAG_KEY, Value: new Date(h.clock.now - DAY).toISOString() },
    { Key: SENT_TO_TAG_KEY, Value: `${userName}@example.com` },
  );
  h.aws.addProfile(userName, DAY, OLD_PASSWORD);
  if (opts.signedIn) user.passwordLastUsed = new Date(h.clock.now - DAY / 2);
}

/** Sets tags as TagUser would, and returns the CloudTrail event of that call. */
function tagAs(
  h: Harness,
  userName: string,
  tags: Record<string, string>,
  issuerArn: string | null = DEPLOY_ROLE_ARN,
): Record<string, unknown> {
  const user = h.aws.users.get(userName)!;
  for (const [key, value] of Object.entries(tags)) {
    const existing = user.tags.find((t) => t.Key === key);
    if (existing) existing.Value = value;
    else user.tags.push({ Key: key, Value: value });
  }
  return tagUserEvent({
    userName,
    tags: Object.entries(tags).map(([key, value]) => ({ key, value })),
    eventTime: h.ago(60_000),
    ...(issuerArn === null
      ? { issuerArn: null, callerArn: `arn:aws:iam::${ACCOUNT_ID}:user/ops` }
      : issuerArn === DEPLOY_ROLE_ARN
        ? {}
        : {
            issuerArn,
            callerArn: `arn:aws:sts::${ACCOUNT_ID}:assumed-role/ops-automation/session`,
          }),
  });
}

const notices = () =>
  snsMock.commandCalls(PublishCommand).map((c) => ({
    subject: c.args[0].input.Subject ?? '',
    text: c.args[0].input.Message ?? '',
  }));
const profileOf = (h: Harness, userName: string) => h.aws.users.get(userName)?.profile;
const creates = () => iamMock.commandCalls(CreateLoginProfileCommand).length;
const deletes = () => iamMock.commandCalls(DeleteLoginProfileCommand).length;
const failed = (r: SQSBatchResponse) => r.batchItemFailures.map((f) => f.itemIdentifier);
function remember(h: Harness): void {
  passwords.push(...h.aws.passwordsSeen);
}
function skipReason(userName: string): unknown {
  return output
    .lines()
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, unknown>)
    .filter((l) => l.userName === userName && l.message === 'event skipped')
    .at(-1)?.reason;
}

describe('the takeover: someone else rewrites the address and raises the counter', () => {
  it.each([
    ['an assumed role that is not the deploy role', ATTACKER_ROLE],
    ['an IAM user', null],
  ])(
    'by %s: nothing goes to the new address, the password stands, the admins are told',
    async (_w, issuer) => {
      const h = setup();
      welcomed(h, 'victim', { signedIn: true });
      const event = tagAs(
        h,
        'victim',
        { [EMAIL_TAG_KEY]: ATTACKER, [RESEND_TAG_KEY]: '1' },
        issuer,
      );

      const response = await h.invokeSqs(sqsEvent(event));

      expect(failed(response)).toEqual([]);
      expect(sentTo(h.aws, ATTACKER)).toEqual([]);
      expect(h.aws.sent).toEqual([]);
      expect(creates()).toBe(0);
      expect(deletes()).toBe(0);
      expect(profileOf(h, 'victim')?.password).toBe(OLD_PASSWORD);
      expect(tagOf(h.aws, 'victim', RESENT_TAG_KEY)).toBeUndefined();
      expect(skipReason('victim')).toBe('resend-address-unattributed');
      const [notice, ...more] = notices();
      expect(more).toEqual([]);
      expect(notice.subject).toContain('Resend for victim held');
      expect(notice.text).toContain(ATTACKER);
      expect(notice.text).toContain(
        issuer === null ? `user/ops, not the deploy role` : `${ATTACKER_ROLE}, not the deploy role`,
      );
    },
  );

  it('the same with no deploy role configured: every caller is unattributed', async () => {
    const h = setup({ DEPLOY_ROLE_ARN: undefined });
    welcomed(h, 'victim');
    const event = tagAs(h, 'victim', { [EMAIL_TAG_KEY]: ATTACKER, [RESEND_TAG_KEY]: '1' });
    await h.invokeSqs(sqsEvent(event));
    expect(h.aws.sent).toEqual([]);
    expect(profileOf(h, 'victim')?.password).toBe(OLD_PASSWORD);
    expect(skipReason('victim')).toBe('resend-address-unattributed');
  });

  it('the hourly reconcile does not serve it either, nor tell the admins every hour', async () => {
    const h = setup();
    welcomed(h, 'victim');
    tagAs(h, 'victim', { [EMAIL_TAG_KEY]: ATTACKER, [RESEND_TAG_KEY]: '1' }, ATTACKER_ROLE);
    // Its TagUser event was never delivered; the reconcile finds the raised counter.
    const response = await h.invokeSqs(
      sqsEvent(sqsRecord(JSON.stringify(RECONCILE_REQUEST), { messageId: 'm-rec' })),
    );
    expect(failed(response)).toEqual([]);
    expect(h.aws.queued).toEqual([]);
    // A resend request queued by hand (or by an older reconcile) is held by the function too.
    await h.invokeSqs(
      sqsEvent(
        JSON.stringify({ 'iam-onboarding': 'resend', userName: 'victim', reason: 'operator' }),
      ),
    );
    expect(skipReason('victim')).toBe('resend-address-unattributed');
    expect(h.aws.sent).toEqual([]);
    expect(notices()).toEqual([]);
  });

  it('an unattributed raise alone (same address, not signed in) goes to the last address only', async () => {
    const h = setup();
    welcomed(h, 'quiet');
    const event = tagAs(h, 'quiet', { [RESEND_TAG_KEY]: '1' }, ATTACKER_ROLE);
    await h.invokeSqs(sqsEvent(event));
    remember(h);
    expect(h.aws.sent.map((e) => e.input.Destination?.ToAddresses)).toEqual([
      ['quiet@example.com'],
    ]);
    const [notice] = notices();
    expect(notice.text).toContain('went out to quiet@example.com');
    expect(notice.text).toContain(`Asked by ${ATTACKER_ROLE}, not the deploy role.`);
  });

  it('the reconcile serves a raised counter nobody known set, when it cannot hand anyone a console', async () => {
    const h = setup();
    welcomed(h, 'lost-event');
    welcomed(h, 'in-use', { signedIn: true });
    h.aws.users.get('lost-event')!.tags.push({ Key: RESEND_TAG_KEY, Value: '1' });
    h.aws.users.get('in-use')!.tags.push({ Key: RESEND_TAG_KEY, Value: '1' });
    await h.invokeSqs(sqsEvent(sqsRecord(JSON.stringify(RECONCILE_REQUEST), { messageId: 'm' })));
    // Only the person who has not signed in, at the last email's address, is queued.
    expect(h.aws.queued.map((q) => JSON.parse(q.body) as { userName: string })).toEqual([
      expect.objectContaining({ userName: 'lost-event', reason: 'reconcile' }),
    ]);
    await h.invokeSqs(sqsEvent(h.aws.queued[0].body));
    remember(h);
    expect(sentTo(h.aws, 'lost-event@example.com')).toHaveLength(1);
    expect(profileOf(h, 'in-use')?.password).toBe(OLD_PASSWORD);
    expect(notices()[0].text).toContain('Asked by the reconcile run (no caller known).');
  });
});

describe("the deploy role's resend", () => {
  it('to a changed address: the new address gets the password, the old one and the admins are told', async () => {
    const h = setup();
    welcomed(h, 'mover');
    const event = tagAs(h, 'mover', {
      [EMAIL_TAG_KEY]: 'mover@new.example',
      [RESEND_TAG_KEY]: '1',
    });

    const response = await h.invokeSqs(sqsEvent(event));
    remember(h);

    expect(failed(response)).toEqual([]);
    const toNew = sentTo(h.aws, 'mover@new.example');
    expect(toNew).toHaveLength(1);
    const profile = profileOf(h, 'mover');
    expect(toNew[0].input.Message?.Body?.Text?.Data).toContain(
      `Temporary password: ${profile?.password}`,
    );
    const toOld = sentTo(h.aws, 'mover@example.com');
    expect(toOld).toHaveLength(1);
    const oldText = toOld[0].input.Message?.Body?.Text?.Data ?? '';
    expect(oldText).toContain('now sends its emails to another address');
    // Neither the password nor the new address goes to the old mailbox.
    expect(oldText).not.toContain(profile?.password);
    expect(oldText).not.toContain('mover@new.example');
    expect(toOld[0].input.Message?.Body?.Html?.Data).not.toContain(profile?.password);
    expect(tagOf(h.aws, 'mover', SENT_TO_TAG_KEY)).toBe('mover@new.example');
    expect(tagOf(h.aws, 'mover', RESENT_TAG_KEY)).toBe('1');
    const [notice, ...more] = notices();
    expect(more).toEqual([]);
    expect(notice.subject).toContain('New welcome email sent to mover');
    expect(notice.text).toContain('went out to mover@new.example');
    expect(notice.text).toContain(
      'The address changed: mover@example.com -> mover@new.example; the old address was told.',
    );
    expect(notice.text).toContain('Asked by the deploy role.');
  });

  it('the old address cannot be told: the password still stands, the admins hear so', async () => {
    const h = setup();
    welcomed(h, 'mover2');
    h.aws.sesBehaviour = (input) => {
      if (input.Destination?.ToAddresses?.includes('mover2@example.com')) {
        throw Object.assign(new Error('Address blacklisted.'), {
          name: 'MessageRejected',
          $fault: 'client',
          $metadata: { httpStatusCode: 400 },
        });
      }
      return undefined;
    };
    const event = tagAs(h, 'mover2', { [EMAIL_TAG_KEY]: 'm2@new.example', [RESEND_TAG_KEY]: '1' });
    const response = await h.invokeSqs(sqsEvent(event));
    remember(h);
    expect(failed(response)).toEqual([]);
    expect(sentTo(h.aws, 'm2@new.example')).toHaveLength(1);
    expect(profileOf(h, 'mover2')?.password).not.toBe(OLD_PASSWORD);
    expect(notices()[0].text).toContain('the old address could NOT be told');
  });

  it('a person who has signed in keeps their password unless the roster asks explicitly', async () => {
    const h = setup();
    welcomed(h, 'active', { signedIn: true });
    const first = tagAs(h, 'active', { [RESEND_TAG_KEY]: '1' });
    await h.invokeSqs(sqsEvent(first));
    expect(h.aws.sent).toEqual([]);
    expect(deletes()).toBe(0);
    expect(profileOf(h, 'active')?.password).toBe(OLD_PASSWORD);
    expect(skipReason('active')).toBe('resend-signed-in');
    expect(notices()[0].text).toContain('resendAfterSignIn');

    // The roster asks (resendAfterSignIn) in the same deploy.
    const asked = tagAs(h, 'active', {
      [RESEND_TAG_KEY]: '1',
      [RESEND_AFTER_SIGN_IN_TAG_KEY]: 'true',
    });
    await h.invokeSqs(sqsEvent(asked));
    remember(h);
    expect(sentTo(h.aws, 'active@example.com')).toHaveLength(1);
    expect(profileOf(h, 'active')?.password).not.toBe(OLD_PASSWORD);
  });

  it("the explicit ask is honoured only on the deploy role's TagUser", async () => {
    const h = setup();
    welcomed(h, 'active2', { signedIn: true });
    const event = tagAs(
      h,
      'active2',
      { [RESEND_TAG_KEY]: '1', [RESEND_AFTER_SIGN_IN_TAG_KEY]: 'true' },
      ATTACKER_ROLE,
    );
    await h.invokeSqs(sqsEvent(event));
    expect(h.aws.sent).toEqual([]);
    expect(profileOf(h, 'active2')?.password).toBe(OLD_PASSWORD);
    expect(skipReason('active2')).toBe('resend-signed-in');
  });

  it('welcomed before the address was recorded: serves the new address, nobody earlier to tell', async () => {
    const h = setup();
    welcomed(h, 'legacy');
    const user = h.aws.users.get('legacy')!;
    user.tags = user.tags.filter((t) => t.Key !== SENT_TO_TAG_KEY);
    await h.invokeSqs(
      sqsEvent(tagAs(h, 'legacy', { [EMAIL_TAG_KEY]: 'l@new.example', [RESEND_TAG_KEY]: '1' })),
    );
    remember(h);
    expect(h.aws.sent.map((e) => e.input.Destination?.ToAddresses)).toEqual([['l@new.example']]);
    expect(notices()[0].text).not.toContain('The address changed');
  });
});

describe('these tests', () => {
  it('logged no generated password', () => {
    expect(passwords.length).toBeGreaterThanOrEqual(5);
    for (const password of passwords)
      expect(allLines.filter((line) => line.includes(password))).toEqual([]);
  });

  it('made only calls the synthesized role grants', async () => {
    const config = JSON.parse(synthStack(trailNoZone(), fixtureCode()).json) as RehearsalConfig;
    expect(await deniedCalls(config, grants)).toEqual([]);
  });
});
