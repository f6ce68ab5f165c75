/**
 * The GitHub workflows: valid against the workflow schema (action-validator,
 * the schema GitHub's own editors use), calling only scripts and files that
 * exist, with OIDC credentials and no stored keys.
 */
import { validateWorkflow } from '@action-validator/core';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { PREVIEW_DIR_NAME } from '../../review/email-preview';
import { stackDir } from '../../stacks/synth-output';
import { STACK_NAME } from '../../stacks/iam-onboarding-stack';

const DIR = '.github/workflows';
const files = readdirSync(DIR).filter((f) => /\.ya?ml$/.test(f));
const source = (f: string) => readFileSync(join(DIR, f), 'utf8');

interface Step {
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  env?: Record<string, unknown>;
}
interface Job {
  needs?: string | string[];
  permissions?: Record<string, string>;
  steps: Step[];
}
interface Workflow {
  on: Record<string, unknown>;
  permissions?: Record<string, string>;
  concurrency?: { group: string; 'cancel-in-progress': boolean };
  jobs: Record<string, Job>;
}
const workflow = (f: string) => parse(source(f)) as Workflow;
const steps = (w: Workflow) => Object.values(w.jobs).flatMap((j) => j.steps);

/** Every string in a value, recursively. */
function strings(v: unknown): string[] {
  if (typeof v === 'string') return [v];
  if (Array.isArray(v)) return v.flatMap(strings);
  if (v && typeof v === 'object') return Object.values(v).flatMap(strings);
  return [];
}

/** What the scripts generate, by the same names they use. */
const GENERATED = [
  join(stackDir('cdktf.out', STACK_NAME), 'plan-report.md'),
  join(stackDir('cdktf.out', STACK_NAME), 'plan.json'),
  `cdktf.out/${PREVIEW_DIR_NAME}`,
];

