/**
 * The welcome as a Slack direct message, end to end in process: the real
 * handler with the real SDK clients (IAM, SES, SNS, SSM intercepted as
 * elsewhere) and the runtime's own fetch against a local HTTP server that
 * answers as Slack's Web API does (support/fake-slack.ts), started and
 * stopped here on a free loopback port.
 *
 * A Slack person's DM carries the password CreateLoginProfile got, and no
 * email goes; each of Slack's failures ends in a retry (the record fails
 * with its profile rolled back, as a failed SES send does) or the email
 * instead with a notice to the admins: never a silent loss. No log line
 * carries a password or the bot token.
 */
import { CreateLoginProfileCommand, DeleteLoginProfileCommand } from '@aws-sdk/client-iam';
import { PublishCommand } from '@aws-sdk/client-sns';
import { GetParameterCommand, ParameterNotFound } from '@aws-sdk/client-ssm';
import {
  DELIVERY_CHANNEL_TAG_KEY,
  RESEND_TAG_KEY,
  RESENT_TAG_KEY,
  SENT_TO_TAG_KEY,
  WELCOMED_TAG_KEY,
} from '../../../shared/contract';
import { RecordError } from '../../../handlers/welcome/core/errors';
import { FakeSlack } from '../../support/fake-slack';
import {
  iamMock,
  sentTo,
  sesMock,
  sesv2Mock,
  snsMock,
  sqsMock,
  ssmMock,
  tagOf,
} from '../../support/fake-aws';
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
import { type Grant, recordedGrants } from '../../support/grants';
import { fixtureCode, synthStack, trailNoZone } from '../../support/stack';
import { deniedCalls, type TfConfig as RehearsalConfig } from '../../../review/rehearsal';

const TOPIC = `arn:aws:sns:us-east-1:${ACCOUNT_ID}:iam-onboarding-admin-notices`;
const TOKEN_PARAMETER = '/iam-onboarding/slack-bot-token';

const slack = new FakeSlack();
beforeAll(() => slack.start());
afterAll(() => slack.stop());

type Output = ReturnType<typeof captureOutput>;
let output: Output;
const allPasswords: string[] = [];
const allLines: string[] = [];
const allGrants = new Map<string, Grant>();

beforeEach(() => {
  output = captureOutput();
  slack.reset();
});
afterEach(() => {
  for (const g of recordedGrants()) allGrants.set(JSON.stringify(g), g);
  allLines.push(...output.lines());
  output.restore();
  for (const m of [iamMock, sesMock, sesv2Mock, sqsMock, snsMock, ssmMock]) m.reset();
});

/** Puts the bot token in its parameter; `null`: never put. */
function storeToken(value: string | null = slack.token): void {
  ssmMock
    .on(GetParameterCommand)
    .callsFake((input: { Name?: string; WithDecryption?: boolean }) => {
      expect(input).toEqual({ Name: TOKEN_PARAMETER, WithDecryption: true });
      if (value === null) {
        throw new ParameterNotFound({ message: 'not found', $metadata: { httpStatusCode: 400 } });
      }
      return { Parameter: { Name: TOKEN_PARAMETER, Type: 'SecureString', Value: `${value}\n` } };
    });
}

function setup(env: Record<string, string> = {}): Harness {
  snsMock.on(PublishCommand).resolves({ MessageId: 'sns-1' });
  return harness({
    env: {
      ADMIN_TOPIC_ARN: TOPIC,
      SLACK_BOT_TOKEN_PARAMETER: TOKEN_PARAMETER,
      SLACK_API_URL: slack.url(),
      ...env,
    },
    // The runtime's own fetch: the calls cross a real socket to the stand-in.
    fetch: globalThis.fetch,
  });
}

/** A managed person whose roster entry says `channel`; a Slack member unless told otherwise. */
function person(h: Harness, userName: string, channel?: string, member = true): string {
  const user = addManagedUser(h.aws, userName);
  if (channel) user.tags.push({ Key: DELIVERY_CHANNEL_TAG_KEY, Value: channel });
  const email = `${userName}@example.com`;
  if (member) slack.member(email);
  return email;
}

function notices(): { Subject?: string; Message?: string }[] {
  return snsMock.commandCalls(PublishCommand).map((c) => c.args[0].input);
}

/** The text of every block of a DM, joined: what the person reads. */
function dmText(blocks: unknown[]): string {
  return JSON.stringify(blocks);
}

function done(h: Harness): void {
  allPasswords.push(...h.aws.passwordsSeen);
}

