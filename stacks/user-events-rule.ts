import { CloudwatchEventRule } from '@cdktf/provider-aws/lib/cloudwatch-event-rule';
import { CloudwatchEventTarget } from '@cdktf/provider-aws/lib/cloudwatch-event-target';
import { Construct } from 'constructs';
import { RESEND_TAG_KEY, SUSPENDED_TAG_KEY } from '../shared/contract';
import { ACCOUNT_ID, InputChecks, RESOURCE_NAME } from './input-checks';
import { PIPELINE_REGION } from './region';

/**
 * A successful TagUser call that sets the resend tag: the deploy that raised a
 * person's `resend` counter. CloudTrail records TagUser's tags as a list of
 * `{ "key", "value" }` objects, in lower case as public samples of IAM's
 * TagRole/TagUser events show (the case is unconfirmed:
 * docs/design.md, "What a CreateUser event carries"), and EventBridge matches
 * a field inside a list of objects element by element.
 * If AWS ever spelt it otherwise, this branch would match nothing and the
 * hourly reconcile would still serve the resend (handlers/welcome/reconcile.ts).
 *
 * Matching the key, not every TagUser, keeps the function's own TagUser
 * calls (the welcomed and resent tags) out: it never writes this key, so it
 * cannot trigger itself. The function still decides from IAM's tags, not
 * from the event.
 */
export const RESEND_TAG_CHANGE = {
  eventName: ['TagUser'],
  requestParameters: { tags: { key: [RESEND_TAG_KEY] } },
} as const;

/**
 * A successful TagUser that sets the `suspended` tag, or UntagUser that
 * removes it: the deploy that suspended or reinstated a person, for the
 * function to turn sign-in and keys off (or issue a fresh password) at once
 * rather than at the next hourly reconcile. TagUser's tags are a list of
 * `{ key, value }` objects (as above); UntagUser's `tagKeys` a list of
 * strings, which EventBridge matches when any element equals the value.
 * Only this key: the function writes `iam-onboarding:`-prefixed tags and
 * never this one, so it cannot trigger itself, and other tag changes (the
 * `access-until` day among them: the reconcile run applies it) stay out.
 */
export const SUSPENSION_TAG_CHANGES = [
  { eventName: ['TagUser'], requestParameters: { tags: { key: [SUSPENDED_TAG_KEY] } } },
  { eventName: ['UntagUser'], requestParameters: { tagKeys: [SUSPENDED_TAG_KEY] } },
] as const;

/**
 * What the user-events rule listens for, as CloudTrail hands it to EventBridge
 * (docs/design.md, "The event pattern for a successful CreateUser"): a
 * successful IAM CreateUser call, a successful TagUser that sets the
 * resend tag, or one that sets or removes the suspended tag. A failed call is recorded too, with `detail.errorCode`;
 * `{"exists": false}` keeps it out, so it never leads to a password or an
 * email.
 */
export const USER_EVENTS_PATTERN = {
  source: ['aws.iam'],
  'detail-type': ['AWS API Call via CloudTrail'],
  detail: {
    eventSource: ['iam.amazonaws.com'],
    errorCode: [{ exists: false }],
    $or: [{ eventName: ['CreateUser'] }, RESEND_TAG_CHANGE, ...SUSPENSION_TAG_CHANGES],
  },
} as const;

/** ARN of a rule on the default event bus; known before the rule exists. */
export function defaultBusRuleArn(region: string, accountId: string, name: string): string {
  return `arn:aws:events:${region}:${accountId}:rule/${name}`;
}

export interface UserEventsRuleProps {
  /** The account the rule lives in (for its ARN). */
  readonly accountId: string;
  /** Rule name. @default "iam-onboarding-user-created" */
  readonly name?: string;
  /**
   * Region of the rule. IAM's CloudTrail events reach EventBridge only in
   * us-east-1 (docs/design.md, "IAM events arrive only in us-east-1"); anything else
   * would never fire.
   * @default "us-east-1"
   */
  readonly region?: string;
  /** ARN of the SNS topic that receives matching events. */
  readonly targetArn: string;
  /** ARN of the SQS queue for events EventBridge could not deliver to the target. */
  readonly deadLetterQueueArn: string;
  /** How long EventBridge keeps retrying a delivery. @default 86400 (24 hours, the maximum) */
  readonly maximumEventAgeInSeconds?: number;
}

/**
 * EventBridge rule on the default bus, in us-east-1, for the user events the
 * function acts on: successful CreateUser calls, TagUser calls that raise
 * the resend counter, and TagUser/UntagUser calls of the suspended tag. Deployed as `iam-onboarding-user-created` (and its
 * topic likewise), kept from before it matched TagUser: a new name would
 * replace the rule, and a CreateUser during the swap would find nobody
 * listening (welcome-pipeline.ts, PIPELINE_NAMES).
 */
export class UserEventsRule extends Construct {
  readonly rule: CloudwatchEventRule;
  readonly target: CloudwatchEventTarget;
  readonly ruleName: string;
  /** The rule's ARN as a literal string (usable in policies before the rule exists). */
  readonly ruleArn: string;
  readonly eventPattern: typeof USER_EVENTS_PATTERN = USER_EVENTS_PATTERN;

  constructor(scope: Construct, id: string, props: UserEventsRuleProps) {
    super(scope, id);
    const name = props.name ?? 'iam-onboarding-user-created';
    const region = props.region ?? PIPELINE_REGION;
    const maxAge = props.maximumEventAgeInSeconds ?? 86400;
    new InputChecks()
      .matches(
        'name',
        name,
        /^[.\-_A-Za-z0-9]{1,64}$/,
        'is not a valid rule name (1-64 of letters, digits, ".", "-", "_")',
      )
      .matches('name', name, RESOURCE_NAME, 'may hold only letters, digits, "-" and "_" here')
      .matches('accountId', props.accountId, ACCOUNT_ID, 'must be 12 digits')
      .check(
        region === 'us-east-1',
        `region must be us-east-1, where IAM events arrive (got ${region})`,
      )
      .integerIn('maximumEventAgeInSeconds', maxAge, 60, 86400)
      .throwIfAny(this);

    this.ruleName = name;
    this.ruleArn = defaultBusRuleArn(region, props.accountId, name);
    this.rule = new CloudwatchEventRule(this, 'rule', {
      name,
      description:
        'iam-onboarding: successful IAM CreateUser calls, resend-welcome and suspended tag changes (CloudTrail), for the welcome email and suspensions',
      eventPattern: JSON.stringify(USER_EVENTS_PATTERN),
      state: 'ENABLED',
    });
    this.target = new CloudwatchEventTarget(this, 'target', {
      rule: this.rule.name,
      targetId: 'welcome-topic',
      arn: props.targetArn,
      retryPolicy: { maximumEventAgeInSeconds: maxAge, maximumRetryAttempts: 185 },
      deadLetterConfig: { arn: props.deadLetterQueueArn },
    });
  }
}
