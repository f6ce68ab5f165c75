import { TerraformResource, type IAspect } from 'cdktf';
import type { IConstruct } from 'constructs';
import { failSynthesis } from './fail';

export const NO_WILDCARD_ACTIONS = 'no-wildcard-actions';

/** Identity-policy resources and the attribute holding their document. */
const POLICY_RESOURCES: Record<string, readonly string[]> = {
  aws_iam_policy: ['policyInput'],
  aws_iam_role_policy: ['policyInput'],
  aws_iam_user_policy: ['policyInput'],
  aws_iam_group_policy: ['policyInput'],
  aws_iam_role: ['assumeRolePolicyInput'],
};

/** What is wrong with one policy document, if anything. */
export function wildcardActionProblems(policy: unknown): string[] {
  if (typeof policy !== 'string') return ['the policy is not a JSON document this check can read'];
  let doc: unknown;
  try {
    doc = JSON.parse(policy);
  } catch {
    return [
      'the policy is not a literal JSON document (e.g. built with a Terraform function), so its actions cannot be checked; build it with JSON.stringify',
    ];
  }
  const raw = (doc as { Statement?: unknown }).Statement;
  const statements = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw];
  const problems: string[] = [];
  statements.forEach((s: Record<string, unknown>, i) => {
    if (s?.Effect !== 'Allow') return;
    const sid = typeof s.Sid === 'string' && s.Sid ? `"${s.Sid}"` : `#${i}`;
    if (s.NotAction !== undefined) {
      problems.push(`statement ${sid} allows NotAction, which grants every other action`);
    }
    const actions = Array.isArray(s.Action) ? s.Action : s.Action === undefined ? [] : [s.Action];
    for (const a of actions) {
      if (typeof a !== 'string' || a.includes('*') || a.includes('?')) {
        problems.push(
          `statement ${sid} allows the wildcard action ${JSON.stringify(a)}; name each action`,
        );
      }
    }
  });
  return problems;
}

/**
 * Fails synthesis when an IAM identity policy (or a role's trust or inline
 * policy) allows a wildcard action (`*`, `iam:*`, `s3:Get*`) or NotAction.
 * Resource wildcards are not this check's business: some actions have no
 * resource to scope to. Resource policies (key, topic, bucket) are out of scope.
 */
export class NoWildcardActionsAspect implements IAspect {
  visit(node: IConstruct): void {
    if (!TerraformResource.isTerraformResource(node)) return;
    const attrs = POLICY_RESOURCES[node.terraformResourceType];
    if (!attrs) return;
    const res = node as unknown as Record<string, unknown>;
    const documents: unknown[] = attrs.map((a) => res[a]).filter((p) => p !== undefined);
    if (node.terraformResourceType === 'aws_iam_role') {
      const inline = res.inlinePolicyInput;
      if (Array.isArray(inline)) {
        for (const p of inline as { policy?: unknown }[])
          if (p.policy !== undefined) documents.push(p.policy);
      } else if (inline !== undefined) {
        documents.push(inline);
      }
    }
    for (const doc of documents) {
      for (const problem of wildcardActionProblems(doc))
        failSynthesis(node, NO_WILDCARD_ACTIONS, problem);
    }
  }
}
