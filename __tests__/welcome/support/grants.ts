/**
 * What the handler needed from IAM, as (action, resource) pairs: every SDK
 * command the mocks recorded in a test, mapped through the function's own
 * command-to-action table (handlers/welcome/aws/actions.ts). A test of the
 * synthesized role can then check that it grants each pair.
 */
import { actionOfCommand } from '../../../handlers/welcome/aws/actions';
import { MANAGED_USER_PATH } from '../../../lib/contract';
import { ACCOUNT_ID, welcomeEnv } from './events';
import { iamMock, sesMock, sqsMock } from './fake-aws';

export interface Grant {
  action: string;
  resource: string;
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

/**
 * Distinct (action, resource) pairs for every command recorded since the
 * mocks were last reset, sorted. Throws on a command the table does not know:
 * a new call needs a new grant, and the table is where it is declared.
 */
export function recordedGrants(options: GrantOptions = {}): Grant[] {
  const accountId = options.accountId ?? ACCOUNT_ID;
  const identity = options.senderIdentityArn ?? welcomeEnv().SENDER_IDENTITY_ARN ?? '';
  const path = options.userPath ?? MANAGED_USER_PATH;
  const pairs = new Map<string, Grant>();
  for (const call of [...iamMock.calls(), ...sesMock.calls(), ...sqsMock.calls()]) {
    const command = call.args[0] as { constructor: { name: string }; input: { UserName?: string } };
    const name = command.constructor.name;
    const mapped = actionOfCommand(name);
    if (!mapped) throw new Error(`${name} has no IAM action in handlers/welcome/aws/actions.ts`);
    let resource: string;
    if (mapped.resource === 'user') {
      if (!command.input.UserName) throw new Error(`${name} without a UserName`);
      resource = `arn:aws:iam::${accountId}:user${path}${command.input.UserName}`;
    } else if (mapped.resource === 'account') {
      resource = '*';
    } else if (mapped.resource === 'welcome-queue') {
      resource = `arn:aws:sqs:us-east-1:${accountId}:iam-onboarding-welcome-queue`;
    } else {
      resource = identity;
    }
    pairs.set(`${mapped.action} ${resource}`, { action: mapped.action, resource });
  }
  return [...pairs.values()].sort(
    (a, b) => a.action.localeCompare(b.action) || a.resource.localeCompare(b.resource),
  );
}