describe('a Slack person', () => {
  it('gets the DM from the stand-in with the password IAM got, and no email', async () => {
    storeToken();
    const h = setup();
    const email = person(h, 'sam.slack', 'slack');
    const { records } = await h.invoke(sqsEvent(createUserEvent({ userName: 'sam.slack' })));
    done(h);
    expect(records[0]).toMatchObject({ outcome: 'welcomed', via: 'slack' });

    const password = iamMock.commandCalls(CreateLoginProfileCommand)[0].args[0].input.Password!;
    expect(slack.dms).toHaveLength(1);
    const [dm] = slack.dms;
    expect(dm.userId).toBe(slack.members.get(email));
    expect(dmText(dm.blocks)).toContain(JSON.stringify(password).slice(1, -1));
    expect(dmText(dm.blocks)).toContain('sam.slack');
    expect(dmText(dm.blocks)).toContain('https://');
    // The notification text (lock screens) never carries it.
    expect(dm.text).not.toContain(password);
    expect(h.aws.sent).toEqual([]);

    // As Slack's reference has it: the bearer token, form-encoded, these three methods in order.
    expect(slack.calls.map((c) => c.method)).toEqual([
      'users.lookupByEmail',
      'conversations.open',
      'chat.postMessage',
    ]);
    for (const c of slack.calls) {
      expect(c.authorization).toBe(`Bearer ${slack.token}`);
      expect(c.contentType).toBe('application/x-www-form-urlencoded');
    }
    expect(slack.calls[0].params).toEqual({ email });
    expect(tagOf(h.aws, 'sam.slack', WELCOMED_TAG_KEY)).toBeDefined();
    expect(tagOf(h.aws, 'sam.slack', SENT_TO_TAG_KEY)).toBe(email);
    const [welcomed] = notices();
    expect(welcomed.Message).toContain('Sent as a Slack direct message, not by email.');
    expect(welcomed.Message).not.toContain(password);
  });

  it('follows the settings’ default when the roster gives them no channel', async () => {
    storeToken();
    const h = setup({ DELIVERY_CHANNEL: 'slack' });
    person(h, 'dee.default');
    await h.invoke(sqsEvent(createUserEvent({ userName: 'dee.default' })));
    done(h);
    expect(slack.dms).toHaveLength(1);
    expect(h.aws.sent).toEqual([]);
  });

  it('an email person is never looked up, whatever the default', async () => {
    storeToken();
    const h = setup({ DELIVERY_CHANNEL: 'slack' });
    const email = person(h, 'eve.email', 'email');
    await h.invoke(sqsEvent(createUserEvent({ userName: 'eve.email' })));
    done(h);
    expect(slack.calls).toEqual([]);
    expect(ssmMock.calls()).toHaveLength(0);
    expect(sentTo(h.aws, email)).toHaveLength(1);
  });

  it('reads the token once per execution environment', async () => {
    storeToken();
    const h = setup();
    person(h, 'one', 'slack');
    person(h, 'two', 'slack');
    await h.invoke(sqsEvent(createUserEvent({ userName: 'one' })));
    await h.invoke(sqsEvent(createUserEvent({ userName: 'two' })));
    done(h);
    expect(slack.dms).toHaveLength(2);
    expect(ssmMock.commandCalls(GetParameterCommand)).toHaveLength(1);
  });
});

