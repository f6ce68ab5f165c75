import {
  DefaultTokenResolver,
  StringConcat,
  TerraformElement,
  TerraformStack,
  Tokenization,
} from 'cdktf';
import type { IAspect } from 'cdktf';
import type { IConstruct } from 'constructs';
import { quote } from '../../inputs/errors';
import type { InputString } from '../terraform-literal';
import { failSynthesis } from './fail';

export const INPUT_LITERALS = 'input-literals';

/** How much of an input's expression is looked for: enough to be its own, not a whole file. */
const HEAD_MAX = 40;

/**
 * The starts of the expressions in `value` (`${file("/etc/hostname")}`,
 * `%{if x}`), each up to its first `}`: as typed and as JSON writes it inside
 * a string (a policy document, a JSON environment value), where `"` is `\"`.
 */
function expressionHeads(value: string): string[] {
  const heads = new Set<string>();
  for (const m of value.matchAll(/[$%]\{/g)) {
    const close = value.indexOf('}', m.index + 2);
    const end = Math.min(close < 0 ? value.length : close + 1, m.index + HEAD_MAX);
    const head = value.slice(m.index, end);
    // A bare `${` is no expression (Terraform refuses it), and would match every reference cdktf writes.
    if (head === '${') continue;
    heads.add(head);
    heads.add(JSON.stringify(head).slice(1, -1));
  }
  return [...heads];
}

/** Where in `text` Terraform would evaluate `head`: not preceded by its own `$`/`%` (the escape). */
function evaluatedAt(text: string, head: string): boolean {
  for (let i = text.indexOf(head); i >= 0; i = text.indexOf(head, i + 1)) {
    if (i === 0 || text[i - 1] !== head[0]) return true;
  }
  return false;
}

/** Every string in a resolved configuration fragment, with its path (`tags.team`). */
function* stringsIn(value: unknown, path: string): Generator<[string, string]> {
  if (typeof value === 'string') yield [path, value];
  else if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) yield* stringsIn(v, `${path}[${i}]`);
  } else if (typeof value === 'object' && value !== null) {
    for (const [k, v] of Object.entries(value)) {
      yield [`${path ? `${path}.` : ''}${k} (the key)`, k];
      yield* stringsIn(v, path ? `${path}.${k}` : k);
    }
  }
}

/**
 * Fails synthesis when an expression typed into the roster or the settings
 * would be evaluated by Terraform: the start of each `${...}` or `%{...}` of
 * an input value is looked for in every string of the resolved configuration
 * (resources, data sources, outputs, providers), and must be escaped there
 * (`$${`, `%%{`) wherever it occurs. The escape itself happens where inputs
 * enter the stack (stacks/terraform-literal.ts); this guardrail catches a
 * value that reached the configuration another way. An input whose
 * expression is also one cdktf writes (`${aws_iam_user.x.arn}`) fails too:
 * the configuration cannot tell which is which.
 */
export class InputLiteralsAspect implements IAspect {
  private readonly inputs: readonly { input: InputString; heads: string[] }[];

  /** `inputs`: the strings of the roster and settings that hold `${` or `%{` (templateStrings). */
  constructor(inputs: readonly InputString[]) {
    this.inputs = inputs.map((input) => ({ input, heads: expressionHeads(input.value) }));
  }

  visit(node: IConstruct): void {
    if (this.inputs.length === 0 || !(node instanceof TerraformStack)) return;
    for (const element of node.node.findAll()) {
      if (!TerraformElement.isTerraformElement(element)) continue;
      const resolved: unknown = Tokenization.resolve(element.toTerraform(), {
        scope: node,
        resolver: new DefaultTokenResolver(new StringConcat()),
      });
      for (const [where, text] of stringsIn(resolved, '')) {
        for (const { input, heads } of this.inputs) {
          const head = heads.find((h) => evaluatedAt(text, h));
          if (head === undefined) continue;
          failSynthesis(
            element,
            INPUT_LITERALS,
            `${input.path} ${quote(input.value)} reaches ${where} unescaped, so Terraform would evaluate ${quote(head)} instead of keeping it as text; pass the value through terraformLiteral (stacks/terraform-literal.ts), which writes "$\${" and "%%{"`,
          );
        }
      }
    }
  }
}
