/**
 * How a guardrail fails synthesis: it attaches a validation error to the
 * offending construct. CDKTF runs every validation before writing anything
 * and throws once, listing each error with its construct path, so a single
 * run shows every violation. (`Testing.synth(stack, true)` runs them too.)
 */
import type { IConstruct } from 'constructs';

const flagged = new WeakMap<IConstruct, Set<string>>();

/** Records `message` as a validation error of `node` (once, however often aspects run). */
export function failSynthesis(node: IConstruct, guardrail: string, message: string): void {
  const text = `guardrail "${guardrail}" failed at ${node.node.path}: ${message}`;
  const seen = flagged.get(node) ?? new Set<string>();
  if (seen.has(text)) return;
  seen.add(text);
  flagged.set(node, seen);
  node.node.addValidation({ validate: () => [text] });
}
