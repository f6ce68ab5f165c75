/**
 * Terraform resource names from IAM names. A name must start with a letter or
 * an underscore and hold only letters, digits, `_` and `-`, while IAM names
 * also allow `+ = , . @`. The mapping below is injective (two different IAM
 * names never share a Terraform name), stable (it depends on the name alone,
 * never on the position in the roster), and readable in a plan:
 * `alice.smith` becomes `aws_iam_user.alice_dot_smith`.
 *
 * `_` is the escape character: a literal `_` is written `__`, and every other
 * escape is `_word_` with a word of letters and digits only, so decoding is
 * unambiguous: read left to right, a `_` starts an escape that ends at the
 * next `_`.
 */
const ESCAPES: Record<string, string> = {
  _: '__',
  '.': '_dot_',
  '@': '_at_',
  '+': '_plus_',
  '=': '_eq_',
  ',': '_comma_',
};

/** More escapes, for what a policy ARN holds besides an IAM name's characters. */
const ARN_ESCAPES: Record<string, string> = { ...ESCAPES, '/': '_slash_', ':': '_colon_' };

export function terraformName(iamName: string): string {
  let out = '';
  for (const ch of iamName) {
    if (/[A-Za-z0-9-]/.test(ch)) out += ch;
    else if (ESCAPES[ch] !== undefined) out += ESCAPES[ch];
    else throw new Error(`"${iamName}" is not a valid IAM name: it contains "${ch}"`);
  }
  // `_` followed by a digit or `-` is no escape, so this prefix stays unambiguous.
  return /^[A-Za-z_]/.test(out) ? out : `_${out}`;
}

/** A managed policy ARN as the roster allows it (inputs/roster.ts): partition, owner, path and name. */
const POLICY_ARN_PARTS = /^arn:(aws[a-z-]*):iam::(aws|\d{12}):policy\/([\x21-\x7e]+)$/;

/**
 * The Terraform name of one group's attachment of one managed policy:
 * `<group>_policy_<owner>/<path and name>`, escaped, e.g.
 * `developers_policy_aws_slash_ReadOnlyAccess` for
 * `arn:aws:iam::aws:policy/ReadOnlyAccess`. The constant parts of the ARN
 * are left out (and the partition too when it is `aws`), so the name stays
 * readable; it depends on the group's name and the ARN alone, so reordering
 * the roster changes nothing.
 *
 * Injective: the group part decodes alone (an IAM name never yields the
 * escape `_policy_`), and the policy part is an escaping of
 * `[<partition>:]<owner>/<rest>`, from which the ARN is rebuilt (an owner
 * never holds `:`).
 */
export function groupPolicyAttachmentName(groupName: string, policyArn: string): string {
  const m = POLICY_ARN_PARTS.exec(policyArn);
  if (!m) throw new Error(`"${policyArn}" is not a managed policy ARN`);
  const [, partition, owner, rest] = m as unknown as [string, string, string, string];
  const key = `${partition === 'aws' ? '' : `${partition}:`}${owner}/${rest}`;
  const policy = [...key]
    .map((ch) =>
      /[A-Za-z0-9-]/.test(ch)
        ? ch
        : // Any other printable character a policy path may hold: its code, in hex.
          (ARN_ESCAPES[ch] ?? `_x${ch.charCodeAt(0).toString(16)}_`),
    )
    .join('');
  return `${terraformName(groupName)}_policy_${policy}`;
}
