/**
 * Who gets an email, as the summary, the report and the previews say it:
 * one reading (review/plan-people.ts), so one answer.
 */
import { renderWelcomeEmail } from '../../handlers/welcome/core/message';
import {
  PASSWORD_PLACEHOLDER,
  planRecipients,
  previewFiles,
  previewText,
  renderIndex,
  renderPreviews,
} from '../../review/email-preview';
import { renderPlanReport } from '../../review/plan-report';
import { formatSummary, summarizePlan } from '../../review/plan-summary';
import type { TerraformPlan } from '../../review/terraform-plan';
import { change, peoplePlan, RESENT, user, WELCOMED } from '../support/people-plan';
import { managed, settings, userChange } from '../support/preview-plan';

/** The bullets of the report's welcome section, by what they say. */
function reportEmails(report: string) {
  const section = report.split('#### Welcome emails')[1] ?? '';
  const pick = (re: RegExp) => [...section.matchAll(re)].map((m) => m[1]);
  return {
    welcome: pick(/^- welcome `([^`]+)`/gm),
    resend: pick(/^- resend welcome to `([^`]+)`/gm),
  };
}

function previewEmails(plan: TerraformPlan) {
  const previews = renderPreviews(planRecipients(plan), settings);
  const of = (kind: string) =>
    previews.filter((p) => p.kind === kind).map((p) => p.person.userName);
  return { welcome: of('welcome'), resend: of('resend') };
}

function summaryEmails(plan: TerraformPlan) {
  const { welcome, resend } = summarizePlan(plan).people;
  return { welcome, resend };
}

describe('a user the plan replaces (the defect: a preview, but no welcome in the report)', () => {
  const plan: TerraformPlan = {
    format_version: '1.2',
    resource_changes: [userChange(['delete', 'create'], 'bo', managed('bo@example.com'))],
  };

  it('is welcomed by the summary, the report and the previews alike', () => {
    const expected = { welcome: ['bo'], resend: [] };
    expect(previewEmails(plan)).toEqual(expected);
    expect(summaryEmails(plan)).toEqual(expected);
    expect(reportEmails(renderPlanReport(plan))).toEqual(expected);
    expect(renderPlanReport(plan)).toContain(
      '1 person will get a welcome email with a temporary password once this is deployed',
    );
    expect(renderPlanReport(plan)).toContain('- welcome `bo` (re-created');
  });
});

describe('the summary, the report and the previews agree on who gets an email', () => {
  const expected = { welcome: WELCOMED, resend: RESENT };

  it('on a plan with every kind of change', () => {
    expect(previewEmails(peoplePlan)).toEqual(expected);
    expect(summaryEmails(peoplePlan)).toEqual(expected);
    expect(reportEmails(renderPlanReport(peoplePlan))).toEqual(expected);
    const files = previewFiles(planRecipients(peoplePlan), 'previews');
    expect(files.map((f) => f.html)).toEqual([
      ...WELCOMED.map((u) => `previews/welcome-${u}.html`),
      ...RESENT.map((u) => `previews/resend-${u}.html`),
    ]);
  });

  it('a created user the function would skip gets no email anywhere, and the report says why', () => {
    for (const emails of [
      previewEmails(peoplePlan),
      summaryEmails(peoplePlan),
      reportEmails(renderPlanReport(peoplePlan)),
    ])
      expect([...emails.welcome, ...emails.resend]).not.toContain('nomail');
    expect(renderPlanReport(peoplePlan)).toMatch(
      /\[!WARNING\][^]*`nomail` is created, but the welcome function will not email them: tag email: there is no such tag/,
    );
  });
});

