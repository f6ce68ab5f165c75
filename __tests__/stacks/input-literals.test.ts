/**
 * Input values stay data: whatever the roster or the settings hold reaches
 * the configuration escaped (`$${`, `%%{`), and the input-literals guardrail
 * fails synthesis when it does not.
 */
import { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { App, Aspects, TerraformOutput, TerraformStack, Testing } from 'cdktf';
import fc from 'fast-check';
import { InputFileError } from '../../inputs/errors';
import { IamOnboardingStack } from '../../stacks/iam-onboarding-stack';
import { InputLiteralsAspect } from '../../stacks/aspects';
import * as literal from '../../stacks/terraform-literal';
import { templateStrings, terraformLiteral } from '../../stacks/terraform-literal';
import { fixtureCode } from '../support/stack';
import { expression, injectedInputs, validated } from '../support/injection';

const code = fixtureCode();

function synthInputs(expressions: readonly string[]) {
  const inputs = injectedInputs(expressions);
  const { roster, settings } = validated(inputs);
  const stack = new IamOnboardingStack(Testing.app(), { roster, settings, welcomeCodeDir: code });
  return { inputs, json: Testing.synth(stack, true) };
}

describe('terraformLiteral', () => {
  it.each([
    ['${path.cwd}', '$${path.cwd}'],
    ['%{if true}x%{endif}', '%%{if true}x%%{endif}'],
    ['$${already}', '$$${already}'],
    ['100% {ok} $5 x$', '100% {ok} $5 x$'],
    ['${"${nested}"}', '$${"$${nested}"}'],
  ])('%s -> %s', (raw, escaped) => {
    expect(terraformLiteral(raw)).toBe(escaped);
  });
});

describe('every input field that can hold an expression', () => {
  it('reaches cdk.tf.json escaped, and the guardrail lets it through', () => {
    fc.assert(
      fc.property(fc.array(expression(), { minLength: 2, maxLength: 4 }), (expressions) => {
        const { inputs, json } = synthInputs(expressions);
        // Free text takes any expression; the other fields take those their characters allow.
        expect(inputs.injections.map((i) => i.field)).toEqual(
          expect.arrayContaining(['organisationName', 'helpContact']),
        );
        for (const { value } of inputs.injections) {
          expect(json).toContain(JSON.stringify(terraformLiteral(value)).slice(1, -1));
        }
      }),
      { numRuns: 8 },
    );
  });

  it('fails synthesis, naming the field, when the escape is removed', () => {
    const spy = jest.spyOn(literal, 'terraformLiterals').mockImplementation((v) => v);
    try {
      expect(() => synthInputs(['${file("/etc/hostname")}', '%{if true}x%{endif}'])).toThrow(
        /guardrail "input-literals" failed at .*: settings \$\.organisationName "Org \$\{file\(\\"\/etc\/hostname\\"\)\}" reaches .*unescaped, so Terraform would evaluate/,
      );
      expect(() => synthInputs(['${path.module}'])).toThrow(
        /failed at iam-onboarding\/roster\/.*: roster \$\.groups\[0\]\.policies\[0\] "arn:aws:iam::aws:policy\/\$\{path\.module\}\/ReadOnlyAccess" reaches resource\.aws_iam_group_policy_attachment\.\S+\.policy_arn unescaped/,
      );
    } finally {
      spy.mockRestore();
    }
    expect(() => synthInputs(['${file("/etc/hostname")}'])).not.toThrow();
  });

  it('no other field accepts $ { or % {: validation refuses them there', () => {
    const full = injectedInputs(['a']);
    const roster = {
      groups: [{ groupName: 'dev', policies: ['arn:aws:iam::aws:policy/ReadOnlyAccess'] }],
      users: [
        {
          userName: 'alice',
          email: 'alice@example.com',
          displayName: 'Alice',
          groups: ['dev'],
          tags: { team: 'platform' },
        },
      ],
    };
    const settings = {
      ...full.settings,
      sender: { address: 'IT <it@example.com>', domain: 'example.com', mailFromSubdomain: 'mail' },
      trail: { create: true, name: 'iam-onboarding' },
      hostedZoneId: 'Z0123456789ABCDEFGHIJ',
      accountAlias: 'example-corp',
      notifications: { adminEmails: [], slackWebhookParameter: '/iam-onboarding/slack' },
      delivery: { reconcileSchedule: 'rate(1 hour)' },
      expiry: { schedule: 'cron(0 3 * * ? *)' },
    };
    // Fields that take an expression (the injection fixture fills them) or never reach Terraform.
    const carriers = [
      /^settings \$\.(organisationName|helpContact|sender\.address|alerts\.emails\[0\])$/,
      /^roster \$\.groups\[0\]\.policies\[0\]$/,
    ];
    const leaves = [
      ...stringLeaves(roster, 'roster $'),
      ...stringLeaves(settings, 'settings $'),
    ].filter(({ path }) => !carriers.some((c) => c.test(path)));
    expect(leaves.length).toBeGreaterThan(15);
    for (const { path, set } of leaves) {
      const key = / \(the key\)$/.exec(path) ? path.replace(/^.*\.| \(the key\)$/g, '') : undefined;
      const original = key ?? String(valueAt(path.startsWith('roster') ? roster : settings, path));
      const inside = (e: string) => `${original.slice(0, -1)}${e}${original.slice(-1)}`;
      for (const e of [
        '${path.cwd}',
        '%{if true}x%{endif}',
        `a${'${x}'}`,
        inside('${path.root}'),
        inside('%{x}'),
      ]) {
        const r = structuredClone(roster);
        const s = structuredClone(settings);
        set(path.startsWith('roster') ? r : s, e);
        expect({ path, e, accepted: accepts(r, s) }).toEqual({ path, e, accepted: false });
      }
    }
  });
});

type Json = Record<string, unknown>;

function valueAt(doc: unknown, path: string): unknown {
  const route = path.replace(/^\S+ \$/, '').match(/[^.[\]]+/g) ?? [];
  return route.reduce<unknown>((o, k) => (o as Json | undefined)?.[k], doc);
}

function accepts(roster: unknown, settings: unknown): boolean {
  try {
    validated({ roster, settings } as never);
    return true;
  } catch (err) {
    if (err instanceof InputFileError) return false;
    throw err;
  }
}

/** Every string of a document (tag keys included), with a setter. */
function stringLeaves(doc: unknown, prefix: string) {
  const out: { path: string; set: (root: unknown, v: string) => void }[] = [];
  const walk = (v: unknown, path: string, route: string[]) => {
    if (typeof v === 'string') {
      out.push({
        path,
        set: (root, value) => {
          const parent = route.slice(0, -1).reduce((o, k) => o[k] as Json, root as Json);
          parent[route[route.length - 1]] = value;
        },
      });
    } else if (Array.isArray(v))
      v.forEach((x, i) => walk(x, `${path}[${i}]`, [...route, String(i)]));
    else if (typeof v === 'object' && v !== null) {
      for (const [k, x] of Object.entries(v)) {
        if (route[route.length - 1] === 'tags') {
          out.push({
            path: `${path}.${k} (the key)`,
            set: (root, value) => {
              const tags = route.reduce((o, r) => o[r] as Json, root as Json);
              tags[value] = tags[k];
              delete tags[k];
            },
          });
        }
        walk(x, `${path}.${k}`, [...route, k]);
      }
    }
  };
  walk(doc, prefix, []);
  return out;
}

describe('the input-literals guardrail', () => {
  function stackWith(displayName: string, inputs: readonly string[]): TerraformStack {
    const stack = new TerraformStack(new App(), 'guarded');
    new AwsProvider(stack, 'aws', { region: 'us-east-1' });
    const other = new SnsTopic(stack, 'other', { name: 'other' });
    const topic = new SnsTopic(stack, 'topic', {
      name: 'topic',
      displayName,
      policy: JSON.stringify({ Resource: [other.arn, displayName] }),
    });
    new TerraformOutput(stack, 'out', { value: `${topic.arn} ${displayName}` });
    Aspects.of(stack).add(
      new InputLiteralsAspect(inputs.flatMap((v) => templateStrings(v, 'settings $.x'))),
    );
    return stack;
  }
  const synth = (s: TerraformStack) => () => Testing.synth(s, true);

  it.each(['${file("/etc/hostname")}', '%{if true}x%{endif}', 'a ${path.cwd} b', '${"q"}'])(
    'fails on %s written unescaped (attribute, policy JSON, output)',
    (v) => {
      expect(synth(stackWith(v, [v]))).toThrow(/guardrail "input-literals" failed/);
    },
  );

  it.each(['${file("/etc/hostname")}', '%{if true}x%{endif}', '$${path.cwd}', 'x$', '${'])(
    'passes %s once escaped, beside cdktf references',
    (v) => {
      expect(synth(stackWith(terraformLiteral(v), [v]))).not.toThrow();
    },
  );

  it('passes an already doubled $${ written as is: Terraform shows it, evaluates nothing', () => {
    expect(synth(stackWith('$${path.cwd}', ['$${path.cwd}']))).not.toThrow();
  });
});