describe('Slack cannot take it: the email instead, and the admins told why', () => {
  /** Runs a Slack person's welcome; the email must carry the password IAM got. */
  async function fallsBack(
    h: Harness,
    userName: string,
  ): Promise<{ Message?: string; Subject?: string }> {
    const { records } = await h.invoke(sqsEvent(createUserEvent({ userName })));
    done(h);
    expect(records[0]).toMatchObject({ outcome: 'welcomed' });
    expect(records[0]).not.toHaveProperty('via');
    expect(slack.dms).toEqual([]);
    const creates = iamMock.commandCalls(CreateLoginProfileCommand);
    expect(creates).toHaveLength(1);
    const sent = sentTo(h.aws, `${userName}@example.com`);
    expect(sent).toHaveLength(1);
    expect(sent[0].input.Message?.Body?.Text?.Data).toContain(creates[0].args[0].input.Password);
    expect(tagOf(h.aws, userName, WELCOMED_TAG_KEY)).toBeDefined();
    const fallback = notices().filter((n) => n.Subject?.includes('Slack could not take it'));
    expect(fallback).toHaveLength(1);
    expect(fallback[0].Message).toContain(userName);
    expect(fallback[0].Message).not.toContain(creates[0].args[0].input.Password);
    return fallback[0];
  }

  it('users_not_found: Slack has no member with that address', async () => {
    storeToken();
    const h = setup();
    person(h, 'no.member', 'slack', false);
    const notice = await fallsBack(h, 'no.member');
    expect(notice.Message).toContain('users.lookupByEmail: users_not_found');
    expect(notice.Message).toContain('Slack finds no member with their email address');
    // Looked up before anything was issued: nothing else was asked of Slack.
    expect(slack.calls.map((c) => c.method)).toEqual(['users.lookupByEmail']);
  });

  it('not_in_channel on chat.postMessage, after the profile exists: the same password by email', async () => {
    storeToken();
    const h = setup();
    person(h, 'not.in', 'slack');
    slack.fail('chat.postMessage', { error: 'not_in_channel' });
    const notice = await fallsBack(h, 'not.in');
    expect(notice.Message).toContain('chat.postMessage: not_in_channel');
    expect(notice.Message).toContain('im:write and chat:write');
    expect(iamMock.commandCalls(DeleteLoginProfileCommand)).toEqual([]);
  });

  it('invalid_auth: a revoked token; the next person reads the parameter again', async () => {
    storeToken('xoxb-9f8e7d6c5b4a3921');
    const h = setup();
    person(h, 'bad.token', 'slack');
    const notice = await fallsBack(h, 'bad.token');
    expect(notice.Message).toContain('users.lookupByEmail: invalid_auth');
    expect(notice.Message).toContain('users:read.email');
    expect(ssmMock.commandCalls(GetParameterCommand)).toHaveLength(1);

    // Rotated: the function does not keep the bad token.
    ssmMock.reset();
    storeToken();
    person(h, 'after.rotation', 'slack');
    await h.invoke(sqsEvent(createUserEvent({ userName: 'after.rotation' })));
    done(h);
    expect(slack.dms).toHaveLength(1);
  });

  it('missing_scope: the notice names the scope Slack says is needed', async () => {
    storeToken();
    const h = setup();
    person(h, 'no.scope', 'slack');
    slack.fail('users.lookupByEmail', { error: 'missing_scope' });
    const notice = await fallsBack(h, 'no.scope');
    expect(notice.Message).toContain('users.lookupByEmail: missing_scope');
    expect(notice.Message).toContain('reinstall');
  });

  it('the token parameter was never put', async () => {
    storeToken(null);
    const h = setup();
    person(h, 'no.parameter', 'slack');
    const notice = await fallsBack(h, 'no.parameter');
    expect(notice.Message).toContain('bot token parameter: ParameterNotFound');
    expect(notice.Message).toContain(TOKEN_PARAMETER);
    expect(slack.calls).toEqual([]);
  });

  it('a parameter holding no bot token (a webhook URL pasted there)', async () => {
    storeToken('https://hooks.slack.com/services/T0/B0/secret');
    const h = setup();
    person(h, 'wrong.value', 'slack');
    const notice = await fallsBack(h, 'wrong.value');
    expect(notice.Message).toContain('bot token parameter: NotABotToken');
    expect(notice.Message).not.toContain('hooks.slack.com');
    expect(slack.calls).toEqual([]);
  });

  it('no token parameter configured at all', async () => {
    const h = setup({ SLACK_BOT_TOKEN_PARAMETER: '' });
    person(h, 'unconfigured', 'slack');
    const notice = await fallsBack(h, 'unconfigured');
    expect(notice.Message).toContain('no bot token configured');
    expect(slack.calls).toEqual([]);
  });
});

