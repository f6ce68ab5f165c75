/**
 * The report's welcome emails: who gets a first welcome, who gets it again
 * (their resend counter rises), and where to read the previews. Who is who
 * comes from plan-people.ts, as it does for the summary and the previews.
 */
import type { PlanPeople, Welcome } from '../plan-people';
import type { Finding } from './findings';
import { code, plural } from './markdown';
import type { PlanReportOptions } from './options';

export interface WelcomeSection {
  readonly findings: readonly Finding[];
  readonly lines: readonly string[];
}

function why(w: Welcome, people: PlanPeople): string {
  if (w.reason === 'replaced') return ' (re-created: a new user, so a new first email)';
  if (w.reason === 'renamed') {
    const from = people.renamed.find((r) => !r.sameUser && r.to.userName === w.userName)?.from;
    return from ? ` (renamed from ${code(from.userName)})` : ' (renamed)';
  }
  return '';
}

/** The person's own channel, when the roster gives one other than email (the default's is the settings'). */
function by(channel: Welcome['channel']): string {
  if (channel === 'slack') return ' (by Slack direct message)';
  if (channel === 'email-and-slack') return ' (by email and Slack direct message)';
  return '';
}

function capped(items: readonly string[], maxRows: number): string[] {
  return [
    ...items.slice(0, maxRows),
    ...(items.length > maxRows ? [`- … and ${items.length - maxRows} more`] : []),
  ];
}

export function welcomeSection(
  people: PlanPeople,
  previews: PlanReportOptions['previews'],
  maxRows: number,
): WelcomeSection {
  const findings: Finding[] = people.notWelcomed.map((n) => ({
    level: 'warning',
    text: `${code(n.userName)} is created, but the welcome function will not email them: ${n.why}.`,
  }));
  const { welcome, resend, reinstate } = people;
  if (welcome.length === 0 && resend.length === 0 && reinstate.length === 0)
    return { findings, lines: [] };

  const out = ['#### Welcome emails', ''];
  if (welcome.length > 0) {
    out.push(
      `${plural(welcome.length, 'person', 'people')} will get a welcome email with a temporary password once this is deployed:`,
      '',
      ...capped(
        welcome.map((w) => `- welcome ${code(w.userName)}${why(w, people)}${by(w.channel)}`),
        maxRows,
      ),
      '',
    );
  }
  if (resend.length > 0) {
    out.push(
      `${plural(resend.length, 'person', 'people')} will get the welcome email again, with a new temporary password (the earlier one stops working):`,
      '',
      ...capped(
        resend.map((r) => `- resend welcome to ${code(r.userName)} (counter ${r.from} → ${r.to})`),
        maxRows,
      ),
      '',
    );
  }
  if (reinstate.length > 0) {
    out.push(
      `${plural(reinstate.length, 'person', 'people')} will be reinstated and get a fresh temporary password by email:`,
      '',
      ...capped(
        reinstate.map((r) => `- reinstate ${code(r.userName)}`),
        maxRows,
      ),
      '',
    );
  }
  const files = previews?.files ?? [];
  if (files.length > 0) {
    const where = previews?.url ? ` ([download the previews](${encodeURI(previews.url)}))` : '';
    out.push(
      `Previews, with a placeholder instead of the password (\`npm run preview\` writes them)${where}:`,
      '',
      ...capped(
        files.map(
          (f) =>
            `- ${code(f.userName)}${f.kind === 'resend' ? ' (sent again)' : ''}: ${code(f.html)}, ${code(f.text)}` +
            (f.slack ? `; Slack DM: ${code(f.slack.html)}, ${code(f.slack.json)}` : ''),
        ),
        maxRows,
      ),
    );
  } else {
    out.push('Run `npm run preview` to see them.');
  }
  out.push('');
  return { findings, lines: out };
}
