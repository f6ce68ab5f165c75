/** Requests the function queues to itself (the expiry run's continuation). */
import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';

export async function queueRequest(sqs: SQSClient, queueUrl: string, body: object): Promise<void> {
  await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: JSON.stringify(body) }));
}
