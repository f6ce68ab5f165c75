/**
 * Terraform resource names from IAM names. A name must start with a letter or
 * an underscore and hold only letters, digits, `_` and `-`, while IAM names
 * also allow `+ = , . @`. The mapping below is injective (two different IAM
 * names never share a Terraform name), stable (it depends on the name alone,
 * never on the position in the roster), and readable in a plan:
 * `alice.smith` becomes `aws_iam_user.alice_dot_smith`.
 *
 * `_` is the escape character: a literal `_` is written `__`, and every other
 * escape is `_word_` with a word of letters only, so decoding is unambiguous.
 */
const ESCAPES: Record<string, string> = {
  _: '__',
  '.': '_dot_',
  '@': '_at_',
  '+': '_plus_',
  '=': '_eq_',
  ',': '_comma_',
};

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
