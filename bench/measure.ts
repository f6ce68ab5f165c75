/**
 * Wall time and peak memory of a whole command, children included. Python's
 * getrusage(RUSAGE_CHILDREN) gives the peak resident set of the largest
 * process in the tree (npm, node, esbuild), which Node cannot ask for.
 */
import { spawnSync } from 'node:child_process';

export interface Run {
  readonly seconds: number;
  readonly peakMiB: number;
}

const PROBE = [
  'import resource, subprocess, sys, time',
  't = time.perf_counter()',
  'r = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)',
  'dt = time.perf_counter() - t',
  'if r.returncode: sys.stderr.write(r.stderr.decode()); sys.exit(r.returncode)',
  'print(dt, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)',
].join('\n');

export function measure(command: readonly string[], env: NodeJS.ProcessEnv): Run {
  const r = spawnSync('python3', ['-c', PROBE, ...command], { env, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${command.join(' ')} failed:\n${r.stderr}`);
  const [seconds, kib] = r.stdout.trim().split(/\s+/).map(Number);
  return { seconds: seconds, peakMiB: kib / 1024 };
}

export function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}
