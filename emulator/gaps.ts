/**
 * moto's gaps that the harness works around, each with the evidence and what
 * the harness does instead. The product follows AWS; nothing here changes
 * it. Each gap has a canary in __tests__/emulator/gaps.emu.test.ts that fails
 * once moto closes it, so that the workaround is then removed. The README's
 * emulator table lists the same rows.
 */
import type { ResourceChange } from '../review/terraform-plan';
import type { Resources } from './deploy';

/** Environment for moto itself. */
export const MOTO_ENV = {
  // AWS-managed policies (ReadOnlyAccess, IAMUserChangePassword...) exist only with this.
  MOTO_IAM_LOAD_MANAGED_POLICIES: 'true',
} as const;

/**
 * Attribute overrides for resources of the stack, by type: written into the
 * scratch copy's override file only.
 */
const RESOURCE_OVERRIDES: Record<string, Record<string, unknown>> = {
  // moto's StartLogging looks the trail up by name, the provider passes its ARN: HTTP 500, retried for minutes.
  aws_cloudtrail: { enable_logging: false },
  // moto without Docker receives and returns the queue's messages on every arrival; the harness's poller plays the mapping.
  aws_lambda_event_source_mapping: { enabled: false },
  // moto reads the RedrivePolicy back as Python's json.dumps writes it ("a": 1), AWS as given: a
  // "whitespace" update on every plan, and applying it clears the queue's policy (moto's
  // SetQueueAttributes drops the Policy it is not given).
  aws_sqs_queue: { lifecycle: { ignore_changes: ['redrive_policy'] } },
  // moto's Lambda keeps no LoggingConfig: it reads back none, an update on every plan.
  aws_lambda_function: { lifecycle: { ignore_changes: ['logging_config'] } },
};

export function resourceOverrides(resources: Resources): Resources {
  const out: Resources = {};
  for (const [type, attributes] of Object.entries(RESOURCE_OVERRIDES)) {
    for (const name of Object.keys(resources[type] ?? {})) {
      (out[type] ??= {})[name] = attributes;
    }
  }
  return out;
}

/**
 * Actions moto does not implement, answered by the proxy in front of it
 * (emulator/moto-server.ts) as AWS answers them; moto's "not implemented"
 * (HTTP 500) is retried by the provider for minutes. IAM's
 * ListServiceSpecificCredentials, as for a user that never had any: the
 * provider's force_destroy lists them before DeleteUser. SES's
 * DeleteConfigurationSetEventDestination, as AWS answers a delete: the
 * teardown deletes the event destinations before their configuration set
 * (moto's DeleteConfigurationSet then drops them with the set).
 */
export const MISSING_ACTIONS: Readonly<Record<string, string>> = {
  ListServiceSpecificCredentials:
    '<ListServiceSpecificCredentialsResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><ListServiceSpecificCredentialsResult><ServiceSpecificCredentials/></ListServiceSpecificCredentialsResult><ResponseMetadata><RequestId>emulator-proxy</RequestId></ResponseMetadata></ListServiceSpecificCredentialsResponse>',
  DeleteConfigurationSetEventDestination:
    '<DeleteConfigurationSetEventDestinationResponse xmlns="http://ses.amazonaws.com/doc/2010-12-01/"><DeleteConfigurationSetEventDestinationResult/><ResponseMetadata><RequestId>emulator-proxy</RequestId></ResponseMetadata></DeleteConfigurationSetEventDestinationResponse>',
};

/**
 * Whether what a plan still wants after an apply is only moto's
 * SetQueueAttributes gap: a queue updated without its `Policy` attribute
 * lost the policy (AWS changes only the attributes given), so each queue
 * policy is to be created again and nothing else changes. A second apply
 * puts back what AWS would have kept.
 */
export function onlyClearedQueuePolicies(pending: readonly ResourceChange[]): boolean {
  return (
    pending.length > 0 &&
    pending.every(
      (c) =>
        c.type === 'aws_sqs_queue_policy' &&
        c.change.actions.length === 1 &&
        c.change.actions[0] === 'create',
    )
  );
}

/** A REST call moto does not implement, answered by the proxy as AWS answers it. */
export interface RestAnswer {
  readonly method: string;
  /** The request path (query excluded), as a regular expression's source. */
  readonly path: string;
  /** The SigV4 signing name in the request's credential scope (`/ses/aws4_request`). */
  readonly service: string;
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/**
 * SESv2 calls moto 5.2.1 does not implement. GetSuppressedDestination (asked
 * before every password, handlers/welcome/aws/suppression.ts): moto's server
 * answers an HTML "404 Not Found" page, which the SDK cannot parse (a
 * SyntaxError, not NotFoundException), and in process raises
 * NotImplementedError. The proxy answers as AWS does for an address not on
 * the account-level suppression list: HTTP 404, NotFoundException (restJson1:
 * the `x-amzn-ErrorType` header and a JSON `message`). moto has no
 * suppression list, so no address is ever on it there.
 */
export const MISSING_REST_ACTIONS: readonly RestAnswer[] = [
  {
    method: 'GET',
    path: '^/v2/email/suppression/addresses/[^/]+$',
    service: 'ses',
    status: 404,
    headers: { 'Content-Type': 'application/json', 'x-amzn-ErrorType': 'NotFoundException' },
    body: JSON.stringify({
      message: 'The email address is not on the suppression list for your account.',
    }),
  },
];
