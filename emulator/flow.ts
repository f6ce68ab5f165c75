/**
 * The welcome flow through the emulator, hop by hop. moto records no
 * CloudTrail events and its EventBridge cannot deliver to SNS, so the
 * harness stands in for exactly those two hops: it builds the "AWS API Call
 * via CloudTrail" event from what IAM answers, asks moto's own pattern
 * matcher whether the deployed rule matches it, and publishes it to the
 * deployed topic as the rule's target would. From there moto delivers (SNS
 * to the queue through the deployed subscription), and a poller plays
 * Lambda's event source mapping with the deployed settings.
 */
import { spawnSync } from 'node:child_process';
import { GetUserCommand, IAMClient, ListUserTagsCommand } from '@aws-sdk/client-iam';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import {
  ChangeMessageVisibilityCommand,
  DeleteMessageBatchCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
  type Message,
} from '@aws-sdk/client-sqs';
import { EMULATOR_CREDENTIALS } from './deploy';
import type { DeployedFunction, EventSourceMapping, Invocation } from './function';
import { motoPython, type RecordedRequest } from './moto-server';
import { cloudTrailEvent, tagUserEventFor, type BusEvent } from './cloudtrail';

export type { BusEvent } from './cloudtrail';

export interface Clients {
  readonly iam: IAMClient;
  readonly sns: SNSClient;
  readonly sqs: SQSClient;
}

export function clients(endpoint: string): Clients {
  const config = {
    endpoint,
    region: EMULATOR_CREDENTIALS.AWS_REGION,
    credentials: {
      accessKeyId: EMULATOR_CREDENTIALS.AWS_ACCESS_KEY_ID,
      secretAccessKey: EMULATOR_CREDENTIALS.AWS_SECRET_ACCESS_KEY,
    },
  };
  return { iam: new IAMClient(config), sns: new SNSClient(config), sqs: new SQSClient(config) };
}

const accountOf = (arn: string) => arn.split(':')[4];

/** The CreateUser event CloudTrail would record for a user, from what IAM answers about it. */
export async function createUserEvent(
  iam: IAMClient,
  userName: string,
  callerRoleArn?: string,
): Promise<BusEvent> {
  const { User } = await iam.send(new GetUserCommand({ UserName: userName }));
  const { Tags } = await iam.send(new ListUserTagsCommand({ UserName: userName }));
  const user = User!;
  return cloudTrailEvent(
    accountOf(user.Arn!),
    'CreateUser',
    {
      userName: user.UserName,
      path: user.Path,
      tags: (Tags ?? []).map((t) => ({ key: t.Key, value: t.Value })),
    },
    {
      user: {
        path: user.Path,
        userName: user.UserName,
        userId: user.UserId,
        arn: user.Arn,
        createDate: user.CreateDate?.toUTCString(),
      },
    },
    callerRoleArn,
  );
}

/** The TagUser event for tags the apply wrote on a user (a raised resend counter). */
export async function tagUserEvent(
  iam: IAMClient,
  userName: string,
  keys: readonly string[],
  callerRoleArn?: string,
): Promise<BusEvent> {
  const { User } = await iam.send(new GetUserCommand({ UserName: userName }));
  const { Tags } = await iam.send(new ListUserTagsCommand({ UserName: userName }));
  return tagUserEventFor(
    accountOf(User!.Arn!),
    userName,
    (Tags ?? [])
      .filter((t) => keys.includes(t.Key!))
      .map((t) => ({ key: t.Key!, value: t.Value ?? '' })),
    callerRoleArn,
  );
}

/**
 * The UntagUser event CloudTrail records when the apply removes tag keys
 * from a user (a reinstated person's `suspended`): the keys as a list of
 * strings, `tagKeys` as CloudTrail spells the API's TagKeys.
 */
export async function untagUserEvent(
  iam: IAMClient,
  userName: string,
  tagKeys: readonly string[],
  callerRoleArn?: string,
): Promise<BusEvent> {
  const { User } = await iam.send(new GetUserCommand({ UserName: userName }));
  return cloudTrailEvent(
    accountOf(User!.Arn!),
    'UntagUser',
    { userName, tagKeys: [...tagKeys] },
    null,
    callerRoleArn,
  );
}

/**
 * moto's matcher does not look into lists of objects (emulator/gaps.ts);
 * EventBridge matches a field inside a list of objects when any element's
 * field does, which is what matching against the list of that field's values
 * amounts to. The harness presents such lists to moto that way.
 */