describe('Slack busy or down: retried, never lost', () => {
  it('429 ratelimited with a short Retry-After is waited out in process', async () => {
    storeToken();
    const h = setup();
    person(h, 'rate.short', 'slack');
    slack.fail('chat.postMessage', { ratelimited: 2 });
    await h.invoke(sqsEvent(createUserEvent({ userName: 'rate.short' })));
    done(h);
    expect(h.sleeps).toContain(2_000);
    expect(slack.callsOf('chat.postMessage')).toHaveLength(2);
    expect(slack.dms).toHaveLength(1);
    expect(h.aws.sent).toEqual([]);
  });

  it('a long Retry-After fails the record with the profile rolled back; the next delivery sends once', async () => {
    storeToken();
    const h = setup();
    person(h, 'rate.long', 'slack');
    slack.fail('chat.postMessage', { ratelimited: 60 });
    const event = createUserEvent({ userName: 'rate.long' });
    const error = await h.invoke(sqsEvent(sqsRecord(event, { messageId: 'm-1' }))).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(RecordError);
    expect(error).toMatchObject({ step: 'send-slack', errorName: 'SlackRateLimited' });
    expect(h.aws.users.get('rate.long')?.profile).toBeUndefined();
    expect(tagOf(h.aws, 'rate.long', WELCOMED_TAG_KEY)).toBeUndefined();
    expect(slack.dms).toEqual([]);
    expect(h.aws.sent).toEqual([]);

    await h.invoke(sqsEvent(sqsRecord(event, { messageId: 'm-1', receiveCount: 2 })));
    done(h);
    const creates = iamMock.commandCalls(CreateLoginProfileCommand);
    expect(creates).toHaveLength(2);
    expect(slack.dms).toHaveLength(1);
    // The DM carries the second password, the only one that works.
    expect(dmText(slack.dms[0].blocks)).toContain(
      JSON.stringify(creates[1].args[0].input.Password).slice(1, -1),
    );
    expect(tagOf(h.aws, 'rate.long', WELCOMED_TAG_KEY)).toBeDefined();
  });

  it('a rate limit on the lookup fails the record before any password exists', async () => {
    storeToken();
    const h = setup();
    person(h, 'rate.lookup', 'slack');
    slack.fail('users.lookupByEmail', { ratelimited: 120 });
    await expect(
      h.invoke(sqsEvent(createUserEvent({ userName: 'rate.lookup' }))),
    ).rejects.toMatchObject({
      step: 'slack-lookup',
      errorName: 'SlackRateLimited',
    });
    done(h);
    expect(iamMock.commandCalls(CreateLoginProfileCommand)).toEqual([]);
  });

  it('HTTP 503 every time: the in-process tries, then the record fails and the profile goes', async () => {
    storeToken();
    const h = setup();
    person(h, 'down', 'slack');
    slack.fail('chat.postMessage', { status: 503 }, 3);
    await expect(h.invoke(sqsEvent(createUserEvent({ userName: 'down' })))).rejects.toMatchObject({
      step: 'send-slack',
      errorName: 'SlackUnavailable',
    });
    done(h);
    expect(slack.callsOf('chat.postMessage')).toHaveLength(3);
    expect(iamMock.commandCalls(DeleteLoginProfileCommand)).toHaveLength(1);
    expect(h.aws.users.get('down')?.profile).toBeUndefined();
  });

  it('no answer to chat.postMessage: it may have gone, so the next DM says it replaces it', async () => {
    storeToken();
    const h = setup();
    person(h, 'lost.answer', 'slack');
    slack.fail('chat.postMessage', { drop: true }, 3);
    const event = createUserEvent({ userName: 'lost.answer' });
    await expect(h.invoke(sqsEvent(sqsRecord(event, { messageId: 'm-2' })))).rejects.toMatchObject({
      step: 'send-slack',
    });
    expect(tagOf(h.aws, 'lost.answer', SENT_TO_TAG_KEY)).toBe('lost.answer@example.com');
    expect(h.aws.users.get('lost.answer')?.profile).toBeUndefined();

    await h.invoke(sqsEvent(sqsRecord(event, { messageId: 'm-2', receiveCount: 2 })));
    done(h);
    expect(slack.dms).toHaveLength(1);
    expect(dmText(slack.dms[0].blocks)).toContain('replaces any earlier welcome email');
  });
});

