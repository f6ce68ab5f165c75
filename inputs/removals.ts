/**
 * Removals large enough to be a mistake: an emptied `users` list, or a
 * change that drops more than a share of the people (a bad merge, a file
 * cut in half). Both are valid rosters, so they are warnings, not problems:
 * `npm run check` prints them, and the plan report raises a CAUTION from the
 * plan's own removals (review/plan-report/people.ts).
 *
 * The share is `ROSTER_REMOVAL_WARNING_SHARE`, a fraction (`0.2`) or a
 * percentage (`20%`), default 20%: a build setting like `ROSTER_FILE`, not a
 * deployed one, so it lives in the environment rather than the settings.
 */
import { execFileSync } from 'node:child_process';
import { basename, dirname } from 'node:path';
import { BuildEnvironmentError } from './errors';

export const REMOVAL_SHARE_ENV = 'ROSTER_REMOVAL_WARNING_SHARE';
export const DEFAULT_REMOVAL_SHARE = 0.2;

/** The share of people a change may remove before it is called out. */
export function removalWarningShare(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env[REMOVAL_SHARE_ENV]?.trim();
  if (!raw) return DEFAULT_REMOVAL_SHARE;
  const m = /^(\d+(?:\.\d+)?)(%?)$/.exec(raw);
  const share = m ? Number(m[1]) / (m[2] ? 100 : 1) : NaN;
  if (!(share >= 0 && share <= 1)) {
    throw new BuildEnvironmentError(
      `${REMOVAL_SHARE_ENV} must be a share between 0 and 1 (like 0.2) or a percentage (like 20%); found ${JSON.stringify(raw)}`,
    );
  }
  return share;
}

/** `3 of 10 people (30%)`. */
export function shareWords(removed: number, before: number): string {
  return `${removed} of ${before} ${before === 1 ? 'person' : 'people'} (${Math.round((removed / before) * 100)}%)`;
}

/** Whether removing `removed` of `before` people is more than `share` of them. */
export function removesTooMany(removed: number, before: number, share: number): boolean {
  return removed > 0 && before > 0 && removed / before > share;
}

/** The user names of a roster-shaped value, lower-cased (IAM compares them so); [] for anything else. */
export function userNamesOf(value: unknown): string[] {
  const users = (value as { users?: unknown } | null)?.users;
  if (!Array.isArray(users)) return [];
  return users.flatMap((u) => {
    const name = (u as { userName?: unknown } | null)?.userName;
    return typeof name === 'string' ? [name.toLowerCase()] : [];
  });
}

/**
 * The roster as committed at `ref`, or undefined when there is none to
 * compare with (no git, not a repository, the file not tracked, not JSON).
 * In a pull request's checkout HEAD is the change itself, so there the
 * base branch (`GITHUB_BASE_REF`) is the comparison.
 */
export function committedRoster(
  file: string,
  env: NodeJS.ProcessEnv = process.env,
): { ref: string; value: unknown } | undefined {
  const ref = env.GITHUB_BASE_REF ? `origin/${env.GITHUB_BASE_REF}` : 'HEAD';
  try {
    const text = execFileSync('git', ['show', `${ref}:./${basename(file)}`], {
      cwd: dirname(file),
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
      timeout: 5000,
    });
    return { ref, value: JSON.parse(text) as unknown };
  } catch {
    return undefined;
  }
}

/**
 * What `npm run check` warns about: an empty `users` list, and a change
 * from the committed roster that removes more than `share` of its people.
 */
export function removalWarnings(
  current: readonly string[],
  earlier: { ref: string; value: unknown } | undefined,
  share: number,
): string[] {
  const out: string[] = [];
  const before = earlier ? userNamesOf(earlier.value) : [];
  if (current.length === 0) {
    out.push(
      `users is empty: a plan would remove every person this stack manages${before.length > 0 ? ` (${before.length} in ${earlier!.ref})` : ''}, with their passwords and access keys`,
    );
    return out;
  }
  const now = new Set(current);
  const removed = before.filter((u) => !now.has(u));
  if (earlier && removesTooMany(removed.length, before.length, share)) {
    const shown = removed.slice(0, 10).join(', ') + (removed.length > 10 ? ', …' : '');
    out.push(
      `this change removes ${shareWords(removed.length, before.length)} of the roster in ${earlier.ref}, more than ${Math.round(share * 100)}% (${REMOVAL_SHARE_ENV}): ${shown}; check it is meant`,
    );
  }
  return out;
}
