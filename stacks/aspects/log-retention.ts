import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import type { IAspect } from 'cdktf';
import type { IConstruct } from 'constructs';
import { failSynthesis } from './fail';

export const LOG_RETENTION = 'log-retention';

/** Fails synthesis when a CloudWatch log group keeps its logs forever (no retention_in_days). */
export class LogRetentionAspect implements IAspect {
  visit(node: IConstruct): void {
    if (!(node instanceof CloudwatchLogGroup)) return;
    const days = node.retentionInDaysInput;
    if (days === undefined || days === 0) {
      failSynthesis(
        node,
        LOG_RETENTION,
        'the log group has no retention period: set retention_in_days',
      );
    }
  }
}
