/**
 * SES's account-level suppression list, read before a password is issued
 * (flow.ts recipientFor). SES *accepts* SendEmail to a suppressed address,
 * returns a message id and never delivers (a bounce with subtype
 * `OnAccountSuppressionList` follows), so asking first is the only way to
 * know before a password exists that nobody will receive.
 */
import { GetSuppressedDestinationCommand, type SESv2Client } from '@aws-sdk/client-sesv2';
import { errorName } from '../core/errors';

/** What the suppression list says of an address. */
export interface Suppression {
  /** `BOUNCE` or `COMPLAINT` (SESv2 SuppressionListReason). */
  readonly reason: string;
  /** When SES put the address on the list or last updated it. */
  readonly since?: Date;
}

/**
 * The address's entry on the account-level suppression list, or undefined
 * when it has none: AWS answers `NotFoundException` (HTTP 404) for an address
 * not on the list. Every other answer (TooManyRequestsException after the
 * SDK's own retries, a 5xx, no answer, AccessDenied, BadRequestException) is
 * thrown: not knowing is never read as "not suppressed" (the caller fails
 * the record before anything is issued, and SQS delivers it again).
 */
export async function getSuppression(
  client: SESv2Client,
  address: string,
): Promise<Suppression | undefined> {
  try {
    const { SuppressedDestination: found } = await client.send(
      new GetSuppressedDestinationCommand({ EmailAddress: address }),
    );
    // A 200 is an entry (Reason and LastUpdateTime are required in AWS's
    // model); without a reason it is still one, of a reason SES did not say.
    return {
      reason: found?.Reason ?? 'UNKNOWN',
      ...(found?.LastUpdateTime ? { since: found.LastUpdateTime } : {}),
    };
  } catch (error) {
    if (errorName(error) === 'NotFoundException') return undefined;
    throw error;
  }
}
