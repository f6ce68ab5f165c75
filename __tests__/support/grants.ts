/**
 * What the handler needed from IAM, as (action, resource, request context)
 * triples: every SDK command the mocks recorded in a test, mapped through the
 * function's one table of calls (shared/function-calls.ts),
 * with the context AWS would evaluate the call with. A test of the
 * synthesized role can then check that it grants each one
 * (`deniedCalls`, review/rehearsal).
 */
import { MANAGED_USER_PATH } from '../../shared/contract';
import { callOfCommand } from '../../shared/function-calls';
import { bareAddress, MANAGED_USER_TAGS } from '../../review/rehearsal/handler-calls';
import { ACCOUNT_ID, welcomeEnv } from './welcome-events';
import { iamMock, sesMock, sesv2Mock, snsMock, sqsMock, ssmMock } from './fake-aws';

export interface Grant {
  action: string;
  resource: string;
  /**
   * The request context of the call as AWS sees it: a managed user's tags
   * (`iam:ResourceTag/...`) on user calls, `aws:TagKeys` and
   * `aws:RequestTag/...` on TagUser, `ses:FromAddress` on SendEmail. Absent
   * when the call carries none the role's conditions could test.
   */
  context?: Record<string, string | string[]>;
}

export interface GrantOptions {
  accountId?: string;
  /** The SES identity the function sends from; the test environment's by default. */
  senderIdentityArn?: string;
  /**
   * Path in user ARNs; the managed path by default. (For a user that does not
   * exist, IAM authorizes against `user/<name>`, without the path: the stack
   * grants reads on `user/*` for that reason.)
   */
  userPath?: string;
}

interface RecordedInput {
  UserName?: string;
  Tags?: { Key?: string; Value?: string }[];
  Source?: string;
  QueueUrl?: string;
  TopicArn?: string;
  Name?: string;
  ConfigurationSetName?: string;
}

/** `https://sqs.<region>.amazonaws.com/<account>/<name>` as the queue's ARN. */
function queueArn(url: string | undefined): string {
  const m = /^https:\/\/sqs\.([a-z0-9-]+)\.amazonaws\.com\/(\d{12})\/([\w-]+)$/.exec(url ?? '');
  if (!m) throw new Error(`SendMessageCommand to a queue URL IAM cannot name: ${String(url)}`);
  return `arn:aws:sqs:${m[1]}:${m[2]}:${m[3]}`;
}

/**
 * Distinct grants for every command recorded since the mocks were last
 * reset, sorted. Throws on a command the table does not know: a new call
 * needs a new grant, and the table is where it is declared.
 */
export function recordedGrants(options: GrantOptions = {}): Grant[] {
  const accountId = options.accountId ?? ACCOUNT_ID;
  const identity = options.senderIdentityArn ?? welcomeEnv().SENDER_IDENTITY_ARN ?? '';
  const path = options.userPath ?? MANAGED_USER_PATH;
  const grants = new Map<string, Grant>();
  const calls = [
    ...iamMock.calls(),
    ...sesMock.calls(),
    ...sesv2Mock.calls(),
    ...sqsMock.calls(),
    ...snsMock.calls(),
    ...ssmMock.calls(),
  ];
  for (const call of calls) {
    const command = call.args[0] as { constructor: { name: string }; input: RecordedInput };
    const { input } = command;
    const name = command.constructor.name;
    const mapped = callOfCommand(name);
    if (!mapped) throw new Error(`${name} has no row in shared/function-calls.ts`);
    let grant: Grant;
    switch (mapped.on) {
      case 'user':
      case 'managed-user':
      case 'managed-user-tag': {
        if (!input.UserName) throw new Error(`${name} without a UserName`);
        const context: Record<string, string | string[]> = { ...MANAGED_USER_TAGS };
        if (name === 'TagUserCommand') {
          const tags = input.Tags ?? [];
          context['aws:TagKeys'] = tags.map((t) => t.Key ?? '');
          for (const t of tags) context[`aws:RequestTag/${t.Key ?? ''}`] = t.Value ?? '';
        }
        const resource = `arn:aws:iam::${accountId}:user${path}${input.UserName}`;
        grant = { action: mapped.action, resource, context };
        break;
      }
      case 'account':
        grant = { action: mapped.action, resource: '*' };
        break;
      case 'request-queue':
        grant = { action: mapped.action, resource: queueArn(input.QueueUrl) };
        break;
      case 'sender-identity':
        if (!input.Source) throw new Error(`${name} without a Source`);
        grant = {
          action: mapped.action,
          resource: identity,
          context: { 'ses:FromAddress': bareAddress(input.Source) },
        };
        if (input.ConfigurationSetName) {
          // SES authorizes the configuration set of the send as well.
          const set: Grant = {
            ...grant,
            resource: `arn:aws:ses:us-east-1:${accountId}:configuration-set/${input.ConfigurationSetName}`,
          };
          grants.set(JSON.stringify(set), set);
        }
        break;
      case 'admin-topic':
        if (!input.TopicArn) throw new Error(`${name} without a TopicArn`);
        // The topic policy excepts the function's role by aws:PrincipalArn.
        grant = {
          action: mapped.action,
          resource: input.TopicArn,
          context: { 'aws:PrincipalArn': `arn:aws:iam::${accountId}:role/iam-onboarding-welcome` },
        };
        break;
      case 'own-log-stream':
        // The runtime's rows name no command: no recorded call maps here.
        throw new Error(`${name} is mapped to the runtime's own log stream`);
      case 'slack-parameter':
        if (!input.Name) throw new Error(`${name} without a Name`);
        grant = {
          action: mapped.action,
          resource: `arn:aws:ssm:us-east-1:${accountId}:parameter${input.Name.startsWith('/') ? '' : '/'}${input.Name}`,
        };
        break;
    }
    grants.set(JSON.stringify(grant), grant);
  }
  return [...grants.values()].sort(
    (a, b) =>
      a.action.localeCompare(b.action) ||
      a.resource.localeCompare(b.resource) ||
      JSON.stringify(a.context ?? {}).localeCompare(JSON.stringify(b.context ?? {})),
  );
}
