import { Route53Record } from '@cdktf/provider-aws/lib/route53-record';
import { TerraformStack, type IAspect } from 'cdktf';
import type { IConstruct } from 'constructs';
import { asExpression } from './expression';
import { failSynthesis } from './fail';

export const UNIQUE_DNS_RECORDS = 'unique-dns-records';

/** A record's identity in Route 53: zone, name (case and final dot aside) and type. */
function recordKey(stack: TerraformStack, record: Route53Record): string {
  const resolved = asExpression(stack, [
    record.zoneIdInput,
    record.nameInput,
    record.typeInput,
  ]) as unknown[];
  const [zone, name, type] = resolved.map((v) => (typeof v === 'string' ? v : JSON.stringify(v)));
  return [zone, name.toLowerCase().replace(/\.$/, ''), type.toUpperCase()].join(' ');
}

/**
 * Fails synthesis when two `aws_route53_record`s of the stack have the same
 * zone, name and type: Route 53 holds one record set per name and type, so
 * the second create fails at apply ("already exists"), after the first has
 * been written. Names built from values known only after apply (the DKIM
 * tokens) are compared as their expressions, which differ per token.
 */
export class UniqueDnsRecordsAspect implements IAspect {
  visit(node: IConstruct): void {
    if (!(node instanceof TerraformStack)) return;
    const seen = new Map<string, Route53Record>();
    for (const child of node.node.findAll()) {
      if (!(child instanceof Route53Record)) continue;
      const key = recordKey(node, child);
      const first = seen.get(key);
      if (first) {
        failSynthesis(
          child,
          UNIQUE_DNS_RECORDS,
          `a Route 53 record with the same zone, name and type (${key}) is already defined at ${first.node.path}; Route 53 keeps one record set per name and type`,
        );
      } else seen.set(key, child);
    }
  }
}