export function listsOfObjectsAsFields(node: unknown): unknown {
  if (Array.isArray(node)) {
    if (
      node.length > 0 &&
      node.every((x) => x !== null && typeof x === 'object' && !Array.isArray(x))
    ) {
      const keys = [...new Set(node.flatMap((x) => Object.keys(x as object)))];
      return Object.fromEntries(
        keys.map((k) => [
          k,
          node.map((x) => listsOfObjectsAsFields((x as Record<string, unknown>)[k])),
        ]),
      );
    }
    return node.map(listsOfObjectsAsFields);
  }
  if (node !== null && typeof node === 'object') {
    return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, listsOfObjectsAsFields(v)]));
  }
  return node;
}

/** Whether moto's own EventBridge matcher (moto.events.models.EventPattern) matches `event` to `pattern`. */
export function motoMatches(pattern: string, event: unknown): boolean {
  const r = spawnSync(
    motoPython(),
    [
      '-c',
      'import json,sys\nfrom moto.events.models import EventPattern\nprint(json.dumps(EventPattern.load(sys.argv[1]).matches_event(json.loads(sys.argv[2]))))',
      pattern,
      JSON.stringify(event),
    ],
    { encoding: 'utf8' },
  );
  if (r.status !== 0) throw new Error(`moto's pattern matcher failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as boolean;
}

/** Whether the rule's pattern matches, as EventBridge judges it, with moto's matcher (lists of objects presented as fields). */
export function ruleMatches(pattern: string, event: BusEvent): boolean {
  return motoMatches(pattern, listsOfObjectsAsFields(event));
}

/** What the rule's target does on a match: the whole event, as the SNS message. */
export async function publishToTopic(
  sns: SNSClient,
  topicArn: string,
  event: BusEvent,
): Promise<void> {
  await sns.send(new PublishCommand({ TopicArn: topicArn, Message: JSON.stringify(event) }));
}

/** What a schedule rule's target does: its constant Input, as the SQS message body. */
export async function sendScheduledInput(
  sqs: SQSClient,
  queueUrl: string,
  input: string,
): Promise<void> {
  await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: input }));
}

export interface Batch {
  readonly messageIds: readonly string[];
  readonly invocation: Invocation;
  /** The messages the mapping deleted (all but the reported failures; none when the function failed). */
  readonly deleted: readonly string[];
  /** The receipt handles of the messages left on the queue, by message id. */
  readonly failed: Readonly<Record<string, string>>;
  /** Each message's ApproximateReceiveCount on this receive, by message id (1 on the first). */
  readonly receiveCounts: Readonly<Record<string, number>>;
}

function sqsRecord(m: Message, queueArn: string) {
  return {
    messageId: m.MessageId,
    receiptHandle: m.ReceiptHandle,
    body: m.Body,
    attributes: m.Attributes ?? {},
    messageAttributes: m.MessageAttributes ?? {},
    md5OfBody: m.MD5OfBody,
    eventSource: 'aws:sqs',
    eventSourceARN: queueArn,
    awsRegion: queueArn.split(':')[3],
  };
}

export interface PollOptions {
  readonly sqs: SQSClient;
  readonly queueUrl: string;
  readonly mapping: EventSourceMapping;
  readonly fn: DeployedFunction;
  /** Stop after this many batches, whatever is left. @default 1000 */
  readonly maxBatches?: number;
  /**
   * The VisibilityTimeout each receive asks for. Lambda's mapping asks for
   * none, so the queue's own (minutes) applies, and so does the poller by
   * default. Only a test that must see a message come back several times
   * shortens it (a harness deviation, in the README's emulator table); moto
   * honours it as SQS does.
   */
  readonly visibilityTimeout?: number;
}

/**
 * Lambda's event source mapping, played: receive up to the mapping's batch
 * size, invoke, delete what succeeded (with ReportBatchItemFailures, all but
 * the reported failures; without, all or nothing). A failed message stays
 * and comes back after the queue's visibility timeout. Stops when a receive
 * finds nothing visible.
 */
export async function drainQueue(options: PollOptions): Promise<Batch[]> {
  const { sqs, queueUrl, mapping, fn } = options;
  const partial = (mapping.FunctionResponseTypes ?? []).includes('ReportBatchItemFailures');
  const batches: Batch[] = [];
  while (batches.length < (options.maxBatches ?? 1000)) {
    const { Messages } = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: Math.min(mapping.BatchSize, 10),
        WaitTimeSeconds: 0,
        MessageSystemAttributeNames: ['All'],
        MessageAttributeNames: ['All'],
        ...(options.visibilityTimeout === undefined
          ? {}
          : { VisibilityTimeout: options.visibilityTimeout }),
      }),
    );
    if (!Messages || Messages.length === 0) break;
    const invocation = fn.invoke({
      Records: Messages.map((m) => sqsRecord(m, mapping.EventSourceArn)),
    });
    const failed = new Set<string>();
    if (invocation.error !== undefined) {
      Messages.forEach((m) => failed.add(m.MessageId!));
    } else if (partial) {
      const result = invocation.result as {
        batchItemFailures?: { itemIdentifier: string }[];
      } | null;
      for (const f of result?.batchItemFailures ?? []) failed.add(f.itemIdentifier);
    }
    const done = Messages.filter((m) => !failed.has(m.MessageId!));
    if (done.length > 0) {
      await sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: queueUrl,
          Entries: done.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle })),
        }),
      );
    }
    batches.push({
      messageIds: Messages.map((m) => m.MessageId!),
      invocation,
      deleted: done.map((m) => m.MessageId!),
      failed: Object.fromEntries(
        Messages.filter((m) => failed.has(m.MessageId!)).map((m) => [
          m.MessageId!,
          m.ReceiptHandle!,
        ]),
      ),
      receiveCounts: Object.fromEntries(
        Messages.map((m) => [m.MessageId!, Number(m.Attributes?.ApproximateReceiveCount ?? 0)]),
      ),
    });
  }
  return batches;
}

/**
 * The visibility timeout of the failed messages, fast-forwarded: they are
 * visible again now rather than after the queue's timeout (minutes).
 */
export async function expireVisibility(
  sqs: SQSClient,
  queueUrl: string,
  batches: readonly Batch[],
) {
  for (const handle of batches.flatMap((b) => Object.values(b.failed))) {
    await sqs.send(
      new ChangeMessageVisibilityCommand({
        QueueUrl: queueUrl,
        ReceiptHandle: handle,
        VisibilityTimeout: 0,
      }),
    );
  }
}

/** A request moto received in the AWS query protocol (IAM, SES, SNS), as its parameters. */
export function queryParameters(r: RecordedRequest): URLSearchParams | undefined {
  const type =
    Object.entries(r.headers).find(([k]) => k.toLowerCase() === 'content-type')?.[1] ?? '';
  if (r.method !== 'POST' || !type.includes('x-www-form-urlencoded')) return undefined;
  return new URLSearchParams(r.body);
}

/** The query-protocol requests of one action (SendEmail, Publish, CreateLoginProfile...). */
export function requestsOf(
  requests: readonly RecordedRequest[],
  action: string,
): URLSearchParams[] {
  return requests.flatMap((r) => {
    const p = queryParameters(r);
    return p?.get('Action') === action ? [p] : [];
  });
}

/** One email as moto's SES received it (SendEmail). */
export interface ReceivedEmail {
  readonly from: string;
  readonly to: readonly string[];
  readonly subject: string;
  readonly text: string;
  readonly html: string;
  readonly configurationSet?: string;
}

export function receivedEmails(requests: readonly RecordedRequest[]): ReceivedEmail[] {
  return requestsOf(requests, 'SendEmail').map((p) => {
    const to: string[] = [];
    for (let i = 1; p.has(`Destination.ToAddresses.member.${i}`); i++)
      to.push(p.get(`Destination.ToAddresses.member.${i}`)!);
    return {
      from: p.get('Source') ?? '',
      to,
      subject: p.get('Message.Subject.Data') ?? '',
      text: p.get('Message.Body.Text.Data') ?? '',
      html: p.get('Message.Body.Html.Data') ?? '',
      ...(p.has('ConfigurationSetName')
        ? { configurationSet: p.get('ConfigurationSetName')! }
        : {}),
    };
  });
}

/** The messages published to one topic. */
export function publishedTo(requests: readonly RecordedRequest[], topicArn: string): string[] {
  return requestsOf(requests, 'Publish')
    .filter((p) => p.get('TopicArn') === topicArn)
    .map((p) => p.get('Message') ?? '');
}
