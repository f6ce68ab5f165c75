/**
 * SSM Parameter Store names, as the settings validate them, the stack grants
 * them and the function reads them (the Slack webhook URL's parameter).
 */

/**
 * SSM caps a parameter name together with its ARN at 1011 characters; the
 * ARN's own part (`arn:aws:ssm:us-east-1:<account>:parameter`) takes 44.
 */
export const SSM_NAME_MAX = 1011 - 'arn:aws:ssm:us-east-1:123456789012:parameter'.length;
/** SSM's hierarchy limit: at most 15 levels. */
export const SSM_MAX_LEVELS = 15;

/** Why `name` is not a parameter name SSM accepts; undefined when it is one. */
export function ssmParameterNameProblem(name: string): string | undefined {
  if (name === '') return 'is empty';
  if (name.length > SSM_NAME_MAX) return `is longer than ${SSM_NAME_MAX} characters`;
  if (!/^[A-Za-z0-9_.\-/]+$/.test(name)) {
    return 'may contain only letters, digits and _ . - / (SSM parameter names)';
  }
  if (name.includes('/') && !name.startsWith('/')) {
    return 'has a "/" but does not start with one: a hierarchical name must be fully qualified';
  }
  if (name.endsWith('/')) return 'ends with "/": that names a path, not a parameter';
  if (name.includes('//')) return 'has an empty level ("//")';
  if (name.split('/').filter(Boolean).length > SSM_MAX_LEVELS) {
    return `has more than ${SSM_MAX_LEVELS} levels`;
  }
  if (/^\/?(aws|ssm)/i.test(name)) return 'starts with "aws" or "ssm", which SSM reserves';
  return undefined;
}

/** The parameter's ARN: `parameter/a/b` for `/a/b`, `parameter/x` for `x`. */
export function ssmParameterArn(region: string, accountId: string, name: string): string {
  return `arn:aws:ssm:${region}:${accountId}:parameter${name.startsWith('/') ? '' : '/'}${name}`;
}