describe('GitHub workflows', () => {
  it('are the two expected ones', () => {
    expect(files.sort()).toEqual(['deploy.yml', 'pull-request.yml']);
  });

  it.each(files)('%s is valid against the workflow schema', (f) => {
    expect(validateWorkflow(source(f)).errors).toEqual([]);
  });

  it('the validator does catch a broken workflow (so the check above means something)', () => {
    const broken = source('deploy.yml').replace('runs-on:', 'runs_on:');
    expect(validateWorkflow(broken).errors.length).toBeGreaterThan(0);
  });

  it.each(files)('%s runs only npm scripts that exist in package.json', (f) => {
    const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as {
      scripts: Record<string, string>;
    };
    const runs = steps(workflow(f)).flatMap((s) => (s.run ? [s.run] : []));
    const called = runs.flatMap((r) => [...r.matchAll(/\bnpm run ([\w:-]+)/g)].map((m) => m[1]));
    expect(called.length).toBeGreaterThan(0);
    for (const script of called) expect(Object.keys(pkg.scripts)).toContain(script);
  });

  it('the pull-request workflow reads the report and previews where the scripts write them', () => {
    const text = source('pull-request.yml');
    expect(text).toContain(`REPORT_FILE: ${GENERATED[0]}`);
    expect(text).toContain(`path: ${GENERATED[2]}/`);
  });

  it.each(files)('%s names only files that exist or that the scripts generate', (f) => {
    const w = workflow(f);
    const texts = steps(w).flatMap((s) => [s.run ?? '', ...strings(s.with), ...strings(s.env)]);
    texts.push(...(source(f).match(/^#.*$/gm) ?? []));
    const paths = texts
      .flatMap((t) => t.match(/(?<![\w/:.$-])[\w.-]+(?:\/[\w.-]+)+\/?/g) ?? [])
      .filter((p) => !p.includes('://'));
    expect(paths).toContain('docs/review-and-delivery.md');
    for (const p of paths) {
      const path = p.replace(/[./]+$/, '');
      const generated = GENERATED.some((g) => path === g || path.startsWith(`${g}/`));
      if (!generated) expect({ path, exists: existsSync(path) }).toEqual({ path, exists: true });
    }
  });

  it('get AWS credentials only through OIDC roles named in repository variables', () => {
    for (const f of files) {
      const text = source(f);
      expect(text).not.toMatch(/secrets\./);
      expect(text).not.toMatch(/aws-access-key-id|aws-secret-access-key|AWS_SECRET/i);
      const w = workflow(f);
      for (const job of Object.values(w.jobs)) {
        const creds = job.steps.filter((s) =>
          s.uses?.startsWith('aws-actions/configure-aws-credentials@'),
        );
        for (const s of creds) {
          expect(s.with?.['role-to-assume']).toMatch(/^\$\{\{ vars\.AWS_\w+_ROLE_ARN \}\}$/);
          expect(s.with?.['aws-region']).toBe('us-east-1');
          expect(job.permissions?.['id-token']).toBe('write');
        }
        if (creds.length === 0) expect(job.permissions?.['id-token']).toBeUndefined();
      }
      // Least privilege by default; jobs widen only what they need.
      expect(w.permissions).toEqual({ contents: 'read' });
    }
  });

  it('pull requests: install, test, plan, and one report comment found by its marker', () => {
    const w = workflow('pull-request.yml');
    expect(Object.keys(w.on)).toEqual(['pull_request']);
    const runs = steps(w).map((s) => s.run ?? '');
    for (const cmd of ['npm ci', 'npm test', 'npm run plan', 'npm run preview'])
      expect(runs.some((r) => r.startsWith(cmd))).toBe(true);
    expect(w.jobs.plan.permissions).toEqual({
      contents: 'read',
      'id-token': 'write',
      'pull-requests': 'write',
    });
    const script = String(
      w.jobs.plan.steps.find((s) => s.uses?.startsWith('actions/github-script@'))?.with?.script,
    );
    expect(script).toContain("const marker = '<!-- iam-onboarding-plan-report -->'");
    expect(script).toContain('updateComment');
    expect(script).toContain('createComment');
    expect(script).toContain('github.paginate');
  });

  it('pull requests: the checker runs first after install, so its annotations come before any test', () => {
    const w = workflow('pull-request.yml');
    const runs = w.jobs.check.steps.flatMap((s) => (s.run ? [s.run] : []));
    expect(runs).toEqual(['npm ci --no-audit --no-fund', 'npm run check']);
    expect(w.jobs.check.needs).toBeUndefined();
    const step = w.jobs.check.steps.find((s) => s.run === 'npm run check');
    // GitHub sets GITHUB_ACTIONS=true itself; nothing may turn the annotations off.
    expect(step?.env).toBeUndefined();
    expect(w.jobs.test.steps.flatMap((s) => (s.run ? [s.run] : []))).toEqual([
      'npm ci --no-audit --no-fund',
      'npm test',
    ]);
  });

  it('pull requests: the plan waits for the check only, and runs beside the tests', () => {
    const w = workflow('pull-request.yml');
    expect(w.jobs.test.needs).toBe('check');
    expect(w.jobs.plan.needs).toBe('check');
    // Every job that runs tests or plans stands on the check; none on the tests.
    for (const job of Object.values(w.jobs)) expect([job.needs ?? []].flat()).not.toContain('test');
  });

  it("pull requests: no plan labelled as the account's without the state bucket", () => {
    const plan = workflow('pull-request.yml').jobs.plan.steps;
    const guard = plan.findIndex((s) => s.run?.includes('-z "$TF_STATE_BUCKET"'));
    const planStep = plan.findIndex((s) => s.run?.startsWith('npm run plan'));
    const creds = plan.findIndex((s) =>
      s.uses?.startsWith('aws-actions/configure-aws-credentials@'),
    );
    expect(guard).toBeGreaterThanOrEqual(0);
    expect(guard).toBeLessThan(creds);
    expect(guard).toBeLessThan(planStep);
    expect(plan[guard].env).toEqual({ TF_STATE_BUCKET: '${{ vars.TF_STATE_BUCKET }}' });
    expect(plan[guard].run).toMatch(/::error::[^\n]*TF_STATE_BUCKET[^\n]*\n\s*exit 1/);
    expect(plan[planStep].env).toHaveProperty('TF_STATE_BUCKET', '${{ vars.TF_STATE_BUCKET }}');
  });

  it('main: deploys through the pre-flight and cdktf deploy --auto-approve, one at a time, never cancelled', () => {
    const w = workflow('deploy.yml');
    expect(w.on).toHaveProperty('push', { branches: ['main'] });
    expect(w.concurrency).toEqual({ group: 'deploy-iam-onboarding', 'cancel-in-progress': false });
    const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as {
      scripts: Record<string, string>;
    };
    // The pre-flight, then cdktf deploy (scripts/deploy.ts).
    expect(pkg.scripts.deploy).toBe('tsx scripts/deploy.ts');
    const deploy = steps(w).find((s) => s.run?.startsWith('npm run deploy'));
    expect(deploy?.run).toBe('npm run deploy -- --auto-approve');
    expect(deploy?.env).toHaveProperty('TF_STATE_BUCKET', '${{ vars.TF_STATE_BUCKET }}');
  });
});
