/**
 * Admin notices end to end in process: the real handler with the real SDK
 * clients (SNS and SSM intercepted like IAM and SES), a stand-in fetch for
 * Slack. A notice reaches the admins' topic and Slack after a welcome; Slack
 * being down never fails the welcome, and nothing logs the webhook URL or a
 * password. SES bounce, complaint and reject events become notices naming
 * the user and the address; a transient bounce only a log line.
 */
import { SendEmailCommand } from '@aws-sdk/client-ses';
import { PublishCommand } from '@aws-sdk/client-sns';
import { GetParameterCommand, ParameterNotFound } from '@aws-sdk/client-ssm';
import { WELCOME_QUEUE_MAX_RECEIVES, WELCOMED_TAG_KEY } from '../../../shared/contract';
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
import { recordedGrants, type Grant } from '../../support/grants';
import {
  ACCOUNT_ID,
  captureOutput,
  createUserEvent,
  sqsEvent,
  sqsRecord,
} from '../../support/welcome-events';
import { addManagedUser, harness, type Harness } from '../../support/welcome-harness';
import { leaksOfAll } from '../../support/secret-leaks';

const TOPIC = `arn:aws:sns:us-east-1:${ACCOUNT_ID}:iam-onboarding-admin-notices`;
const PARAMETER = '/iam-onboarding/slack-webhook-url';
const WEBHOOK = 'https://hooks.slack.com/services/T0SECRET/B0SECRET/zzSuperSecretTokenzz';
/** The part of every webhook URL that is no secret (Slack's documented prefix). */
const SLACK_HOST = 'https://hooks.slack.com/services/';
const NOTICE_ENV = {
  ADMIN_TOPIC_ARN: TOPIC,
  SLACK_WEBHOOK_PARAMETER: PARAMETER,
  SES_CONFIGURATION_SET: 'iam-onboarding-welcome',
};

type Output = ReturnType<typeof captureOutput>;
let output: Output;
/** Every password IAM saw and every line logged, across the file: checked at the end. */
const allPasswords: string[] = [];
const allLines: string[] = [];
const allGrants = new Map<string, Grant>();

interface Post {
  url: string;
  body: { text: string };
}

/** A stand-in for fetch: records posts and answers as `answer` says. */
function slack(answer: (post: Post) => Promise<Response> | Response = () => new Response('ok')) {
  const posts: Post[] = [];
  const fetchFn = (async (url: string | URL | Request, init?: RequestInit) => {
    // The adapter posts a string URL and a JSON string body.
    const post = { url: url as string, body: JSON.parse(init?.body as string) as { text: string } };
    posts.push(post);
    expect(init?.signal).toBeInstanceOf(AbortSignal);
    return answer(post);
  }) as typeof fetch;
  return { posts, fetchFn };
}

/** Puts the parameter's value; `null`: the parameter was never put. */
function storeWebhook(value: string | null = WEBHOOK): void {
  ssmMock
    .on(GetParameterCommand)
    .callsFake((input: { Name?: string; WithDecryption?: boolean }) => {
      expect(input).toEqual({ Name: PARAMETER, WithDecryption: true });
      if (value === null) {
        throw new ParameterNotFound({ message: 'not found', $metadata: { httpStatusCode: 400 } });
      }
      return { Parameter: { Name: PARAMETER, Type: 'SecureString', Value: value } };
    });
}

function publishes(): { Subject?: string; Message?: string; TopicArn?: string }[] {
  return snsMock.commandCalls(PublishCommand).map((c) => c.args[0].input);
}