describe('resend in review', () => {
  const report = renderPlanReport(peoplePlan);

  it('the report says "resend welcome to" each person whose counter rises, with the counter', () => {
    expect(report.split('\n')).toEqual(
      expect.arrayContaining([
        '- resend welcome to `ray` (counter 0 → 1)',
        '- resend welcome to `rose` (counter 1 → 2)',
      ]),
    );
    expect(report).toContain('2 people will get the welcome email again');
    expect(report).toContain('| change | `rose` | resend counter: “1” → “2” |');
    expect(report).not.toMatch(/resend welcome to `(liz|otto|abe|rex)`/);
  });

  it('the summary counts them, apart from the first welcomes', () => {
    const lines = formatSummary(summarizePlan(peoplePlan)).split('\n');
    expect(lines).toContain('Welcome emails (4): abe, ann, bo.chen2, rex');
    expect(lines).toContain('Welcome emails sent again (2): ray, rose');
  });

  it("the resend preview is the function's resend email: its own subject and notice", () => {
    const issuedAtMs = Date.UTC(2026, 11, 2, 10, 0);
    const previews = renderPreviews(planRecipients(peoplePlan), settings, issuedAtMs);
    const rose = previews.find((p) => p.kind === 'resend' && p.person.userName === 'rose')!;
    expect(rose.stem).toBe('resend-rose');
    expect(rose.email).toEqual(
      renderWelcomeEmail({
        userName: 'rose',
        displayName: 'Rose',
        email: 'rose@example.com',
        signInUrl: 'https://123456789012.signin.aws.amazon.com/console',
        organisationName: 'Example Corp',
        helpContact: 'it-help@example.com',
        password: PASSWORD_PLACEHOLDER,
        issuedAtMs,
        replacesEarlier: true,
        resend: true,
      }),
    );
    expect(previewText(rose)).toContain(
      'Subject: New temporary password for the Example Corp AWS account (2 December 2026)',
    );
    expect(previewText(rose)).toContain('This is a new temporary password');
    expect(previewText(rose)).toContain(`Temporary password: ${PASSWORD_PLACEHOLDER}`);
    const ann = previews.find((p) => p.person.userName === 'ann')!;
    expect(ann.kind).toBe('welcome');
    expect(ann.email.text).not.toContain('new temporary password');
    expect(ann.email.subject).toBe('Your sign-in for the Example Corp AWS account');
    const index = renderIndex(previews, settings);
    expect(index).toContain('<a href="resend-rose.html">HTML</a>');
    expect(index).toMatch(/<td>rose<\/td><td>welcome sent again<\/td>/);
  });

  it('a person added with a counter above 0 gets the first welcome only', () => {
    const plan: TerraformPlan = {
      format_version: '1.2',
      resource_changes: [
        change(
          'aws_iam_user',
          'abe',
          ['create'],
          null,
          user('abe', {
            ...managed('abe@example.com'),
            'resend-welcome': '3',
          }),
        ),
      ],
    };
    const expected = { welcome: ['abe'], resend: [] };
    expect(previewEmails(plan)).toEqual(expected);
    expect(summaryEmails(plan)).toEqual(expected);
    expect(reportEmails(renderPlanReport(plan))).toEqual(expected);
    expect(previewFiles(planRecipients(plan), 'p').map((f) => f.html)).toEqual([
      'p/welcome-abe.html',
    ]);
  });

  it('the report lists resend previews as sent again', () => {
    const withFiles = renderPlanReport(peoplePlan, {
      previews: { files: previewFiles(planRecipients(peoplePlan), 'cdktf.out/previews') },
    });
    expect(withFiles).toContain(
      '- `rose` (sent again): `cdktf.out/previews/resend-rose.html`, `cdktf.out/previews/resend-rose.txt`',
    );
    expect(withFiles).toContain(
      '- `ann`: `cdktf.out/previews/welcome-ann.html`, `cdktf.out/previews/welcome-ann.txt`',
    );
  });

  it('refuses two previews that would share a file, naming both people', () => {
    const plan: TerraformPlan = {
      format_version: '1.2',
      resource_changes: [
        // IAM refuses names equal ignoring case; a preview must not overwrite another.
        change('aws_iam_user', 'bo1', ['create'], null, user('Bo', managed('b1@example.com'))),
        change('aws_iam_user', 'bo2', ['create'], null, user('bo', managed('b2@example.com'))),
      ],
    };
    expect(() => previewFiles(planRecipients(plan), 'p')).toThrow(
      'two previews would share the file name "welcome-Bo": the welcome email of "bo" and the welcome email of "Bo"',
    );
    expect(() => renderPreviews(planRecipients(plan), settings)).toThrow(/share the file name/);
  });
});
