/**
 * `npm run redrive`: read the dead-letter queue, say what each message is, and
 * (with `--apply`) replay it through the welcome queue, deleting from the
 * dead-letter queue only the messages whose replay was queued. Replaying is
 * safe to repeat: a welcome takes the function's exactly-once path.
 */
import {
  ChangeMessageVisibilityCommand,
  DeleteMessageCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  type Message,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { EXPIRE_REQUEST, RECONCILE_REQUEST, welcomeRequest } from '../shared/contract';
import { describeDeadLetter, type DeadLetter } from './dead-letters';

export interface RedriveOptions {
  readonly deadLetterQueueUrl: string;
  readonly welcomeQueueUrl: string;
  /** Replay and delete; without it, only report (and leave every message in place). */
  readonly apply: boolean;
  /** Stop after this many messages. @default 100 */
  readonly max?: number;
  /** Where each report line goes. */
  readonly print: (line: string) => void;
}

export interface RedriveResult {
  readonly seen: number;
  readonly replayed: number;
  /** Kept: not replayable, or the replay could not be queued. */
  readonly kept: number;
}

/** Seconds a message read here stays hidden from other readers while we work on it. */
const HOLD_SECONDS = 120;

function toStrings(attrs: Message['MessageAttributes']): Record<string, string | undefined> {
  return Object.fromEntries(Object.entries(attrs ?? {}).map(([k, v]) => [k, v.StringValue]));
}

function bodiesToQueue(letter: DeadLetter): string[] {
  if (letter.replay === 'reconcile') return [JSON.stringify(RECONCILE_REQUEST)];
  // From the start: a run repeats safely, and a continuation's place may be stale.
  if (letter.replay === 'expire') return [JSON.stringify(EXPIRE_REQUEST)];
  if (letter.replay === 'welcome') {
    return letter.users.map((u) => JSON.stringify(welcomeRequest(u, 'redrive')));
  }
  return [];
}

export async function redrive(sqs: SQSClient, options: RedriveOptions): Promise<RedriveResult> {
  const max = options.max ?? 100;
  const held: Message[] = [];
  let replayed = 0;
  let seen = 0;
  try {
    while (seen < max) {
      const { Messages = [] } = await sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: options.deadLetterQueueUrl,
          MaxNumberOfMessages: Math.min(10, max - seen),
          VisibilityTimeout: HOLD_SECONDS,
          MessageAttributeNames: ['All'],
          MessageSystemAttributeNames: ['All'],
          WaitTimeSeconds: 1,
        }),
      );
      if (Messages.length === 0) break;
      for (const m of Messages) {
        seen += 1;
        const letter = describeDeadLetter({
          body: m.Body ?? '',
          messageAttributes: toStrings(m.MessageAttributes),
          attributes: m.Attributes ?? {},
        });
        const who = letter.users.map((u) => u.userName).join(', ') || '-';
        options.print(
          `${seen}. ${letter.source} | ${who} | ${letter.failure} | replay: ${letter.replay}`,
        );
        const bodies = bodiesToQueue(letter);
        if (!options.apply || bodies.length === 0) {
          held.push(m);
          continue;
        }
        try {
          for (const body of bodies) {
            await sqs.send(
              new SendMessageCommand({ QueueUrl: options.welcomeQueueUrl, MessageBody: body }),
            );
          }
          await sqs.send(
            new DeleteMessageCommand({
              QueueUrl: options.deadLetterQueueUrl,
              ReceiptHandle: m.ReceiptHandle,
            }),
          );
          replayed += 1;
          options.print(
            `   replayed: queued ${bodies.length} request(s), removed from the dead-letter queue`,
          );
        } catch (error) {
          held.push(m);
          options.print(
            `   kept: the replay could not be queued (${error instanceof Error ? error.name : String(error)})`,
          );
        }
      }
    }
  } finally {
    // What we did not replay becomes visible again at once, for the next
    // look. Should this fail, it reappears anyway after HOLD_SECONDS.
    for (const m of held) {
      try {
        await sqs.send(
          new ChangeMessageVisibilityCommand({
            QueueUrl: options.deadLetterQueueUrl,
            ReceiptHandle: m.ReceiptHandle,
            VisibilityTimeout: 0,
          }),
        );
      } catch {
        options.print(`   (message ${m.MessageId ?? '?'} reappears in ${HOLD_SECONDS} s)`);
      }
    }
  }
  return { seen, replayed, kept: seen - replayed };
}
