/**
 * The queue, the function and the user-events rule were renamed in the code
 * only (RequestQueue, RequestFunction, UserEventsRule): their AWS names and
 * Terraform addresses are those already deployed. A new AWS name replaces
 * the resource (a plan of that against the state before the rename: 14 to
 * replace, among them the queue with its waiting messages, the function, its
 * role and log group, the rule); a new address would too, without a `moved`
 * block. This holds both, so a later rename of a construct id or a name
 * fails here rather than in an account.
 */
import { synthStack, trailNoZone } from '../support/stack';

const { config } = synthStack(trailNoZone());

test.each([
  ['aws_sqs_queue', 'pipeline_queue_D900B5AB', 'name', 'iam-onboarding-welcome-queue'],
  [
    'aws_lambda_function',
    'pipeline_welcome_function_8200D321',
    'function_name',
    'iam-onboarding-welcome',
  ],
  ['aws_iam_role', 'pipeline_welcome_role_1E208867', 'name', 'iam-onboarding-welcome'],
  [
    'aws_cloudwatch_log_group',
    'pipeline_welcome_logs_32B93E38',
    'name',
    '/aws/lambda/iam-onboarding-welcome',
  ],
  ['aws_lambda_event_source_mapping', 'pipeline_welcome_queue_BB5BDB73', undefined, undefined],
  ['aws_cloudwatch_event_rule', 'pipeline_rule_591B0100', 'name', 'iam-onboarding-user-created'],
  ['aws_cloudwatch_event_target', 'pipeline_rule_target_34E4377B', 'target_id', 'welcome-topic'],
  ['aws_sns_topic', 'pipeline_topic_6234EDEE', 'name', 'iam-onboarding-user-created'],
])('%s.%s keeps its address and its deployed name', (type, address, attribute, value) => {
  const resource = config.resource[type]?.[address];
  expect({ address: `${type}.${address}`, found: resource !== undefined }).toEqual({
    address: `${type}.${address}`,
    found: true,
  });
  if (attribute !== undefined) expect(resource[attribute]).toBe(value);
});
