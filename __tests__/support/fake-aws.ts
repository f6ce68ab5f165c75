/**
 * A small stateful IAM + SES, installed behind the real SDK clients with
 * aws-sdk-client-mock. State (users, login profiles, tags, sent mail) is what
 * the tests assert on, next to the commands the mocks recorded.
 *
 * Eventual consistency (docs/design.md, "IAM is eventually consistent") is played by
 * `lag`: a user can stay
 * invisible (NoSuchEntity) or show no tags for a number of reads.
 *
 * The fake IAM enforces the password policy on CreateLoginProfile with its own
 * checker (written from IAM's documented rules, independent of the generator),
 * so a password that breaks the policy fails here as it would in AWS.
 */
import {
  CreateLoginProfileCommand,
  DeleteLoginProfileCommand,
  EntityAlreadyExistsException,
  EntityTemporarilyUnmodifiableException,
  GetAccountPasswordPolicyCommand,
  GetLoginProfileCommand,
  GetUserCommand,
  IAMClient,
  ListAccessKeysCommand,
  ListAccountAliasesCommand,
  ListUserTagsCommand,
  ListUsersCommand,
  NoSuchEntityException,
  type PasswordPolicy,
  PasswordPolicyViolationException,
  type Tag,
  TagUserCommand,
  UntagUserCommand,
  UpdateAccessKeyCommand,
} from '@aws-sdk/client-iam';
import {
  MessageRejected,
  SESClient,
  SESServiceException,
  SendEmailCommand,
  type SendEmailCommandInput,
} from '@aws-sdk/client-ses';
import {
  GetSuppressedDestinationCommand,
  NotFoundException,
  SESv2Client,
  type SuppressionListReason,
} from '@aws-sdk/client-sesv2';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { SNSClient } from '@aws-sdk/client-sns';
import { SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';

export const iamMock = mockClient(IAMClient);
export const sesMock = mockClient(SESClient);
/** SES's account-level suppression list (GetSuppressedDestination). */
export const sesv2Mock = mockClient(SESv2Client);
export const sqsMock = mockClient(SQSClient);
/** Admin notices: the tests that use them set their behaviour (admin-notices.test.ts). */
export const snsMock = mockClient(SNSClient);
export const ssmMock = mockClient(SSMClient);

/** IAM's symbol class for password policies. */
export const IAM_SYMBOLS = "!@#$%^&*()_+-=[]{}|'";

export interface FakeProfile {
  password: string;
  passwordResetRequired: boolean;
  createDate: Date;
}

export interface FakeUser {
  userName: string;
  userId: string;
  path: string;
  tags: Tag[];
  profile?: FakeProfile;
  /** Set once the person signed in with a password. */
  passwordLastUsed?: Date;
  /** Access keys, by ID (ListAccessKeys, UpdateAccessKey). */
  keys?: { id: string; status: 'Active' | 'Inactive' }[];
  /** When the user was created. @default long ago (2025-01-01) */
  createDate?: Date;
  /**
   * Eventual consistency: the next `user` calls (GetUser, ListUserTags,
   * CreateLoginProfile) answer NoSuchEntity; the next `tags` ListUserTags
   * answer without any tag; the next `create` CreateLoginProfile calls answer
   * NoSuchEntity though reads see the user.
   */
  lag?: { user?: number; tags?: number; create?: number };
}

export interface SentEmail {
  input: SendEmailCommandInput;
  messageId: string;
}

/** Whether `password` satisfies `policy`, or IAM's default when there is no policy. */
export function satisfiesIamPolicy(password: string, policy: PasswordPolicy | undefined): boolean {
  const classes = {
    upper: /[A-Z]/.test(password),
    lower: /[a-z]/.test(password),
    digit: /[0-9]/.test(password),
    symbol: [...password].some((c) => IAM_SYMBOLS.includes(c)),
  };
  if (password.length > 128) return false;
  if (!policy) {
    return password.length >= 8 && Object.values(classes).filter(Boolean).length >= 3;
  }
  return (
    password.length >= (policy.MinimumPasswordLength ?? 6) &&
    (!policy.RequireUppercaseCharacters || classes.upper) &&
    (!policy.RequireLowercaseCharacters || classes.lower) &&
    (!policy.RequireNumbers || classes.digit) &&
    (!policy.RequireSymbols || classes.symbol)
  );
}

const meta = (httpStatusCode: number) => ({ httpStatusCode, requestId: 'req-fake' });

export function noSuchEntity(what: string): NoSuchEntityException {
  return new NoSuchEntityException({ message: `${what} cannot be found.`, $metadata: meta(404) });
}

export function sesThrottling(): SESServiceException {
  return new SESServiceException({
    name: 'Throttling',
    $fault: 'client',
    message: 'Maximum sending rate exceeded.',
    $metadata: meta(400),
  });
}

export function temporarilyUnmodifiable(): EntityTemporarilyUnmodifiableException {
  return new EntityTemporarilyUnmodifiableException({
    message: 'Login Profile for User is temporarily unmodifiable.',
    $metadata: meta(409),
  });
}

export function sesRejected(): MessageRejected {
  return new MessageRejected({
    message: 'Email address is not verified. The following identities failed the check',
    $metadata: meta(400),
  });
}

/** A hook that can throw to make SendEmail fail; `attempt` counts calls for this recipient. */
export type SesBehaviour = (input: SendEmailCommandInput, attempt: number) => void;

export class FakeAws {
  readonly users = new Map<string, FakeUser>();
  passwordPolicy: PasswordPolicy | undefined;
  accountAliases: string[] = [];
  /** Every password IAM was asked to set, accepted or not. */
  readonly passwordsSeen: string[] = [];
  readonly sent: SentEmail[] = [];
  /** Bodies queued with SQS SendMessage (the reconcile run), by queue URL. */
  readonly queued: { queueUrl: string; body: string }[] = [];
  sesBehaviour: SesBehaviour = () => undefined;
  /** SES's account-level suppression list, by address: what GetSuppressedDestination finds. */
  readonly suppressed = new Map<string, { reason: SuppressionListReason; since: Date }>();
  /** Runs before each GetSuppressedDestination; throw to make the call fail. */
  suppressionBehaviour: (address: string) => void = () => undefined;
  /** IAM's clock (profile creation dates); the harness shares its clock. */
  now: () => number = Date.now;
  /** The next this-many DeleteLoginProfile calls answer EntityTemporarilyUnmodifiable. */
  deleteRefusals = 0;
  /** Tags per ListUserTags page, small so that pagination is exercised. */
  tagPageSize = 2;
  /** Runs before each DeleteLoginProfile and TagUser; throw to make the call fail. */
  iamWriteBehaviour: (command: 'DeleteLoginProfile' | 'TagUser', userName: string) => void = () =>
    undefined;
  /** Users per ListUsers page; one page unless a test sets it. */
  userPageSize = Number.POSITIVE_INFINITY;
  private readonly sendAttempts = new Map<string, number>();

  addUser(user: Omit<FakeUser, 'tags'> & { tags?: Tag[] }): FakeUser {
    const created: FakeUser = { tags: [], ...user };
    this.users.set(user.userName, created);
    return created;
  }

  private user(userName: string | undefined): FakeUser {
    const user = userName === undefined ? undefined : this.users.get(userName);
    if (!user) throw noSuchEntity(`The user with name ${userName}`);
    return user;
  }

  /** A user as a lagging reader sees it: consumes one invisible read, if any are left. */
  private visibleUser(userName: string | undefined): FakeUser {
    const user = this.user(userName);
    if (user.lag?.user) {
      user.lag.user -= 1;
      throw noSuchEntity(`The user with name ${userName}`);
    }
    return user;
  }

  /** Gives `userName` a login profile as an earlier run would have, `ageMs` old. */
  addProfile(userName: string, ageMs: number, password = 'earlier-run-password'): FakeProfile {
    const profile = {
      password,
      passwordResetRequired: true,
      createDate: new Date(this.now() - ageMs),
    };
    this.user(userName).profile = profile;
    return profile;
  }

  /** Wires the fake behind every IAMClient and SESClient instance. */
  install(): this {
    iamMock.on(ListUsersCommand).callsFake((input: { PathPrefix?: string; Marker?: string }) => {
      const all = [...this.users.values()].filter((u) =>
        u.path.startsWith(input.PathPrefix ?? '/'),
      );
      const start = input.Marker === undefined ? 0 : Number(input.Marker);
      const end = start + this.userPageSize;
      const more = end < all.length;
      return {
        Users: all.slice(start, end).map((u) => ({
          UserName: u.userName,
          UserId: u.userId,
          Path: u.path,
          Arn: `arn:aws:iam::123456789012:user${u.path}${u.userName}`,
          CreateDate: u.createDate ?? new Date('2025-01-01T00:00:00Z'),
          ...(u.passwordLastUsed ? { PasswordLastUsed: u.passwordLastUsed } : {}),
        })),
        IsTruncated: more,
        ...(more ? { Marker: String(end) } : {}),
      };
    });
    sqsMock
      .on(SendMessageCommand)
      .callsFake((input: { QueueUrl?: string; MessageBody?: string }) => {
        this.queued.push({ queueUrl: input.QueueUrl ?? '', body: input.MessageBody ?? '' });
        return { MessageId: `queued-${this.queued.length}` };
      });
    iamMock.on(GetUserCommand).callsFake((input: { UserName?: string }) => {
      const user = this.visibleUser(input.UserName);
      return {
        User: {
          UserName: user.userName,
          UserId: user.userId,
          Path: user.path,
          Arn: `arn:aws:iam::123456789012:user${user.path}${user.userName}`,
          CreateDate: new Date('2025-01-01T00:00:00Z'),
          ...(user.passwordLastUsed ? { PasswordLastUsed: user.passwordLastUsed } : {}),
        },
      };
    });
    iamMock.on(ListUserTagsCommand).callsFake((input: { UserName?: string; Marker?: string }) => {
      const user = this.visibleUser(input.UserName);
      let tags = user.tags;
      if (input.Marker === undefined && user.lag?.tags) {
        user.lag.tags -= 1;
        tags = [];
      }
      const start = input.Marker === undefined ? 0 : Number(input.Marker);
      const end = start + this.tagPageSize;
      const more = end < tags.length;
      return {
        Tags: tags.slice(start, end),
        IsTruncated: more,
        ...(more ? { Marker: String(end) } : {}),
      };
    });
    iamMock.on(GetAccountPasswordPolicyCommand).callsFake(() => {
      if (!this.passwordPolicy)
        throw noSuchEntity('The Password Policy with domain name 123456789012');
      return { PasswordPolicy: this.passwordPolicy };
    });
    iamMock.on(ListAccountAliasesCommand).callsFake(() => ({
      AccountAliases: this.accountAliases,
      IsTruncated: false,
    }));
    iamMock
      .on(CreateLoginProfileCommand)
      .callsFake(
        (input: { UserName?: string; Password?: string; PasswordResetRequired?: boolean }) => {
          const user = this.visibleUser(input.UserName);
          const password = input.Password ?? '';
          this.passwordsSeen.push(password);
          if (user.lag?.create) {
            user.lag.create -= 1;
            throw noSuchEntity(`The user with name ${user.userName}`);
          }
          if (user.profile) {
            throw new EntityAlreadyExistsException({
              message: `Login Profile for user ${user.userName} already exists.`,
              $metadata: meta(409),
            });
          }
          if (!satisfiesIamPolicy(password, this.passwordPolicy)) {
            throw new PasswordPolicyViolationException({
              message: 'Password does not conform to the account password policy.',
              $metadata: meta(400),
            });
          }
          user.profile = {
            password,
            passwordResetRequired: input.PasswordResetRequired === true,
            createDate: new Date(this.now()),
          };
          return { LoginProfile: { UserName: user.userName, PasswordResetRequired: true } };
        },
      );
    iamMock.on(GetLoginProfileCommand).callsFake((input: { UserName?: string }) => {
      const user = this.user(input.UserName);
      if (!user.profile) throw noSuchEntity(`Login Profile for User ${user.userName}`);
      return {
        LoginProfile: {
          UserName: user.userName,
          CreateDate: user.profile.createDate,
          PasswordResetRequired: user.profile.passwordResetRequired,
        },
      };
    });
    iamMock.on(DeleteLoginProfileCommand).callsFake((input: { UserName?: string }) => {
      const user = this.user(input.UserName);
      this.iamWriteBehaviour('DeleteLoginProfile', user.userName);
      if (this.deleteRefusals > 0) {
        this.deleteRefusals -= 1;
        throw temporarilyUnmodifiable();
      }
      if (!user.profile) throw noSuchEntity(`Login Profile for User ${user.userName}`);
      delete user.profile;
      return {};
    });
    iamMock.on(TagUserCommand).callsFake((input: { UserName?: string; Tags?: Tag[] }) => {
      const user = this.user(input.UserName);
      this.iamWriteBehaviour('TagUser', user.userName);
      for (const tag of input.Tags ?? []) {
        user.tags = [...user.tags.filter((t) => t.Key !== tag.Key), tag];
      }
      return {};
    });
    iamMock.on(UntagUserCommand).callsFake((input: { UserName?: string; TagKeys?: string[] }) => {
      const user = this.user(input.UserName);
      user.tags = user.tags.filter((t) => !(input.TagKeys ?? []).includes(t.Key ?? ''));
      return {};
    });
    iamMock.on(ListAccessKeysCommand).callsFake((input: { UserName?: string }) => {
      const user = this.user(input.UserName);
      return {
        AccessKeyMetadata: (user.keys ?? []).map((k) => ({
          UserName: user.userName,
          AccessKeyId: k.id,
          Status: k.status,
        })),
        IsTruncated: false,
      };
    });
    iamMock
      .on(UpdateAccessKeyCommand)
      .callsFake((input: { UserName?: string; AccessKeyId?: string; Status?: string }) => {
        const key = this.user(input.UserName).keys?.find((k) => k.id === input.AccessKeyId);
        if (!key) throw noSuchEntity(`The Access Key with id ${input.AccessKeyId}`);
        key.status = input.Status === 'Active' ? 'Active' : 'Inactive';
        return {};
      });
    sesv2Mock.on(GetSuppressedDestinationCommand).callsFake((input: { EmailAddress?: string }) => {
      const address = input.EmailAddress ?? '';
      this.suppressionBehaviour(address);
      const entry = this.suppressed.get(address);
      // AWS's answer for an address not on the list: NotFoundException, HTTP 404.
      if (!entry) {
        throw new NotFoundException({
          message: `Email address ${address} does not exist on your suppression list.`,
          $metadata: meta(404),
        });
      }
      return {
        SuppressedDestination: {
          EmailAddress: address,
          Reason: entry.reason,
          LastUpdateTime: entry.since,
          Attributes: { MessageId: 'earlier-message', FeedbackId: 'earlier-feedback' },
        },
      };
    });
    sesMock.on(SendEmailCommand).callsFake((input: SendEmailCommandInput) => {
      const to = input.Destination?.ToAddresses?.join(',') ?? '';
      const attempt = (this.sendAttempts.get(to) ?? 0) + 1;
      this.sendAttempts.set(to, attempt);
      this.sesBehaviour(input, attempt);
      const messageId = `msg-${this.sent.length + 1}`;
      this.sent.push({ input, messageId });
      return { MessageId: messageId };
    });
    return this;
  }
}

/** Emails accepted by SES for `address`. */
export function sentTo(aws: FakeAws, address: string): SentEmail[] {
  return aws.sent.filter((email) => email.input.Destination?.ToAddresses?.includes(address));
}

/** The value of `key` on the user, as IAM has it now. */
export function tagOf(aws: FakeAws, userName: string, key: string): string | undefined {
  return aws.users.get(userName)?.tags.find((tag) => tag.Key === key)?.Value;
}
