/** Sending the welcome email through SES v1 (SendEmail). */
import { type SESClient, SendEmailCommand } from '@aws-sdk/client-ses';
import type { WelcomeEmail } from '../core/message';
import { SES_USER_TAG } from '../../../shared/contract';
import { encodeTagValue } from '../core/ses-event';
import { isThrottlingError } from './faults';

export interface OutgoingEmail {
  /** Header-ready From value. */
  source: string;
  to: string;
  message: WelcomeEmail;
  /** The IAM user welcomed: tagged on the email, so a bounce or complaint names them. */
  userName?: string;
  /** SES configuration set whose event destination reports bounces, complaints and rejects. */
  configurationSet?: string;
}

/** Sends one email; resolves to SES's message ID. */
export async function sendEmail(ses: SESClient, email: OutgoingEmail): Promise<string | undefined> {
  const { MessageId } = await ses.send(
    new SendEmailCommand({
      Source: email.source,
      Destination: { ToAddresses: [email.to] },
      Message: {
        Subject: { Data: email.message.subject, Charset: 'UTF-8' },
        Body: {
          Text: { Data: email.message.text, Charset: 'UTF-8' },
          Html: { Data: email.message.html, Charset: 'UTF-8' },
        },
      },
      ...(email.configurationSet ? { ConfigurationSetName: email.configurationSet } : {}),
      ...(email.userName === undefined
        ? {}
        : { Tags: [{ Name: SES_USER_TAG, Value: encodeTagValue(email.userName) }] }),
    }),
  );
  return MessageId;
}

/**
 * SES refused for rate, so nothing was sent and a later try can succeed
 * (docs/design.md, "SES rate errors are Throttling and can be retried": `Throttling`,
 * "Maximum sending rate exceeded").
 * A daily quota ("Daily message quota exceeded") is also `Throttling` but will
 * not clear within one invocation, so it is left to fail.
 */
export function isSendThrottled(error: unknown): boolean {
  if (error instanceof Error && /daily message quota/i.test(error.message)) return false;
  return isThrottlingError(error);
}
