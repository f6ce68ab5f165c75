/**
 * Roster and settings values as Terraform literals. Terraform reads every
 * string of a JSON configuration as a template: `${...}` is an interpolation,
 * `%{...}` a directive, and only `$${` / `%%{` stand for the characters
 * themselves. cdktf copies plain strings into `cdk.tf.json` as they are, so
 * a value such as `${file("/proc/self/environ")}` would be evaluated by
 * `terraform plan`
 * (docs/design.md, "Terraform evaluates every string of the configuration").
 *
 * The stack escapes its inputs here, once, where they enter it
 * (stacks/iam-onboarding-stack.ts): every construct receives only escaped
 * strings. The escape is applied to the input and not to the configuration
 * as a whole because the configuration cannot tell the two apart: the
 * project's own policy text is already written `$${aws:username}`, and an
 * input may itself hold `$${` that must show as typed. The
 * `input-literals` guardrail (stacks/aspects/input-literals.ts) checks the
 * synthesized result.
 */

/** `s` as Terraform shows it literally: `${` as `$${`, `%{` as `%%{`. */
export function terraformLiteral(s: string): string {
  return s.replace(/\$\{/g, () => '$${').replace(/%\{/g, () => '%%{');
}

/**
 * A copy of `value` in which every string (object keys too) is a Terraform
 * literal; numbers, booleans and the shape are kept. For the validated
 * roster and settings, which are plain JSON data.
 */
export function terraformLiterals<T>(value: T): T {
  return escapeDeep(value) as T;
}

function escapeDeep(value: unknown): unknown {
  if (typeof value === 'string') return terraformLiteral(value);
  if (Array.isArray(value)) return value.map(escapeDeep);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [terraformLiteral(k), escapeDeep(v)]),
    );
  }
  return value;
}

/** A string of the input, where it is (`$.groups[0].policies[1]`). */
export interface InputString {
  readonly path: string;
  readonly value: string;
}

/** Every string (and key) of `value` that holds `${` or `%{`, with its JSON path. */
export function templateStrings(value: unknown, path = '$'): InputString[] {
  const out: InputString[] = [];
  const visit = (v: unknown, p: string): void => {
    if (typeof v === 'string') {
      if (/[$%]\{/.test(v)) out.push({ path: p, value: v });
    } else if (Array.isArray(v)) {
      v.forEach((x, i) => visit(x, `${p}[${i}]`));
    } else if (typeof v === 'object' && v !== null) {
      for (const [k, x] of Object.entries(v)) {
        const at = /^[A-Za-z_$][\w$]*$/.test(k) ? `${p}.${k}` : `${p}[${JSON.stringify(k)}]`;
        if (/[$%]\{/.test(k)) out.push({ path: `${at} (the key)`, value: k });
        visit(x, at);
      }
    }
  };
  visit(value, path);
  return out;
}
