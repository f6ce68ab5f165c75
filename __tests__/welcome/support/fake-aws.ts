/**
 * A small stateful IAM + SES, installed behind the real SDK clients with
 * aws-sdk-client-mock. State (users, login profiles, sent mail) is what the
 * tests assert on, next to the commands the mocks recorded.
 *
 * The fake IAM enforces the password policy on CreateLoginProfile with its own
 * checker (written from IAM's documented rules, independent of the generator),
 * so a password that breaks the policy fails here as it would in AWS.
 */
import {
  CreateLoginProfileCommand,
  DeleteLoginProfileCommand,
  EntityAlreadyExistsException,
  GetAccountPasswordPolicyCommand,
  GetUserCommand,
  IAMClient,
  ListAccountAliasesCommand,
  ListUserTagsCommand,
  NoSuchEntityException,
  type PasswordPolicy,
  PasswordPolicyViolationException,
  type Tag,
} from '@aws-sdk/client-iam';
import {
  MessageRejected,
  SESClient,
  SESServiceException,
  SendEmailCommand,
  type SendEmailCommandInput,
} from '@aws-sdk/client-ses';
import { mockClient } from 'aws-sdk-client-mock';

export const iamMock = mockClient(IAMClient);
export const sesMock = mockClient(SESClient);

/** IAM's symbol class for password policies. */
export const IAM_SYMBOLS = "!@#$%^&*()_+-=[]{}|'";

export interface FakeUser {
  userName: string;
  userId: string;
  path: string;
  tags: Tag[];
  profile?: { password: string; passwordResetRequired: boolean };
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
  sesBehaviour: SesBehaviour = () => undefined;
  /** Tags per ListUserTags page, small so that pagination is exercised. */
  tagPageSize = 2;
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

  /** Wires the fake behind every IAMClient and SESClient instance. */
  install(): this {
    iamMock.on(GetUserCommand).callsFake((input: { UserName?: string }) => {
      const user = this.user(input.UserName);
      return {
        User: {
          UserName: user.userName,
          UserId: user.userId,
          Path: user.path,
          Arn: `arn:aws:iam::123456789012:user${user.path}${user.userName}`,
          CreateDate: new Date('2025-01-01T00:00:00Z'),
        },
      };
    });
    iamMock.on(ListUserTagsCommand).callsFake((input: { UserName?: string; Marker?: string }) => {
      const user = this.user(input.UserName);
      const start = input.Marker === undefined ? 0 : Number(input.Marker);
      const end = start + this.tagPageSize;
      const more = end < user.tags.length;
      return {
        Tags: user.tags.slice(start, end),
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
          const user = this.user(input.UserName);
          const password = input.Password ?? '';
          this.passwordsSeen.push(password);
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
          user.profile = { password, passwordResetRequired: input.PasswordResetRequired === true };
          return { LoginProfile: { UserName: user.userName, PasswordResetRequired: true } };
        },
      );
    iamMock.on(DeleteLoginProfileCommand).callsFake((input: { UserName?: string }) => {
      const user = this.user(input.UserName);
      if (!user.profile) throw noSuchEntity(`Login Profile for User ${user.userName}`);
      delete user.profile;
      return {};
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
