/**
 * The console sign-in address (docs/design.md, "The console sign-in address"). The alias or
 * account ID becomes
 * a host name inside a link in the email, so both are validated, not trusted.
 */
import { checkAccountAlias, checkAccountId } from '../../../shared/rules';

/** The account ID in a Lambda function ARN (context.invokedFunctionArn); undefined if malformed. */
export function accountIdFromArn(arn: string): string | undefined {
  const accountId = arn.split(':')[4];
  return accountId !== undefined && checkAccountId(accountId).ok ? accountId : undefined;
}

/** `https://<alias or account id>.signin.aws.amazon.com/console` */
export function signInUrl(aliasOrAccountId: string): string {
  if (!checkAccountAlias(aliasOrAccountId).ok && !checkAccountId(aliasOrAccountId).ok) {
    throw new Error('not an account alias or account ID');
  }
  return `https://${aliasOrAccountId}.signin.aws.amazon.com/console`;
}
