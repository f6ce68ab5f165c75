/**
 * Input stays data, proven with the real Terraform: generated expressions
 * (`${file("/etc/hostname")}`, `%{if true}x%{endif}`, `${path.cwd}`, already
 * doubled `$${`, a trailing `$`, …) go into every roster and settings field
 * that validation still lets them into, the files are synthesized as
 * `npm run plan` does, planned offline, and each value must show literally
 * in plan.json and in the plan report, never evaluated. Plans are slow: each
 * run carries several expressions across all the fields, and there are
 * two runs (a few plans each: see planInjected).
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { renderPlanReport, type SynthesizedConfig } from '../../review/plan-report';
import { code, md } from '../../review/plan-report/markdown';
import type { TerraformPlan } from '../../review/terraform-plan';
import { synthesize } from '../../stacks/synth';
import { expression, injectedInputs, type Injection } from '../support/injection';
import { settledState } from '../support/prior-state';

const root = mkdtempSync(join(tmpdir(), 'iam-onboarding-literals-'));
// One Terraform working directory: the provider is installed once; `${path.cwd}` would be it.
const workDir = join(root, 'work', 'iam-onboarding');
let runs = 0;

/** Every string of a planned value, deep. */
function stringsOf(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(stringsOf);
  if (typeof value === 'object' && value !== null) return Object.values(value).flatMap(stringsOf);
  return [];
}

function planInjected(expressions: readonly string[]) {
  const inputs = injectedInputs(expressions);
  const dir = join(root, `run-${runs++}`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'users.json'), JSON.stringify(inputs.roster));
  writeFileSync(join(dir, 'settings.json'), JSON.stringify(inputs.settings));
  const { stackDir } = synthesize({
    outdir: join(dir, 'out'),
    rosterFile: join(dir, 'users.json'),
    settingsFile: join(dir, 'settings.json'),
  });
  // The first plan creates everything; some values (the function's environment,
  // which names the queue's URL) are known only once the rest exists, so the
  // stack is also planned against the state the first plan leads to, where
  // every value is known.
  const { firstPlan, settledPlan } = settledState(stackDir, workDir);
  const planJson = readFileSync(join(stackDir, 'plan.json'), 'utf8');
  const config = JSON.parse(
    readFileSync(join(stackDir, 'cdk.tf.json'), 'utf8'),
  ) as SynthesizedConfig;
  return {
    inputs,
    plan: settledPlan,
    planJson: `${JSON.stringify(firstPlan)}\n${planJson}`,
    report: renderPlanReport(firstPlan, { config }),
  };
}

/** What the injected values would have become had Terraform evaluated them (as JSON writes them). */
const EVALUATED = [
  // `policy/${file("/etc/hostname")}/`: the host name may be as short as "vm".
  `policy/${JSON.stringify(readFileSync('/etc/hostname', 'utf8')).slice(1, -1)}/`,
  workDir, // `${path.cwd}`
  'policy/./', // `${path.root}`
];

function expectLiteral(
  injections: readonly Injection[],
  plan: TerraformPlan,
  planJson: string,
  report: string,
): void {
  const planned = new Set(
    (plan.resource_changes ?? []).flatMap((rc) => stringsOf(rc.change.after)),
  );
  for (const { field, value } of injections) {
    // The exact value, as typed, is a planned attribute (environment value, SNS endpoint, policy ARN).
    expect({ field, value, planned: planned.has(value) }).toEqual({ field, value, planned: true });
  }
  // The report shows the policies it lists as typed (escaped for Markdown, not evaluated).
  for (const { field, value } of injections.filter((i) => i.field.startsWith('groups['))) {
    expect({ field, shown: report.includes(code(value)) || report.includes(md(value)) }).toEqual({
      field,
      shown: true,
    });
  }
  for (const evaluated of EVALUATED) expect(planJson).not.toContain(evaluated);
  expect(report).not.toContain(workDir);
}

describe('expressions in the inputs, planned by the real Terraform', () => {
  it("the issue's own injections show literally", () => {
    const expressions = [
      '${file("/etc/hostname")}',
      '${path.cwd}',
      '%{if true}x%{endif}',
      '$${path.cwd}',
      '${path.root}$',
    ];
    const { inputs, plan, planJson, report } = planInjected(expressions);
    expect(inputs.injections).toEqual([
      { field: 'organisationName', value: 'Org ${file("/etc/hostname")}' },
      { field: 'helpContact', value: '${path.cwd} (it-help)' },
      { field: 'sender.address', value: '"IT %{if true}x%{endif}" <onboarding@example.com>' },
      { field: 'alerts.emails', value: '$${path.cwd}@example.com' },
      { field: 'notifications.adminEmails', value: '${path.root}$.admin@example.com' },
      ...[0, 1, 3, 4].map((i) => ({
        field: `groups[${i}].policies[0]`,
        value: `arn:aws:iam::aws:policy/${expressions[i]}/ReadOnlyAccess`,
      })),
    ]);
    expectLiteral(inputs.injections, plan, planJson, report);
  });

  it('generated expressions in every field show literally', () => {
    fc.assert(
      fc.property(fc.array(expression(), { minLength: 6, maxLength: 8 }), (expressions) => {
        const { inputs, plan, planJson, report } = planInjected(expressions);
        expectLiteral(inputs.injections, plan, planJson, report);
      }),
      { numRuns: 1, endOnFailure: true },
    );
  });
});
