/**
 * `npm run preview`: for every person the last plan adds, the welcome email
 * they will receive, rendered by the welcome function's own code with a
 * placeholder instead of the password: `cdktf.out/previews/welcome-<user>.html`
 * and `.txt`; for every person whose resend counter it raises, the email sent
 * again: `resend-<user>.html` and `.txt`; the admins' notices
 * (`admin-notice-NNN-<kind>.txt`); and `index.html` linking them all.
 *
 * It reads the plan `npm run plan` wrote (cdktf.out/stacks/iam-onboarding/
 * plan.json) and does not plan by itself: a preview always matches the plan
 * under review. Without a plan it says so and exits 1.
 *
 * Flags: `--plan <file>` reads another plan.json; `--out <dir>` writes elsewhere.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import {
  PREVIEW_DIR_NAME,
  PREVIEW_INDEX_FILE,
  planRecipients,
  PreviewNameError,
  previewText,
  renderIndex,
  previewSlackJson,
  renderPreviews,
} from '../review/email-preview';
import { renderSlackPreviewHtml } from '../review/slack-preview';
import { isInputError } from '../inputs/errors';
import { adminNoticePreviewText, renderAdminNoticePreviews } from '../review/admin-notice-preview';
import type { TerraformPlan } from '../review/terraform-plan';
import { stackDir } from '../stacks/synth-output';
import { reportInputError } from '../inputs/report';
import { DEFAULT_SETTINGS_FILE, loadSettings, SETTINGS_FILE_ENV } from '../inputs/settings';
import { STACK_NAME } from '../stacks/iam-onboarding-stack';

function flag(argv: readonly string[], name: string): string | undefined {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
}

function main(argv: readonly string[]): number {
  const outdir = process.env.CDKTF_OUTDIR ?? 'cdktf.out';
  const planFile = flag(argv, '--plan') ?? join(stackDir(outdir, STACK_NAME), 'plan.json');
  const dir = flag(argv, '--out') ?? join(outdir, PREVIEW_DIR_NAME);
  if (!existsSync(planFile)) {
    console.error(`No plan at ${planFile}: run \`npm run plan\` first.`);
    return 1;
  }
  try {
    const settings = loadSettings(process.env[SETTINGS_FILE_ENV] || DEFAULT_SETTINGS_FILE);
    const plan = JSON.parse(readFileSync(planFile, 'utf8')) as TerraformPlan;
    const recipients = planRecipients(plan);
    const previews = renderPreviews(recipients, settings);
    // Only this run's previews: a stale one could be taken for a person this plan adds.
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    for (const p of previews) {
      writeFileSync(join(dir, `${p.stem}.html`), p.email.html);
      writeFileSync(join(dir, `${p.stem}.txt`), previewText(p));
      if (p.slack) {
        writeFileSync(join(dir, `${p.stem}.slack.json`), previewSlackJson(p.slack));
        writeFileSync(join(dir, `${p.stem}.slack.html`), renderSlackPreviewHtml(p.slack, p.person));
      }
    }
    // What the admins will be told (handlers/welcome/core/admin-notice-render.ts).
    const notices = renderAdminNoticePreviews(recipients, settings);
    for (const n of notices) writeFileSync(join(dir, n.file), adminNoticePreviewText(n, settings));
    const index = join(dir, PREVIEW_INDEX_FILE);
    writeFileSync(
      index,
      renderIndex(
        previews,
        settings,
        notices.map((n) => ({
          file: n.file,
          kind: n.notice.kind,
          userName: n.notice.userName,
          subject: n.rendered.subject,
        })),
      ),
    );
    const welcome = previews.filter((p) => p.kind === 'welcome');
    const resend = previews.filter((p) => p.kind === 'resend');
    const people = (n: number) => `${n} ${n === 1 ? 'person' : 'people'}`;
    if (previews.length === 0) console.log('The plan adds nobody: no welcome emails to preview.');
    if (welcome.length > 0)
      console.log(
        `Welcome email previews for ${people(welcome.length)}: ${welcome.map((p) => p.person.userName).join(', ')}`,
      );
    if (resend.length > 0)
      console.log(
        `Welcome emails sent again for ${people(resend.length)}: ${resend.map((p) => p.person.userName).join(', ')}`,
      );
    console.log(
      `Admin notice previews: ${notices.length} (${notices.map((n) => n.file).join(', ')})`,
    );
    console.log(`Index: ${relative(process.cwd(), index)}`);
    return 0;
  } catch (err) {
    if (isInputError(err)) {
      reportInputError(err);
      return 1;
    }
    if (err instanceof PreviewNameError) {
      console.error(`No previews written: ${err.message}.`);
      return 1;
    }
    throw err;
  }
}

process.exitCode = main(process.argv.slice(2));
