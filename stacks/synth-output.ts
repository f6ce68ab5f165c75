import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

/** Where cdktf writes a stack's configuration, relative to the output directory. */
export function stackDir(outdir: string, stackName: string): string {
  return join(outdir, 'stacks', stackName);
}

/**
 * Removes what an earlier run generated for a stack (configuration, plan,
 * reports, assets) so that nothing stale can be mistaken for this run's
 * result. Terraform's own working files (`.terraform*`, local state) are kept:
 * they are not results, and deleting state would be destructive.
 */
export function clearStackOutput(outdir: string, stackName: string): void {
  const dir = stackDir(outdir, stackName);
  if (!existsSync(dir)) return;
  for (const entry of readdirSync(dir)) {
    if (entry.startsWith('.terraform') || entry.includes('.tfstate')) continue;
    rmSync(join(dir, entry), { recursive: true, force: true });
  }
}
