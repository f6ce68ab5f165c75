/**
 * A suspended person's access keys: listed and turned off, never deleted
 * (reinstating leaves the person, or an admin, to turn a key back on or make
 * a new one; a deleted key is gone for good). A user already gone has no
 * keys to turn off.
 */
import {
  type IAMClient,
  ListAccessKeysCommand,
  NoSuchEntityException,
  UpdateAccessKeyCommand,
} from '@aws-sdk/client-iam';

function isNoSuchEntity(error: unknown): boolean {
  return (
    error instanceof NoSuchEntityException ||
    (error instanceof Error &&
      (error.name === 'NoSuchEntity' || error.name === 'NoSuchEntityException'))
  );
}

export interface AccessKey {
  readonly id: string;
  readonly active: boolean;
}

/** Every access key of the user (at most two, but paginated as the API is); undefined when the user is gone. */
export async function listAccessKeys(
  iam: IAMClient,
  userName: string,
): Promise<AccessKey[] | undefined> {
  const keys: AccessKey[] = [];
  let marker: string | undefined;
  try {
    do {
      const page = await iam.send(
        new ListAccessKeysCommand({ UserName: userName, ...(marker ? { Marker: marker } : {}) }),
      );
      for (const k of page.AccessKeyMetadata ?? [])
        if (k.AccessKeyId) keys.push({ id: k.AccessKeyId, active: k.Status === 'Active' });
      marker = page.IsTruncated ? page.Marker : undefined;
    } while (marker);
  } catch (error) {
    if (isNoSuchEntity(error)) return undefined;
    throw error;
  }
  return keys;
}

/** Turns one key off (idempotent); a key or user already gone counts as off. */
export async function deactivateAccessKey(
  iam: IAMClient,
  userName: string,
  keyId: string,
): Promise<'deactivated' | 'absent'> {
  try {
    await iam.send(
      new UpdateAccessKeyCommand({ UserName: userName, AccessKeyId: keyId, Status: 'Inactive' }),
    );
    return 'deactivated';
  } catch (error) {
    if (isNoSuchEntity(error)) return 'absent';
    throw error;
  }
}
