/**
 * The host of the console sign-in address (docs/design.md, "The console sign-in address"),
 * resolved once per environment.
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import type { IAMClient } from '@aws-sdk/client-iam';
import type { Context } from 'aws-lambda';
import { checkAccountAlias } from '../../shared/rules';
import { getAccountAlias } from './aws/iam';
import type { WelcomeConfig } from './core/config';
import { describeError } from './core/errors';
import { accountIdFromArn } from './core/signin';

/** Per execution environment: an account alias rarely changes, and a cold start re-reads it. */
export interface AliasCache {
  alias?: string | null;
}

/** Alias (configured, else asked of IAM once per environment) or account ID, for the sign-in host. */
export function signInHostResolver(
  deps: { iam: IAMClient; logger: Logger },
  config: WelcomeConfig,
  context: Context,
  aliasCache: AliasCache,
): () => Promise<string> {
  return async () => {
    if (config.accountAlias) return config.accountAlias;
    if (aliasCache.alias === undefined) {
      try {
        const alias = await getAccountAlias(deps.iam);
        aliasCache.alias = alias !== undefined && checkAccountAlias(alias).ok ? alias : null;
      } catch (error) {
        // The account ID always works as a sign-in host; an alias is only nicer.
        deps.logger.warn('account alias unavailable, using the account ID', {
          step: 'resolve-sign-in-url',
          error: describeError(error),
        });
      }
    }
    if (aliasCache.alias) return aliasCache.alias;
    const accountId = accountIdFromArn(context.invokedFunctionArn ?? '');
    if (!accountId) throw new Error('no account alias and no account ID in invokedFunctionArn');
    return accountId;
  };
}
