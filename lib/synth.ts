/**
 * One synthesis, as `main.ts` (and so `cdktf synth` / `cdktf deploy`),
 * `npm run plan` and the tests run it: validate every input first, build the
 * stack, write it. A failure at any point leaves no stack output behind.
 */
import { App } from 'cdktf';
import { clearStackOutput, stackDir } from './output';
import { DEFAULT_ROSTER_FILE, loadRoster } from './roster';
import { IamOnboardingStack, STACK_NAME } from '../stacks/iam-onboarding-stack';

export interface SynthOptions {
  /** @default `CDKTF_OUTDIR`, else `cdktf.out` */
  readonly outdir?: string;
  /** @default `ROSTER_FILE`, else `users/users.json` */
  readonly rosterFile?: string;
}

export interface SynthResult {
  /** Directory holding the stack's cdk.tf.json. */
  readonly stackDir: string;
}

export function synthesize(options: SynthOptions = {}): SynthResult {
  const outdir = options.outdir ?? process.env.CDKTF_OUTDIR ?? 'cdktf.out';
  clearStackOutput(outdir, STACK_NAME);
  try {
    const roster = loadRoster(
      options.rosterFile ?? (process.env.ROSTER_FILE || DEFAULT_ROSTER_FILE),
    );
    const app = new App({ outdir });
    new IamOnboardingStack(app, { roster });
    app.synth();
  } catch (err) {
    clearStackOutput(outdir, STACK_NAME);
    throw err;
  }
  return { stackDir: stackDir(outdir, STACK_NAME) };
}
