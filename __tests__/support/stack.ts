/** Shared fixtures for the pipeline tests: settings, a tiny roster, a stand-in bundle, synthesis. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Testing } from 'cdktf';
import type { Roster } from '../../inputs/roster';
import { loadSettings, type Settings } from '../../inputs/settings';
import { IamOnboardingStack } from '../../stacks/iam-onboarding-stack';

export const ROOT = join(__dirname, '..', '..');
export const DEFAULT_SETTINGS_PATH = join(ROOT, 'config', 'settings.json');
export const ZONE_SETTINGS_PATH = join(ROOT, 'config', 'examples', 'existing-trail-with-zone.json');

/** config/settings.json: trail created, no hosted zone. */
export const trailNoZone = (): Settings => loadSettings(DEFAULT_SETTINGS_PATH);
/** config/examples/existing-trail-with-zone.json: existing trail, hosted zone. */
export const zoneNoTrail = (): Settings => loadSettings(ZONE_SETTINGS_PATH);

export const ROSTER = {
  groups: [],
  users: [{ userName: 'alice', email: 'alice@example.com', groups: [] }],
} as unknown as Roster;

/** A directory with a stand-in index.js, so unit tests need not run esbuild. */
export function fixtureCode(body = 'exports.handler = async () => undefined;\n'): string {
  const dir = mkdtempSync(join(tmpdir(), 'welcome-code-'));
  writeFileSync(join(dir, 'index.js'), body);
  return dir;
}

export interface Synthesized {
  readonly stack: IamOnboardingStack;
  /** The synthesized configuration (validations, hence guardrails, included). */
  readonly json: string;
  readonly config: TfConfig;
}

export interface TfConfig {
  resource: Record<string, Record<string, Record<string, unknown>>>;
  output?: Record<string, { value: unknown; description?: string }>;
  provider: Record<string, Record<string, unknown>[]>;
}

export function synthStack(settings: Settings, codeDir: string = fixtureCode()): Synthesized {
  const app: App = Testing.app();
  const stack = new IamOnboardingStack(app, { roster: ROSTER, settings, welcomeCodeDir: codeDir });
  const json = Testing.synth(stack, true);
  return { stack, json, config: JSON.parse(json) as TfConfig };
}

/** Every resource of a type, by logical name. */
export function resourcesOf(
  config: TfConfig,
  type: string,
): Record<string, Record<string, unknown>> {
  return config.resource[type] ?? {};
}

/** The single resource of a type whose attributes include `match`; fails otherwise. */
export function only(
  config: TfConfig,
  type: string,
  match: Record<string, unknown> = {},
): Record<string, unknown> {
  const found = Object.values(resourcesOf(config, type)).filter((r) =>
    Object.entries(match).every(([k, v]) => JSON.stringify(r[k]) === JSON.stringify(v)),
  );
  if (found.length !== 1) {
    throw new Error(
      `expected one ${type} matching ${JSON.stringify(match)}, found ${found.length}`,
    );
  }
  return found[0];
}

export interface Statement {
  Sid: string;
  Effect: string;
  Principal?: unknown;
  Action: string | string[];
  Resource?: string | string[];
  Condition?: Record<string, Record<string, string | string[]>>;
}

/** Parses a synthesized policy document (tokens resolved to `${...}` expressions). */
export function statements(policy: unknown): Statement[] {
  return (JSON.parse(policy as string) as { Statement: Statement[] }).Statement;
}

export function statement(policy: unknown, sid: string): Statement {
  const s = statements(policy).find((x) => x.Sid === sid);
  if (!s) throw new Error(`no statement ${sid} in ${String(policy)}`);
  return s;
}

/** `${type.name.attr}`: how the synthesized JSON refers to an attribute of the one matching resource. */
export function ref(
  config: TfConfig,
  type: string,
  match: Record<string, unknown>,
  attr: string,
): string {
  const entries = Object.entries(resourcesOf(config, type)).filter(([, r]) =>
    Object.entries(match).every(([k, v]) => JSON.stringify(r[k]) === JSON.stringify(v)),
  );
  if (entries.length !== 1)
    throw new Error(`expected one ${type} matching ${JSON.stringify(match)}`);
  return `\${${type}.${entries[0][0]}.${attr}}`;
}

/** IAM's ArnLike: `*` any run of characters, `?` one character. */
export function arnLike(pattern: string, arn: string): boolean {
  const re = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${re}$`).test(arn);
}
