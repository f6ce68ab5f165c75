/**
 * The welcome queue refuses every sender but the pipeline's own: its topics
 * and schedules (aws:SourceArn), the function's role and the operators' roles
 * (aws:PrincipalArn). Judged by the IAM evaluator on the synthesized queue
 * policy, with a requester whose own policies allow everything it asks, so
 * only the queue's deny can refuse it.
 */
import { evaluateHop } from '../../../review/rehearsal/evaluate';
import type { Hop } from '../../../review/rehearsal/hops';
import { graphOf, rehearse, type Verdict } from '../../../review/rehearsal';
import { trailNoZone } from '../../support/stack';
import {
  editPolicy,
  policyOf,
  synthesizedConfig,
  type MutableConfig,
} from '../../support/rehearsal';

const ACCOUNT = trailNoZone().accountId;
const QUEUE = 'iam-onboarding-welcome-queue';
const QUEUE_ARN = `arn:aws:sqs:us-east-1:${ACCOUNT}:${QUEUE}`;
const OPERATOR = `arn:aws:iam::${ACCOUNT}:role/it-operator`;
const FUNCTION_ROLE = `arn:aws:iam::${ACCOUNT}:role/iam-onboarding-welcome`;

/** sqs:SendMessage to the welcome queue by an IAM principal that may send anywhere. */
async function send(config: MutableConfig, principal: string, roleArn: string): Promise<Verdict> {
  const g = graphOf(config);
  const queue = g.find(QUEUE_ARN, 'aws_sqs_queue');
  if (!queue) throw new Error('no welcome queue');
  const hop: Hop = {
    name: `${principal} -> ${QUEUE}: sqs:SendMessage`,
    principal,
    action: 'sqs:SendMessage',
    resource: QUEUE_ARN,
    context: { 'aws:PrincipalArn': roleArn },
    identityPolicies: [
      {
        label: 'sends anywhere',
        document: {
          Version: '2012-10-17',
          Statement: [{ Sid: 'Any', Effect: 'Allow', Action: 'sqs:SendMessage', Resource: '*' }],
        },
        unresolved: [],
      },
    ],
    resourcePolicy: g.queuePolicy(queue),
    expect: 'allowed',
  };
  return evaluateHop(hop, ACCOUNT);
}

const session = (roleArn: string) =>
  roleArn.replace(':iam::', ':sts::').replace(':role/', ':assumed-role/') + '/session';

describe('who may send to the welcome queue', () => {
  const withOperator = () =>
    synthesizedConfig({
      ...trailNoZone(),
      delivery: { ...trailNoZone().delivery, operatorRoles: [OPERATOR] },
    });

  it('the rehearsal refuses a forged SES bounce from another principal and a foreign topic, and keeps every real hop', async () => {
    const { verdicts } = await rehearse(synthesizedConfig(trailNoZone()));
    const byName = new Map(verdicts.map((v) => [v.hop.name, v]));
    for (const name of [
      `another principal of the account -> queue ${QUEUE} (a forged SES bounce): sqs:SendMessage`,
      `sns -> queue ${QUEUE} (from topic not-the-pipeline): sqs:SendMessage`,
    ]) {
      expect({ name, status: byName.get(name)?.status }).toEqual({ name, status: 'refused' });
      expect(byName.get(name)?.reason).toContain('explicit deny DenyOtherSenders');
    }
    const senders = verdicts.filter(
      (v) => v.hop.action === 'sqs:SendMessage' && v.hop.resource === QUEUE_ARN,
    );
    expect(senders.filter((v) => v.status === 'allowed').map((v) => v.hop.name)).toEqual([
      `events -> queue ${QUEUE}: sqs:SendMessage`,
      `events -> queue ${QUEUE}: sqs:SendMessage`,
      `sns -> queue ${QUEUE}: sqs:SendMessage`,
      `sns -> queue ${QUEUE}: sqs:SendMessage (from topic iam-onboarding-ses-feedback)`,
      `role iam-onboarding-welcome -> queue ${QUEUE}: sqs:SendMessage`,
    ]);
  });

  it('without the deny the forged bounce is OPEN: the hop is what catches it', async () => {
    const config = synthesizedConfig(trailNoZone());
    editPolicy(policyOf(config, 'aws_sqs_queue', QUEUE), (statements) =>
      statements.filter((s) => s.Sid !== 'DenyOtherSenders'),
    );
    const { verdicts } = await rehearse(config);
    const forged = verdicts.find((v) => v.hop.name.includes('(a forged SES bounce)'));
    expect(forged?.status).toBe('OPEN');
  });

  it('lets the function and the operator roles of the settings send, and no other role', async () => {
    const config = withOperator();
    expect((await send(config, session(OPERATOR), OPERATOR)).status).toBe('allowed');
    expect((await send(config, session(FUNCTION_ROLE), FUNCTION_ROLE)).status).toBe('allowed');
    const other = `arn:aws:iam::${ACCOUNT}:role/it-operator-2`;
    const refused = await send(config, session(other), other);
    expect(refused.status).toBe('DENIED');
    expect(refused.reason).toContain('explicit deny DenyOtherSenders');
    // Without the setting the operator is refused too: the tools need it (config/README.md).
    expect((await send(synthesizedConfig(trailNoZone()), session(OPERATOR), OPERATOR)).status).toBe(
      'DENIED',
    );
  });
});