function logLines(): Record<string, unknown>[] {
  return output
    .lines()
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

function setup(options: { fetch?: typeof fetch; env?: Record<string, string> } = {}): Harness {
  snsMock.on(PublishCommand).resolves({ MessageId: 'sns-1' });
  return harness({
    env: { ...NOTICE_ENV, ...options.env },
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
}

beforeEach(() => {
  output = captureOutput();
});
afterEach(() => {
  for (const g of recordedGrants()) allGrants.set(JSON.stringify(g), g);
  allLines.push(...output.lines());
  output.restore();
  for (const m of [iamMock, sesMock, sesv2Mock, sqsMock, snsMock, ssmMock]) m.reset();
});

describe('after a welcome', () => {
  it('tells the admins’ topic and Slack, naming the user, never the password', async () => {
    storeWebhook();
    const { posts, fetchFn } = slack();
    const h = setup({ fetch: fetchFn });
    addManagedUser(h.aws, 'alice.martin');
    const result = await h.invokeSqs(sqsEvent(createUserEvent({ userName: 'alice.martin' })));
    expect(result.batchItemFailures).toEqual([]);
    allPasswords.push(...h.aws.passwordsSeen);
    const password = h.aws.passwordsSeen[0];

    const [notice] = publishes();
    expect(publishes()).toHaveLength(1);
    expect(notice.TopicArn).toBe(TOPIC);
    expect(notice.Subject).toBe('[Example Corp] Welcome email sent to alice.martin');
    expect(notice.Message).toContain('The IAM user alice.martin received the welcome email');
    expect(notice.Message).toContain('What to do: Nothing.');
    expect(posts).toHaveLength(1);
    expect(posts[0].url).toBe(WEBHOOK);
    expect(posts[0].body.text).toContain('*Welcome email sent to alice.martin*');
    for (const text of [notice.Message, notice.Subject, posts[0].body.text])
      expect(text).not.toContain(password);
    expect(logLines().filter((l) => l.message === 'admin notice sent')).toHaveLength(2);
  });

  // Issue 21: a later receive is no sign of an earlier email.
  it('a first email after a deferred receive claims to replace nothing, nor does its notice', async () => {
    const h = setup();
    // IAM shows the user only after the first delivery gave up waiting (in the grace period).
    addManagedUser(h.aws, 'late.user').lag = { user: 5 };
    const event = createUserEvent({ userName: 'late.user', eventTime: h.ago(30_000) });
    const first = await h.invokeSqs(sqsEvent(sqsRecord(event, { messageId: 'm-late' })));
    expect(first.batchItemFailures).toEqual([{ itemIdentifier: 'm-late' }]);
    expect(h.aws.sent).toEqual([]);

    const second = await h.invokeSqs(
      sqsEvent(sqsRecord(event, { messageId: 'm-late', receiveCount: 2 })),
    );
    allPasswords.push(...h.aws.passwordsSeen);
    expect(second.batchItemFailures).toEqual([]);
    expect(h.aws.sent).toHaveLength(1);
    const email = h.aws.sent[0].input.Message?.Body;
    for (const body of [email?.Text?.Data, email?.Html?.Data])
      expect(body).not.toContain('replaces any earlier welcome email');
    const [notice] = publishes();
    expect(publishes()).toHaveLength(1);
    expect(notice.Message).not.toMatch(/replaces an earlier email/i);
    expect(logLines().find((l) => l.message === 'event done')).toMatchObject({
      receiveCount: 2,
      replacesEarlier: false,
    });
  });

  it('sends the email with the configuration set and the user tag, so a bounce can name them', async () => {
    storeWebhook();
    const h = setup({ fetch: slack().fetchFn });
    addManagedUser(h.aws, 'bo+chen@team', { email: 'bo.chen@example.com' });
    await h.invokeSqs(sqsEvent(createUserEvent({ userName: 'bo+chen@team' })));
    allPasswords.push(...h.aws.passwordsSeen);
    const [send] = sesMock.commandCalls(SendEmailCommand);
    expect(send.args[0].input).toMatchObject({
      ConfigurationSetName: 'iam-onboarding-welcome',
      Tags: [{ Name: 'iam-onboarding-user', Value: encodeTagValue('bo+chen@team') }],
    });
    expect(encodeTagValue('bo+chen@team')).toMatch(/^[A-Za-z0-9_-]+$/);
  });

  it('reads the webhook once per execution environment', async () => {
    storeWebhook();
    const { posts, fetchFn } = slack();
    const h = setup({ fetch: fetchFn });
    addManagedUser(h.aws, 'a1');
    addManagedUser(h.aws, 'a2');
    await h.invokeSqs(sqsEvent(createUserEvent({ userName: 'a1' })));
    await h.invokeSqs(sqsEvent(createUserEvent({ userName: 'a2' })));
    allPasswords.push(...h.aws.passwordsSeen);
    expect(posts).toHaveLength(2);
    expect(ssmMock.commandCalls(GetParameterCommand)).toHaveLength(1);
  });

  it('without destinations configured nothing is published or posted', async () => {
    const { posts, fetchFn } = slack();
    const h = harness({ fetch: fetchFn });
    addManagedUser(h.aws, 'quiet');
    await h.invokeSqs(sqsEvent(createUserEvent({ userName: 'quiet' })));
    allPasswords.push(...h.aws.passwordsSeen);
    expect(tagOf(h.aws, 'quiet', WELCOMED_TAG_KEY)).toBeDefined();
    expect(snsMock.calls()).toHaveLength(0);
    expect(ssmMock.calls()).toHaveLength(0);
    expect(posts).toHaveLength(0);
  });
});

describe('Slack down never fails the welcome', () => {
  const cases: [string, () => void, (post: Post) => Promise<Response> | Response, string][] = [
    [
      'HTTP 500',
      () => storeWebhook(),
      () => new Response('oops', { status: 500 }),
      'SlackHttpError',
    ],
    [
      'a timeout (its message quoting the URL)',
      () => storeWebhook(),
      (post) =>
        Promise.reject(new DOMException(`timed out posting to ${post.url}`, 'TimeoutError')),
      'TimeoutError',
    ],
    [
      'a network error (its cause quoting the URL)',
      () => storeWebhook(),
      (post) => Promise.reject(new TypeError(`fetch failed: ${post.url}`, { cause: post.url })),
      'TypeError',
    ],
    [
      'a parameter never put',
      () => storeWebhook(null),
      () => new Response('ok'),
      'ParameterNotFound',
    ],
    [
      'a parameter that is not a URL',
      () => storeWebhook('not a url'),
      () => new Response('ok'),
      'NotAWebhookUrl',
    ],
  ];

  it.each(cases)(
    '%s: welcomed, emailed notice sent, a warning without the URL',
    async (_what, store, answer, name) => {
      store();
      const { fetchFn } = slack(answer);
      const h = setup({ fetch: fetchFn });
      addManagedUser(h.aws, 'carla');
      const result = await h.invokeSqs(sqsEvent(createUserEvent({ userName: 'carla' })));
      allPasswords.push(...h.aws.passwordsSeen);
      expect(result.batchItemFailures).toEqual([]);
      expect(tagOf(h.aws, 'carla', WELCOMED_TAG_KEY)).toBeDefined();
      expect(publishes()).toHaveLength(1);
      const warnings = logLines().filter((l) => l.message === 'admin notice not delivered');
      expect(warnings).toEqual([
        expect.objectContaining({
          level: 'WARN',
          destination: 'slack',
          kind: 'welcomed',
          userName: 'carla',
          errorName: name,
        }),
      ]);
      if (name === 'SlackHttpError') expect(warnings[0].httpStatus).toBe(500);
      expect(
        output.lines().filter((l) => l.includes('hooks.slack.com') || l.includes('SuperSecret')),
      ).toEqual([]);
    },
  );

  it('the topic refusing is logged the same way, and Slack still gets the notice', async () => {
    storeWebhook();
    const { posts, fetchFn } = slack();
    const h = harness({ env: NOTICE_ENV, fetch: fetchFn });
    snsMock
      .on(PublishCommand)
      .rejects(Object.assign(new Error('denied'), { name: 'AuthorizationErrorException' }));
    addManagedUser(h.aws, 'dana');
    const result = await h.invokeSqs(sqsEvent(createUserEvent({ userName: 'dana' })));
    allPasswords.push(...h.aws.passwordsSeen);
    expect(result.batchItemFailures).toEqual([]);
    expect(posts).toHaveLength(1);
    expect(logLines().find((l) => l.message === 'admin notice not delivered')).toMatchObject({
      destination: 'email-topic',
      errorName: 'AuthorizationErrorException',
    });
  });
});

describe('a failure that needs a person', () => {
  it('the last receive before the dead-letter queue tells the admins; earlier ones do not', async () => {
    storeWebhook();
    const h = setup({ fetch: slack().fetchFn });
    addManagedUser(h.aws, 'erin');
    h.aws.sesBehaviour = () => {
      throw Object.assign(new Error('boom'), {
        name: 'InternalFailure',
        $metadata: { httpStatusCode: 500 },
      });
    };
    const event = createUserEvent({ userName: 'erin' });
    await h.invokeSqs(sqsEvent(sqsRecord(event, { receiveCount: WELCOME_QUEUE_MAX_RECEIVES - 1 })));
    expect(publishes()).toHaveLength(0);
    const last = await h.invokeSqs(
      sqsEvent(sqsRecord(event, { receiveCount: WELCOME_QUEUE_MAX_RECEIVES })),
    );
    allPasswords.push(...h.aws.passwordsSeen);
    expect(last.batchItemFailures).toHaveLength(1);
    expect(publishes()).toHaveLength(1);
    expect(publishes()[0].Subject).toBe('[Example Corp] Welcome of erin failed');
    expect(publishes()[0].Message).toContain('last at step send-email (InternalFailure)');
    expect(publishes()[0].Message).toContain('npm run redrive -- --apply');
  });
});

/** An SES event as the configuration set's destination publishes it. */
function sesEvent(
  eventType: string,
  body: Record<string, unknown>,
  userName: string | undefined = 'alice.martin',
): Record<string, unknown> {
  return {
    eventType,
    ...body,
    mail: {
      timestamp: '2025-01-01T12:00:00.000Z',
      source: 'onboarding@example.com',
      sendingAccountId: ACCOUNT_ID,
      messageId: '0100018c-ses-message-id',
      destination: ['alice.martin@example.com'],
      tags: {
        'ses:configuration-set': ['iam-onboarding-welcome'],
        ...(userName === undefined ? {} : { 'iam-onboarding-user': [encodeTagValue(userName)] }),
      },
    },
  };
}

describe('SES feedback', () => {
  const run = async (event: Record<string, unknown>) => {
    storeWebhook();
    const { posts, fetchFn } = slack();
    const h = setup({ fetch: fetchFn });
    const result = await h.invokeSqs(sqsEvent(sqsRecord(event, { messageId: 'm-ses' })));
    // Acknowledged whatever it says: retrying would only repeat the notice.
    expect(result.batchItemFailures).toEqual([]);
    expect(iamMock.calls()).toHaveLength(0);
    expect(sesMock.calls()).toHaveLength(0);
    return { posts, lines: logLines() };
  };

  it('a permanent bounce: a notice with the user name and the address, and an ERROR for the alarm', async () => {
    const { posts, lines } = await run(
      sesEvent('Bounce', {
        bounce: {
          bounceType: 'Permanent',
          bounceSubType: 'General',
          bouncedRecipients: [
            {
              emailAddress: 'alice.martin@example.com',
              diagnosticCode: 'smtp; 550 5.1.1 user unknown',
            },
          ],
        },
      }),
    );
    const [notice] = publishes();
    expect(notice.Subject).toBe('[Example Corp] Welcome email to alice.martin bounced');
    expect(notice.Message).toContain(
      'alice.martin to alice.martin@example.com bounced permanently',
    );
    expect(notice.Message).toContain('General: smtp; 550 5.1.1 user unknown');
    expect(notice.Message).toContain(
      'What to do: Fix the email of alice.martin in users/users.json and raise their "resend" counter',
    );
    expect(posts[0].body.text).toContain('alice.martin@example.com');
    expect(lines.find((l) => l.message === 'welcome email problem')).toMatchObject({
      level: 'ERROR',
      feedback: 'bounce',
      bounceType: 'Permanent',
      userName: 'alice.martin',
    });
    // The address goes to the admins, not into the logs.
    expect(output.lines().filter((l) => l.includes('alice.martin@example.com'))).toEqual([]);
  });

  it('a complaint: a notice that the recipient marked it as spam', async () => {
    await run(
      sesEvent('Complaint', {
        complaint: {
          complainedRecipients: [{ emailAddress: 'alice.martin@example.com' }],
          complaintFeedbackType: 'abuse',
        },
      }),
    );
    expect(publishes()[0].Subject).toBe(
      '[Example Corp] Welcome email to alice.martin marked as spam',
    );
    expect(publishes()[0].Message).toContain('Details: abuse');
  });

  it('a reject: a notice that SES refused to send', async () => {
    await run(sesEvent('Reject', { reject: { reason: 'Bad content' } }));
    expect(publishes()[0].Subject).toBe(
      '[Example Corp] Welcome email to alice.martin rejected by SES',
    );
    expect(publishes()[0].Message).toContain('Details: Bad content');
  });

  it('a transient bounce: logged as a warning, no notice', async () => {
    const { posts, lines } = await run(
      sesEvent('Bounce', {
        bounce: {
          bounceType: 'Transient',
          bounceSubType: 'MailboxFull',
          bouncedRecipients: [{ emailAddress: 'alice.martin@example.com' }],
        },
      }),
    );
    expect(publishes()).toEqual([]);
    expect(posts).toEqual([]);
    expect(lines.find((l) => l.message === 'welcome email problem')).toMatchObject({
      level: 'WARN',
      outcome: 'transient-bounce',
    });
  });

  it('SES’s own topic check and deliveries are acknowledged quietly', async () => {
    await run({ eventType: 'Delivery', mail: { messageId: 'x', destination: [] } });
    expect(publishes()).toEqual([]);
  });
});

describe('across every scenario above', () => {
  it('no log line carries the Slack URL, its token, or any generated password', () => {
    expect(allPasswords.length).toBeGreaterThan(8);
    expect(allLines.length).toBeGreaterThan(50);
    const secrets = [WEBHOOK, 'zzSuperSecretTokenzz', 'T0SECRET', ...allPasswords];
    // Verbatim, encoded (base64, hex, URL, JSON, reversed) or any piece of 6 or more.
    expect(leaksOfAll(secrets, allLines, { publicText: [SLACK_HOST] })).toEqual([]);
  });

  it('every call they made is granted by the role synthesized from config/settings.json', async () => {
    const grants = [...allGrants.values()];
    const actions = new Set(grants.map((g) => g.action));
    for (const action of ['sns:Publish', 'ssm:GetParameter', 'ses:SendEmail'])
      expect(actions).toContain(action);
    expect(grants.some((g) => g.resource.includes(':configuration-set/'))).toBe(true);
    const config = JSON.parse(synthStack(trailNoZone(), fixtureCode()).json) as RehearsalConfig;
    expect(await deniedCalls(config, grants)).toEqual([]);
  });
});
