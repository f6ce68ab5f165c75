/**
 * IAM policy documents as plain data, rendered with JSON.stringify: computed
 * locally (no data source, so the stack plans offline), readable in the
 * synthesized JSON, and checkable by the guardrail aspects and the tests.
 * Token strings (ARNs of resources in this stack) may appear inside values;
 * CDKTF resolves them in place.
 */

export type Principal =
  | '*'
  | { readonly Service: string | readonly string[] }
  | { readonly AWS: string | readonly string[] };

/** Condition operator -> condition key -> value(s), as IAM writes it. */
export type Conditions = Readonly<
  Record<string, Readonly<Record<string, string | readonly string[]>>>
>;

export interface PolicyStatement {
  readonly Sid: string;
  readonly Effect: 'Allow' | 'Deny';
  readonly Principal?: Principal;
  /** Exactly one of Action and NotAction (NotAction only in Deny statements: see the guardrails). */
  readonly Action?: string | readonly string[];
  readonly NotAction?: string | readonly string[];
  /** Absent only in trust policies. */
  readonly Resource?: string | readonly string[];
  readonly Condition?: Conditions;
}

export interface PolicyDocument {
  readonly Version: '2012-10-17';
  readonly Statement: readonly PolicyStatement[];
}

export function policyDocument(statements: readonly PolicyStatement[]): PolicyDocument {
  return { Version: '2012-10-17', Statement: statements };
}

/** The document as the JSON string Terraform's `policy` arguments take. */
export function policyJson(statements: readonly PolicyStatement[]): string {
  return JSON.stringify(policyDocument(statements));
}

/**
 * Region every resource of this project lives in
 * (docs/design.md, "IAM events arrive only in us-east-1").
 */
export const PIPELINE_REGION = 'us-east-1';
