/**
 * The IAM calls the function makes. Expected outcomes (a user that is gone, a
 * profile that already exists) come back as values; anything else is thrown
 * for the handler to turn into a RecordError.
 */
import {
  CreateLoginProfileCommand,
  DeleteLoginProfileCommand,
  EntityAlreadyExistsException,
  GetAccountPasswordPolicyCommand,
  GetLoginProfileCommand,
  GetUserCommand,
  type IAMClient,
  ListAccountAliasesCommand,
  ListUserTagsCommand,
  NoSuchEntityException,
  type Tag,
  TagUserCommand,
} from '@aws-sdk/client-iam';
import type { IamPasswordPolicyFields } from '../core/password';

// Matches both the modelled class and a plain error with the wire code
// (e.g. from another SDK copy), so the outcome does not hang on `instanceof`.
function isNoSuchEntity(error: unknown): boolean {
  return (
    error instanceof NoSuchEntityException ||
    (error instanceof Error &&
      (error.name === 'NoSuchEntity' || error.name === 'NoSuchEntityException'))
  );
}

function isEntityAlreadyExists(error: unknown): boolean {
  return (
    error instanceof EntityAlreadyExistsException ||
    (error instanceof Error &&
      (error.name === 'EntityAlreadyExists' || error.name === 'EntityAlreadyExistsException'))
  );
}

export interface IamUser {
  path: string;
  userId: string;
  /** When the person last signed in with a password; absent if never. */
  passwordLastUsed?: Date;
}

/** The user as IAM has it now; undefined when IAM does not know it (deleted, or not visible yet). */
export async function getUser(iam: IAMClient, userName: string): Promise<IamUser | undefined> {
  try {
    const { User } = await iam.send(new GetUserCommand({ UserName: userName }));
    return {
      path: User?.Path ?? '',
      userId: User?.UserId ?? '',
      ...(User?.PasswordLastUsed ? { passwordLastUsed: User.PasswordLastUsed } : {}),
    };
  } catch (error) {
    if (isNoSuchEntity(error)) return undefined;
    throw error;
  }
}

/** All of the user's tags (following pagination); undefined when the user no longer exists. */
export async function listUserTags(iam: IAMClient, userName: string): Promise<Tag[] | undefined> {
  const tags: Tag[] = [];
  let marker: string | undefined;
  try {
    do {
      const page = await iam.send(
        new ListUserTagsCommand({ UserName: userName, ...(marker ? { Marker: marker } : {}) }),
      );
      tags.push(...(page.Tags ?? []));
      marker = page.IsTruncated ? page.Marker : undefined;
    } while (marker);
  } catch (error) {
    if (isNoSuchEntity(error)) return undefined;
    throw error;
  }
  return tags;
}

/** The account's password policy; undefined when none is set (IAM's default applies). */
export async function getPasswordPolicy(
  iam: IAMClient,
): Promise<IamPasswordPolicyFields | undefined> {
  try {
    const { PasswordPolicy } = await iam.send(new GetAccountPasswordPolicyCommand({}));
    return PasswordPolicy;
  } catch (error) {
    if (isNoSuchEntity(error)) return undefined;
    throw error;
  }
}

/** The account's alias, if it has one (an account has at most one). */
export async function getAccountAlias(iam: IAMClient): Promise<string | undefined> {
  const { AccountAliases } = await iam.send(new ListAccountAliasesCommand({}));
  return AccountAliases?.[0];
}

export type CreateProfileOutcome = 'created' | 'already-exists' | 'no-such-user';

/**
 * Gives the user a console password that must be changed at first sign-in.
 * `iam` should not retry on its own: a retried create whose first try went
 * through would answer "already exists" and hide that this run owns the profile.
 */
export async function createLoginProfile(
  iam: IAMClient,
  userName: string,
  password: string,
): Promise<CreateProfileOutcome> {
  try {
    await iam.send(
      new CreateLoginProfileCommand({
        UserName: userName,
        Password: password,
        PasswordResetRequired: true,
      }),
    );
    return 'created';
  } catch (error) {
    if (isEntityAlreadyExists(error)) return 'already-exists';
    if (isNoSuchEntity(error)) return 'no-such-user';
    throw error;
  }
}

/** When the user's login profile was created; undefined when the user has none. */
export async function getLoginProfile(
  iam: IAMClient,
  userName: string,
): Promise<{ createDate?: Date } | undefined> {
  try {
    const { LoginProfile } = await iam.send(new GetLoginProfileCommand({ UserName: userName }));
    return LoginProfile?.CreateDate ? { createDate: LoginProfile.CreateDate } : {};
  } catch (error) {
    if (isNoSuchEntity(error)) return undefined;
    throw error;
  }
}

/** Adds or overwrites one tag on the user (idempotent). */
export async function tagUser(
  iam: IAMClient,
  userName: string,
  tag: { key: string; value: string },
): Promise<void> {
  await iam.send(
    new TagUserCommand({ UserName: userName, Tags: [{ Key: tag.key, Value: tag.value }] }),
  );
}

/** Adds or overwrites several tags on the user in one call (idempotent). */
export async function tagUserWith(
  iam: IAMClient,
  userName: string,
  tags: readonly { key: string; value: string }[],
): Promise<void> {
  await iam.send(
    new TagUserCommand({
      UserName: userName,
      Tags: tags.map((tag) => ({ Key: tag.key, Value: tag.value })),
    }),
  );
}

/** Removes the user's console password; a profile (or user) already gone counts as removed. */
export async function deleteLoginProfile(
  iam: IAMClient,
  userName: string,
): Promise<'deleted' | 'absent'> {
  try {
    await iam.send(new DeleteLoginProfileCommand({ UserName: userName }));
    return 'deleted';
  } catch (error) {
    if (isNoSuchEntity(error)) return 'absent';
    throw error;
  }
}
