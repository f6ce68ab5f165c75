/**
 * Every AWS call made with the welcome function's role, in one table: the
 * IAM action, the SDK v3 command the handler sends it with, and the kind of
 * resource it is authorized against. Three parts read it, so they cannot
 * drift apart: the role's statements (stacks/request-function.ts and
 * admin-notice-grants.ts take each statement's actions from it), the
 * rehearsal (review/rehearsal/handler-calls.ts rehearses each row against the
 * synthesized role), and the handler's tests (a test parses every file under
 * handlers/welcome and fails on an SDK command that is not here, or a row no
 * file sends).
 *
 * Plain data on purpose (no SDK import): the stack reads it without pulling
 * the SDK into synthesis.
 */

/**
 * What a call is authorized against:
 *
 * - `user`: any IAM user (`user/*`). Reads only: for a user that no longer
 *   exists IAM authorizes against `user/<name>`, without the path, so a
 *   path-scoped read would answer AccessDenied instead of NoSuchEntity;
 * - `managed-user`: a user under MANAGED_USER_PATH with the managed-by tag;
 * - `managed-user-tag`: the function's own tags on such a user (TagUser,
 *   with the tag keys pinned by the role's condition);
 * - `account`: the action has no resource type (`*`);
 * - `sender-identity`: the SES identity the email is sent from (and the
 *   configuration set it is sent with, when there is one);
 * - `welcome-queue`: the queue the function drains; the reconcile run
 *   queues welcomes into it;
 * - `admin-topic`: the admins' SNS topic (ADMIN_TOPIC_ARN);
 * - `slack-parameter`: the Slack SecureStrings: the webhook's
 *   (SLACK_WEBHOOK_PARAMETER, admin notices) and the bot token's
 *   (SLACK_BOT_TOKEN_PARAMETER, welcome DMs), each granted by its own ARN;
 * - `own-log-stream`: a stream of the function's own log group.
 */
export type CallTarget =
  | 'user'
  | 'managed-user'
  | 'managed-user-tag'
  | 'account'
  | 'sender-identity'
  | 'request-queue'
  | 'admin-topic'
  | 'slack-parameter'
  | 'own-log-stream';

export interface FunctionCall {
  readonly action: string;
  /**
   * The SDK v3 command class the handler sends (`TagUserCommand`).
   * Absent: the Lambda runtime makes the call with the role (its logs).
   */
  readonly command?: string;
  readonly on: CallTarget;
}

export const FUNCTION_CALLS = [
  { action: 'iam:GetUser', command: 'GetUserCommand', on: 'user' },
  { action: 'iam:ListUserTags', command: 'ListUserTagsCommand', on: 'user' },
  { action: 'iam:CreateLoginProfile', command: 'CreateLoginProfileCommand', on: 'managed-user' },
  { action: 'iam:DeleteLoginProfile', command: 'DeleteLoginProfileCommand', on: 'managed-user' },
  { action: 'iam:GetLoginProfile', command: 'GetLoginProfileCommand', on: 'managed-user' },
  // A suspension turns the person's keys off, never deletes them (handlers/welcome/suspension.ts).
  { action: 'iam:ListAccessKeys', command: 'ListAccessKeysCommand', on: 'managed-user' },
  { action: 'iam:UpdateAccessKey', command: 'UpdateAccessKeyCommand', on: 'managed-user' },
  { action: 'iam:TagUser', command: 'TagUserCommand', on: 'managed-user-tag' },
  {
    action: 'iam:GetAccountPasswordPolicy',
    command: 'GetAccountPasswordPolicyCommand',
    on: 'account',
  },
  { action: 'iam:ListAccountAliases', command: 'ListAccountAliasesCommand', on: 'account' },
  { action: 'iam:ListUsers', command: 'ListUsersCommand', on: 'account' },
  // Asked before a password is issued: SES accepts a send to a suppressed
  // address and never delivers it. The Service Authorization Reference gives
  // it no resource type, so it is granted on `*` with the other account reads.
  {
    action: 'ses:GetSuppressedDestination',
    command: 'GetSuppressedDestinationCommand',
    on: 'account',
  },
  { action: 'sqs:SendMessage', command: 'SendMessageCommand', on: 'request-queue' },
  { action: 'ses:SendEmail', command: 'SendEmailCommand', on: 'sender-identity' },
  { action: 'sns:Publish', command: 'PublishCommand', on: 'admin-topic' },
  // Slack's Web API (users.lookupByEmail, chat.postMessage) is no AWS call: the token is its grant.
  { action: 'ssm:GetParameter', command: 'GetParameterCommand', on: 'slack-parameter' },
  { action: 'logs:CreateLogStream', on: 'own-log-stream' },
  { action: 'logs:PutLogEvents', on: 'own-log-stream' },
] as const satisfies readonly FunctionCall[];

/**
 * What Lambda's poller does with the function's role to drain the queue
 * (the event source mapping): not the handler's calls, but granted beside
 * them on the same queue.
 */
export const QUEUE_POLLER_ACTIONS = [
  'sqs:ReceiveMessage',
  'sqs:DeleteMessage',
  'sqs:GetQueueAttributes',
] as const;

/** The actions authorized against one kind of resource, in the table's order. */
export function actionsOn(target: CallTarget): string[] {
  return FUNCTION_CALLS.filter((c) => c.on === target).map((c) => c.action);
}

/**
 * The same actions as a policy statement's `Action`: one action as a string,
 * several as a list, as the role's statements were written before the table,
 * so that deriving them changed nothing in the deployed policy.
 */
export function statementActions(target: CallTarget): string | string[] {
  const actions = actionsOn(target);
  return actions.length === 1 ? actions[0] : actions;
}

/** The row of an SDK command's class name (e.g. `TagUserCommand`); undefined if the table has none. */
export function callOfCommand(commandName: string): FunctionCall | undefined {
  return (FUNCTION_CALLS as readonly FunctionCall[]).find(
    (c) => c.command !== undefined && c.command === commandName,
  );
}
