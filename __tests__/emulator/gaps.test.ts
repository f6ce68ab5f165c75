/**
 * The signature of moto's SetQueueAttributes gap (emulator/gaps.ts): only
 * queue policies to create again. Anything else the plan still wants is a
 * real change, which `npm run local` must not apply away.
 */
import { onlyClearedQueuePolicies } from '../../emulator/gaps';
import type { ResourceChange } from '../../review/terraform-plan';

const change = (type: string, actions: ResourceChange['change']['actions']): ResourceChange =>
  ({
    address: `${type}.x`,
    type,
    name: 'x',
    mode: 'managed',
    change: { actions, before: null, after: null },
  }) as unknown as ResourceChange;

describe('onlyClearedQueuePolicies', () => {
  it('is the gap when every pending change creates a queue policy', () => {
    expect(onlyClearedQueuePolicies([change('aws_sqs_queue_policy', ['create'])])).toBe(true);
    expect(
      onlyClearedQueuePolicies([
        change('aws_sqs_queue_policy', ['create']),
        change('aws_sqs_queue_policy', ['create']),
      ]),
    ).toBe(true);
  });

  it('is not the gap when nothing is pending, or anything else is', () => {
    expect(onlyClearedQueuePolicies([])).toBe(false);
    expect(onlyClearedQueuePolicies([change('aws_sqs_queue_policy', ['update'])])).toBe(false);
    expect(onlyClearedQueuePolicies([change('aws_sqs_queue_policy', ['delete', 'create'])])).toBe(
      false,
    );
    expect(
      onlyClearedQueuePolicies([
        change('aws_sqs_queue_policy', ['create']),
        change('aws_iam_user', ['create']),
      ]),
    ).toBe(false);
  });
});
