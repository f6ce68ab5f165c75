/**
 * The console sign-in address (docs/design.md, "The console sign-in address"). The alias or
 * account ID becomes
 * a host name inside a link in the email, so both are validated, not trusted.
 */

// IAM's own rule for account aliases: lower-case letters, digits and single hyphens, 3-63 chars.
const ACCOUNT_ALIAS = /^[a-z0-9](?:[a-z0-9]|-(?!-)){1,61}[a-z0-9]$/;
const ACCOUNT_ID = /^\d{12}$/;

export function isAccountAlias(value: string): boolean {
  return ACCOUNT_ALIAS.test(value);
}

/** The account ID in a Lambda function ARN (context.invokedFunctionArn); undefined if malformed. */
export function accountIdFromArn(arn: string): string | undefined {
  const accountId = arn.split(':')[4];
  return accountId !== undefined && ACCOUNT_ID.test(accountId) ? accountId : undefined;
}

/** `https://<alias or account id>.signin.aws.amazon.com/console` */
export function signInUrl(aliasOrAccountId: string): string {
  if (!ACCOUNT_ALIAS.test(aliasOrAccountId) && !ACCOUNT_ID.test(aliasOrAccountId)) {
    throw new Error('not an account alias or account ID');
  }
  return `https://${aliasOrAccountId}.signin.aws.amazon.com/console`;
}
