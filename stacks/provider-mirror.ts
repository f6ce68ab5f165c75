/**
 * Where Terraform installs the AWS provider from: a local provider mirror
 * when the machine has one (`/opt/tf-plugins`, `~/.terraform.d/plugins`, or
 * the one `TF_PLUGIN_MIRROR` names), else the registry. `npm run plan` and
 * `npm run deploy` both use it, so `terraform init` works without the
 * registry wherever a mirror is.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** Where to look for a local provider mirror (`<dir>/registry.terraform.io/hashicorp/aws`). */
const MIRROR_CANDIDATES = ['/opt/tf-plugins', join(homedir(), '.terraform.d', 'plugins')];

export const PLUGIN_MIRROR_ENV = 'TF_PLUGIN_MIRROR';

/** Finds a local mirror holding the AWS provider; `TF_PLUGIN_MIRROR` names one explicitly. */
export function findProviderMirror(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const named = env[PLUGIN_MIRROR_ENV];
  const candidates = named ? [named] : MIRROR_CANDIDATES;
  return candidates.find((dir) =>
    existsSync(join(dir, 'registry.terraform.io', 'hashicorp', 'aws')),
  );
}

/**
 * Writes `<dir>/terraform.rc`, a CLI configuration that installs HashiCorp's
 * providers from `mirror` and nothing of theirs from the network; returns its
 * path, for `TF_CLI_CONFIG_FILE`.
 */
export function writeMirrorCliConfig(dir: string, mirror: string): string {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'terraform.rc');
  writeFileSync(
    file,
    [
      'provider_installation {',
      `  filesystem_mirror {`,
      `    path    = ${JSON.stringify(mirror)}`,
      '    include = ["registry.terraform.io/hashicorp/*"]',
      '  }',
      '  direct {',
      '    exclude = ["registry.terraform.io/hashicorp/*"]',
      '  }',
      '}',
      '',
    ].join('\n'),
  );
  return file;
}
