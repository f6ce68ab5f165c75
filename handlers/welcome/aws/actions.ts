/**
 * Every SDK command the function sends, with the IAM action that authorizes
 * it and the kind of resource it is authorized against. The role's policy
 * must grant exactly these; tests compare what the handler really sent
 * (recorded by aws-sdk-client-mock) with this map.
 *
 * Plain data on purpose (no SDK import), so that the stack can read it
 * without pulling the SDK into synthesis.
 */

/**
 * - `user`: one IAM user, `arn:aws:iam::<account>:user<path><name>` (for a
 *   user that does not exist, IAM authorizes against `user/<name>`, without
 *   the path);
 * - `account`: the action has no resource type (`*`);
 * - `sender-identity`: the SES identity the email is sent from;
 * - `welcome-queue`: the queue the reconcile run queues welcomes into.
 */
export type ResourceKind =
  | 'user'
  | 'account'
  | 'sender-identity'
  | 'welcome-queue'
  /** The admins' SNS topic (ADMIN_TOPIC_ARN). */
  | 'admin-topic'
  /** The Slack webhook's SecureString parameter (SLACK_WEBHOOK_PARAMETER). */
  | 'slack-parameter';

export interface CommandAction {
  readonly action: string;
  readonly resource: ResourceKind;
}

export const COMMAND_ACTIONS = {
  GetUserCommand: { action: 'iam:GetUser', resource: 'user' },
  ListUserTagsCommand: { action: 'iam:ListUserTags', resource: 'user' },
  GetLoginProfileCommand: { action: 'iam:GetLoginProfile', resource: 'user' },
  CreateLoginProfileCommand: { action: 'iam:CreateLoginProfile', resource: 'user' },
  DeleteLoginProfileCommand: { action: 'iam:DeleteLoginProfile', resource: 'user' },
  TagUserCommand: { action: 'iam:TagUser', resource: 'user' },
  // A suspension turns the person's keys off (handlers/welcome/suspension.ts).
  ListAccessKeysCommand: { action: 'iam:ListAccessKeys', resource: 'user' },
  UpdateAccessKeyCommand: { action: 'iam:UpdateAccessKey', resource: 'user' },
  GetAccountPasswordPolicyCommand: { action: 'iam:GetAccountPasswordPolicy', resource: 'account' },
  ListAccountAliasesCommand: { action: 'iam:ListAccountAliases', resource: 'account' },
  ListUsersCommand: { action: 'iam:ListUsers', resource: 'account' },
  SendMessageCommand: { action: 'sqs:SendMessage', resource: 'welcome-queue' },
  SendEmailCommand: { action: 'ses:SendEmail', resource: 'sender-identity' },
  PublishCommand: { action: 'sns:Publish', resource: 'admin-topic' },
  GetParameterCommand: { action: 'ssm:GetParameter', resource: 'slack-parameter' },
} as const satisfies Record<string, CommandAction>;

export type CommandName = keyof typeof COMMAND_ACTIONS;

/** The action for a command's class name (e.g. `TagUserCommand`); undefined if unmapped. */
export function actionOfCommand(commandName: string): CommandAction | undefined {
  return Object.prototype.hasOwnProperty.call(COMMAND_ACTIONS, commandName)
    ? COMMAND_ACTIONS[commandName as CommandName]
    : undefined;
}
