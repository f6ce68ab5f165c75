import { LambdaEventSourceMapping } from '@cdktf/provider-aws/lib/lambda-event-source-mapping';
import { LambdaFunction } from '@cdktf/provider-aws/lib/lambda-function';
import { LambdaFunctionEventInvokeConfig } from '@cdktf/provider-aws/lib/lambda-function-event-invoke-config';
import { SqsQueue } from '@cdktf/provider-aws/lib/sqs-queue';
import { TerraformStack, type IAspect } from 'cdktf';
import type { IConstruct } from 'constructs';
import { asExpression } from './expression';
import { failSynthesis } from './fail';

export const FUNCTION_FAILURE_DESTINATION = 'function-failure-destination';

/**
 * Fails synthesis, naming the function, when a Lambda function has no failure
 * path in the same stack: neither a dead-letter queue (dead_letter_config),
 * nor an event invoke config with an on-failure destination, nor an SQS
 * queue feeding it (event source mapping) whose redrive policy keeps what
 * fails. Events it cannot handle would vanish.
 */
export class FunctionFailureDestinationAspect implements IAspect {
  visit(node: IConstruct): void {
    if (!(node instanceof LambdaFunction)) return;
    if (node.deadLetterConfigInput?.targetArn) return;
    const stack = TerraformStack.of(node);
    const resolve = (v: unknown): unknown => asExpression(stack, v);
    // Ways an invoke config can name this function: a reference to its name or ARN, or the literal name.
    const names = new Set<unknown>(
      [node.functionName, node.arn, node.qualifiedArn, node.functionNameInput].map((v) =>
        resolve(v),
      ),
    );
    const all = stack.node.findAll();
    const queuesWithRedrive = new Set<unknown>(
      all
        .filter((c) => c instanceof SqsQueue && !!c.redrivePolicyInput)
        .map((q) => resolve((q as SqsQueue).arn)),
    );
    const covered = all.some(
      (c) =>
        (c instanceof LambdaFunctionEventInvokeConfig &&
          !!c.destinationConfigInput?.onFailure?.destination &&
          names.has(resolve(c.functionNameInput))) ||
        (c instanceof LambdaEventSourceMapping &&
          names.has(resolve(c.functionNameInput)) &&
          queuesWithRedrive.has(resolve(c.eventSourceArnInput))),
    );
    if (!covered) {
      failSynthesis(
        node,
        FUNCTION_FAILURE_DESTINATION,
        'the function has no failure destination: add an aws_lambda_function_event_invoke_config with destination_config.on_failure, a dead_letter_config, or feed it from an SQS queue with a redrive_policy',
      );
    }
  }
}
