/**
 * Delivering admin notices: the admins' SNS topic (email subscriptions), and
 * a Slack incoming webhook whose URL is read from an SSM SecureString.
 *
 * The webhook URL is a credential: it is held in memory only, never logged,
 * and errors about it are reported by name (fetch's own errors can quote the
 * URL in their message, so messages are never passed on).
 */
import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import type { SSMClient } from '@aws-sdk/client-ssm';
import { readSecureString } from './secure-string';

/** Publishes one notice to the admins' topic; resolves to SNS's message ID. */
export async function publishNotice(
  sns: SNSClient,
  topicArn: string,
  notice: { subject: string; text: string },
): Promise<string | undefined> {
  const { MessageId } = await sns.send(
    new PublishCommand({ TopicArn: topicArn, Subject: notice.subject, Message: notice.text }),
  );
  return MessageId;
}

/** Thrown when something stops a Slack post; its name is what the log line says. */
export class SlackDeliveryError extends Error {
  constructor(
    name: 'ParameterNotFound' | 'ParameterEmpty' | 'NotAWebhookUrl' | 'SlackHttpError',
    readonly httpStatus?: number,
  ) {
    super(name);
    this.name = name;
  }
}

/** The webhook URL from its SecureString parameter. */
export async function readWebhookUrl(ssm: SSMClient, parameterName: string): Promise<string> {
  const url = await readSecureString(ssm, parameterName);
  if (url === undefined) throw new SlackDeliveryError('ParameterNotFound');
  if (!url) throw new SlackDeliveryError('ParameterEmpty');
  // A webhook URL has no spaces.
  if (!/^https:\/\/[^\s/]+\/\S+$/.test(url)) throw new SlackDeliveryError('NotAWebhookUrl');
  return url;
}

/** How long a Slack post may take: a notice must never hold up the welcome it reports. */
export const SLACK_TIMEOUT_MS = 3_000;

/** Posts one message to the webhook; throws SlackDeliveryError on a non-2xx answer. */
export async function postToSlack(
  fetchFn: typeof fetch,
  url: string,
  body: { text: string },
  timeoutMs: number = SLACK_TIMEOUT_MS,
): Promise<void> {
  const response = await fetchFn(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(timeoutMs),
  });
  // The body is drained so that the connection can be reused; its text is not logged.
  await response.text().catch(() => undefined);
  if (!response.ok) throw new SlackDeliveryError('SlackHttpError', response.status);
}
