/**
 * The one region this project deploys to. IAM is global, but its CloudTrail
 * events reach EventBridge only in us-east-1
 * (docs/design.md, "IAM events arrive only in us-east-1"), so the rule lives
 * there, and the topic, queue, function and SES identity with it: one region
 * keeps every hop in-region and every ARN predictable.
 */
export const PIPELINE_REGION = 'us-east-1';