describe('email-and-slack: the email is the record', () => {
  it('both arrive, with the same password', async () => {
    storeToken();
    const h = setup();
    const email = person(h, 'both', 'email-and-slack');
    const { records } = await h.invoke(sqsEvent(createUserEvent({ userName: 'both' })));
    done(h);
    expect(records[0]).toMatchObject({ outcome: 'welcomed', via: 'email-and-slack' });
    const password = iamMock.commandCalls(CreateLoginProfileCommand)[0].args[0].input.Password!;
    expect(sentTo(h.aws, email)[0].input.Message?.Body?.Text?.Data).toContain(password);
    expect(dmText(slack.dms[0].blocks)).toContain(JSON.stringify(password).slice(1, -1));
  });

  it('a DM that fails is a notice, not a failure: no rollback, the email stands', async () => {
    storeToken();
    const h = setup();
    const email = person(h, 'both.down', 'email-and-slack');
    slack.fail('chat.postMessage', { status: 500 }, 3);
    const { records } = await h.invoke(sqsEvent(createUserEvent({ userName: 'both.down' })));
    done(h);
    expect(records[0]).toMatchObject({ outcome: 'welcomed' });
    expect(sentTo(h.aws, email)).toHaveLength(1);
    expect(iamMock.commandCalls(DeleteLoginProfileCommand)).toEqual([]);
    const missed = notices().filter((n) =>
      n.Subject?.includes('Slack message to both.down not sent'),
    );
    expect(missed).toHaveLength(1);
    expect(missed[0].Message).toContain('chat.postMessage: HTTP 500');
  });

  it('Slack rate-limiting the lookup for long fails nothing: the email goes, the admins hear', async () => {
    storeToken();
    const h = setup();
    const email = person(h, 'both.busy', 'email-and-slack');
    slack.fail('users.lookupByEmail', { ratelimited: 300 });
    const { records } = await h.invoke(sqsEvent(createUserEvent({ userName: 'both.busy' })));
    done(h);
    expect(records[0]).toMatchObject({ outcome: 'welcomed' });
    expect(sentTo(h.aws, email)).toHaveLength(1);
    expect(slack.dms).toEqual([]);
    expect(notices().some((n) => n.Message?.includes('users.lookupByEmail: ratelimited'))).toBe(
      true,
    );
  });

  it('a person Slack does not know still gets the email, and the admins hear of it', async () => {
    storeToken();
    const h = setup();
    const email = person(h, 'both.unknown', 'email-and-slack', false);
    await h.invoke(sqsEvent(createUserEvent({ userName: 'both.unknown' })));
    done(h);
    expect(sentTo(h.aws, email)).toHaveLength(1);
    expect(notices().some((n) => n.Message?.includes('users_not_found'))).toBe(true);
  });
});

describe('a resend to a Slack person', () => {
  it('goes as a DM too, saying it is a new password, carrying the new one', async () => {
    storeToken();
    const h = setup();
    const email = person(h, 'ray.resend', 'slack');
    const user = h.aws.users.get('ray.resend')!;
    user.tags.push(
      { Key: WELCOMED_TAG_KEY, Value: new Date(h.clock.now - 86_400_000).toISOString() },
      { Key: SENT_TO_TAG_KEY, Value: email },
      { Key: RESEND_TAG_KEY, Value: '1' },
    );
    h.aws.addProfile('ray.resend', 86_400_000, 'first-password-Aa1!');
    const event = tagUserEvent({
      userName: 'ray.resend',
      tags: [{ key: RESEND_TAG_KEY, value: '1' }],
      eventTime: h.ago(60_000),
    });
    const { records } = await h.invoke(sqsEvent(event));
    done(h);
    expect(records[0]).toMatchObject({ outcome: 'resent', resend: 1 });
    expect(h.aws.sent).toEqual([]);
    expect(slack.dms).toHaveLength(1);
    const password = h.aws.users.get('ray.resend')?.profile?.password ?? '?';
    expect(password).not.toBe('first-password-Aa1!');
    expect(dmText(slack.dms[0].blocks)).toContain(JSON.stringify(password).slice(1, -1));
    expect(dmText(slack.dms[0].blocks)).toContain('This is a new temporary password');
    expect(tagOf(h.aws, 'ray.resend', RESENT_TAG_KEY)).toBe('1');
  });
});

describe('secrets', () => {
  it('no log line, over every scenario above, carries a password or the bot token', () => {
    expect(allPasswords.length).toBeGreaterThan(15);
    expect(allLines.length).toBeGreaterThan(100);
    expect(leaksOfAll([...allPasswords, slack.token, 'xoxb-9f8e7d6c5b4a3921'], allLines)).toEqual(
      [],
    );
    // The lines do name what happened.
    expect(allLines.some((l) => l.includes('chat.postMessage: ratelimited'))).toBe(true);
  });

  it('every AWS call these tests made is granted by the role synthesized with the token', async () => {
    const s = trailNoZone();
    const config = JSON.parse(
      synthStack(
        {
          ...s,
          delivery: { ...s.delivery, channel: 'slack', slackBotTokenParameter: TOKEN_PARAMETER },
        },
        fixtureCode(),
      ).json,
    ) as RehearsalConfig;
    const grants = [...allGrants.values()];
    expect(grants.map((g) => g.action)).toContain('ssm:GetParameter');
    expect(await deniedCalls(config, grants)).toEqual([]);
  });
});
