/**
 * Text that cdktf, which writes the configuration, would not keep as text.
 * cdktf stands for each value it knows only at synthesis (a resource's ARN,
 * a function call) by a marker inside an ordinary string, `${TfToken[TOKEN.3]}`
 * (`#{…}` in a list, `&{…}` in a map), or by a number with a reserved bit
 * pattern, and replaces every such marker in every string it writes, wherever
 * the string came from. An input holding one would become a Terraform
 * reference, which no escape can prevent, so it is refused here, by name
 * (docs/design.md, "Terraform evaluates every string of the configuration").
 */
import { quote } from './errors';
import type { CrossProblem } from './validate';

/** cdktf's string, list and map token markers (cdktf lib/tokens/private/encoding). */
const MARKER = /[$#&]\{TfToken\[/;
/** What cdktf reads as a number inside a string (its NUMBER_TOKEN_REGEX). */
const NUMBER_IN_TEXT = /[-|\d|.+]+(e[-|\d|.|e|E|+]+)/g;

/** Whether `n` has the bit pattern cdktf reserves for its number and list tokens. */
function isTokenNumber(n: number): boolean {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, n, true);
  const top = view.getUint16(6, true);
  return top === 0xfdff || top === 0xfbff;
}

/** Why `text` cannot pass through cdktf as text, or undefined. */
export function cdktfMarkerProblem(text: string): string | undefined {
  const marker = MARKER.exec(text);
  if (marker) {
    return `holds ${quote(`${marker[0]}`)}, which cdktf (the tool that writes the Terraform configuration) reads as a reference to one of its own values; remove it`;
  }
  for (const m of text.matchAll(NUMBER_IN_TEXT)) {
    if (isTokenNumber(parseFloat(m[0]))) {
      return `holds the number ${quote(m[0])}, which cdktf (the tool that writes the Terraform configuration) reads as one of its own values; write it another way`;
    }
  }
  return undefined;
}

/** Every string (and object key) of a parsed input file that cdktf would not keep as text. */
export function cdktfMarkerProblems(raw: unknown): CrossProblem[] {
  const out: CrossProblem[] = [];
  const visit = (v: unknown, path: PropertyKey[]): void => {
    if (typeof v === 'string') {
      const message = cdktfMarkerProblem(v);
      if (message) out.push({ path, message });
    } else if (Array.isArray(v)) {
      v.forEach((x, i) => visit(x, [...path, i]));
    } else if (typeof v === 'object' && v !== null) {
      for (const [k, x] of Object.entries(v)) {
        const message = cdktfMarkerProblem(k);
        if (message) out.push({ path: [...path, k], message: `the key ${message}`, value: k });
        visit(x, [...path, k]);
      }
    }
  };
  visit(raw, []);
  return out;
}
