/**
 * Issue 21: the committed record of the provider's calls
 * (review/rehearsal/provider-calls.json) is what the provider really calls
 * today. The lifecycle is recorded again in a fresh moto server (one
 * deploy: create, refresh, the roster change, teardown; four to five and a half minutes)
 * and compared call by call: a provider upgrade, a new resource or a changed
 * stack shows as the calls added or gone. `npm run provider-calls` rewrites
 * the file; review its diff.
 */
import {
  recordProviderCalls,
  type ProviderCallRecord,
} from '../../emulator/provider-calls-recorder';
import { RECORD } from '../../review/rehearsal/provider-calls';

const MINUTES = 60_000;
const key = (c: ProviderCallRecord['calls'][number]) =>
  `${c.type} ${c.phase} ${c.operation} -> ${c.actions.join(' ')}`;

let recorded: ProviderCallRecord;

beforeAll(async () => {
  recorded = await recordProviderCalls();
}, 15 * MINUTES);

describe('the provider calls recorded again in moto', () => {
  it('were made by the provider version the record names', () => {
    expect(recorded.provider).toBe(RECORD.provider);
  });

  it('are the committed record, call by call (npm run provider-calls to update it)', () => {
    const now = new Set(recorded.calls.map(key));
    const committed = new Set(RECORD.calls.map(key));
    expect({
      added: [...now].filter((k) => !committed.has(k)),
      gone: [...committed].filter((k) => !now.has(k)),
    }).toEqual({ added: [], gone: [] });
  });

  it('include the subscription read the roles must grant', () => {
    expect(recorded.calls.map(key)).toContain(
      'aws_sns_topic_subscription read SNS:ListSubscriptionsByTopic -> sns:ListSubscriptionsByTopic',
    );
  });
});
