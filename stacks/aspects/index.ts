/**
 * Guardrails: CDKTF Aspects that fail synthesis, naming the offending
 * construct's path, when the stack would deploy something this project never
 * wants: a wildcard IAM action, an unencrypted topic or queue, a log group
 * without retention, a function whose failures would vanish, two DNS records
 * that Route 53 would refuse as one, an input value Terraform would evaluate.
 */
import { Aspects, type IAspect } from 'cdktf';
import type { IConstruct } from 'constructs';
import type { InputString } from '../terraform-literal';
import { EncryptionAtRestAspect } from './encryption-at-rest';
import { FunctionFailureDestinationAspect } from './function-failure-destination';
import { InputLiteralsAspect } from './input-literals';
import { LogRetentionAspect } from './log-retention';
import { NoWildcardActionsAspect } from './no-wildcard-actions';
import { UniqueDnsRecordsAspect } from './unique-dns-records';

export { ENCRYPTION_AT_REST, EncryptionAtRestAspect } from './encryption-at-rest';
export {
  FUNCTION_FAILURE_DESTINATION,
  FunctionFailureDestinationAspect,
} from './function-failure-destination';
export { INPUT_LITERALS, InputLiteralsAspect } from './input-literals';
export { LOG_RETENTION, LogRetentionAspect } from './log-retention';
export {
  NO_WILDCARD_ACTIONS,
  NoWildcardActionsAspect,
  wildcardActionProblems,
} from './no-wildcard-actions';
export { UNIQUE_DNS_RECORDS, UniqueDnsRecordsAspect } from './unique-dns-records';

/**
 * Adds every guardrail to `scope` (normally the stack); returns them.
 * `inputs`: the roster's and settings' strings that hold `${` or `%{`
 * (templateStrings), which must reach the configuration escaped.
 */
export function applyGuardrails(scope: IConstruct, inputs: readonly InputString[] = []): IAspect[] {
  const aspects: IAspect[] = [
    new NoWildcardActionsAspect(),
    new EncryptionAtRestAspect(),
    new LogRetentionAspect(),
    new FunctionFailureDestinationAspect(),
    new UniqueDnsRecordsAspect(),
    new InputLiteralsAspect(inputs),
  ];
  for (const a of aspects) Aspects.of(scope).add(a);
  return aspects;
}
