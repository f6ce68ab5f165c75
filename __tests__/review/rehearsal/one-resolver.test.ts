/**
 * One reference resolver (review/rehearsal/resolve.ts): the provider-call
 * check (provider-coverage.ts) and the rehearsal's hops see the same ARN for
 * the same resource. They used to disagree: the provider check gave every
 * KMS key one made-up id and put every resource in the default provider's
 * region; the hops used the key's logical name as its id. AWS forms a key's
 * ARN as `arn:aws:kms:<region>:<account>:key/<key id>`, the id a UUID KMS
 * assigns (`mrk-` and 32 hex digits for a multi-Region key), in the region of
 * the provider that creates it.
 */
import { placeOf, type TfConfig } from '../../../review/rehearsal';
import { providerRequests } from '../../../review/rehearsal/provider-coverage';
import { placeholderKeyId, Resolver } from '../../../review/rehearsal/resolve';
import { synthesizedConfig } from '../../support/rehearsal';
import { trailNoZone } from '../../support/stack';

const ACCOUNT = '111122223333';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const config: TfConfig = {
  provider: {
    aws: [
      { allowed_account_ids: [ACCOUNT], region: 'us-east-1' },
      { alias: 'west', region: 'eu-west-1' },
    ],
  },
  resource: {
    aws_kms_key: {
      here: { description: 'a' },
      west: { description: 'b', provider: 'aws.west' },
      global: { description: 'c', multi_region: true },
    },
    aws_sqs_queue: {
      q: { name: 'jobs', provider: 'aws.west', kms_master_key_id: '${aws_kms_key.west.arn}' },
    },
    aws_sns_topic: { t: { name: 'news', kms_master_key_id: '${aws_kms_key.here.id}' } },
  },
};

describe('a key and a region, as AWS forms them', () => {
  const r = new Resolver(config, placeOf(config));
  const arn = (name: string) => r.arnOf({ type: 'aws_kms_key', name, data: false });

  it('gives each key an id in the shape KMS assigns, stable, and never shared', () => {
    expect(placeholderKeyId('here')).toMatch(UUID);
    expect(placeholderKeyId('here')).toBe(placeholderKeyId('here'));
    expect(placeholderKeyId('here')).not.toBe(placeholderKeyId('west'));
    expect(arn('here')).toBe(`arn:aws:kms:us-east-1:${ACCOUNT}:key/${placeholderKeyId('here')}`);
    expect(arn('global')).toMatch(
      new RegExp(`^arn:aws:kms:us-east-1:${ACCOUNT}:key/mrk-[0-9a-f]{32}$`),
    );
  });

  it("puts a resource of an aliased provider in that provider's region", () => {
    expect(arn('west')).toBe(`arn:aws:kms:eu-west-1:${ACCOUNT}:key/${placeholderKeyId('west')}`);
  });

  it('has the provider check ask for the same ARNs, keys and regions included', async () => {
    const { requests } = await providerRequests(config, 'create');
    const on = (address: string, action: string) =>
      requests.find((q) => q.address === address && q.action === action)?.resource;
    expect(on('aws_kms_key.west', 'kms:DescribeKey')).toBe(arn('west'));
    expect(on('aws_sqs_queue.q', 'sqs:CreateQueue')).toBe(`arn:aws:sqs:eu-west-1:${ACCOUNT}:jobs`);
    // The queue's key is used through SQS in the queue's region.
    const keyUse = requests.find(
      (q) => q.address === 'aws_sqs_queue.q' && q.resource === arn('west'),
    );
    expect(keyUse?.context['kms:ViaService']).toBe('sqs.eu-west-1.amazonaws.com');
    expect(
      requests.find((q) => q.address === 'aws_sns_topic.t' && q.resource.includes(':kms:'))
        ?.resource,
    ).toBe(arn('here'));
  });
});

it("agrees with the hops on every ARN of today's stack", async () => {
  const stack = synthesizedConfig(trailNoZone());
  const r = new Resolver(stack, placeOf(stack));
  const { requests } = await providerRequests(stack, 'read');
  let compared = 0;
  for (const [type, byName] of Object.entries(stack.resource ?? {})) {
    for (const name of Object.keys(byName ?? {})) {
      const expected = r.arnOf({ type, name, data: false });
      if (expected === undefined) continue;
      // Each resource's own reads are on its ARN, but for actions without a resource type (`*`).
      const asked = requests
        .filter((q) => q.address === `${type}.${name}` && q.resource !== '*')
        .map((q) => q.resource);
      if (asked.length === 0) continue;
      expect({ address: `${type}.${name}`, ok: asked.some((a) => a === expected) }).toEqual({
        address: `${type}.${name}`,
        ok: true,
      });
      compared++;
    }
  }
  expect(compared).toBeGreaterThan(15);
});
