/**
 * `npm run provider-calls`: records the AWS provider's calls over the stack's
 * lifecycle in moto (emulator/provider-calls-recorder.ts) and writes them to
 * review/rehearsal/provider-calls.json, which PROVIDER_CALLS is derived from.
 * The file is written only when the whole lifecycle ran; on any failure
 * (moto missing, a Terraform step failing) one line says what, the exit code
 * is 1 and the committed file is left as it was. Review the diff.
 *
 * `--out FILE` writes elsewhere; `--verbose` shows Terraform's output;
 * `--keep-logs` leaves Terraform's debug logs in the scratch directory.
 */
import { writeFileSync } from 'node:fs';
import { RECORD_PATH, recordProviderCalls } from '../emulator/provider-calls-recorder';

async function main(argv: readonly string[]): Promise<number> {
  const outAt = argv.indexOf('--out');
  const out = outAt >= 0 ? argv[outAt + 1] : RECORD_PATH;
  if (!out) {
    console.error('provider-calls: --out needs a file name');
    return 2;
  }
  const start = Date.now();
  try {
    const record = await recordProviderCalls({
      verbose: argv.includes('--verbose'),
      keepLogs: argv.includes('--keep-logs'),
      progress: (line) => console.error(`provider-calls: ${line}`),
    });
    writeFileSync(out, `${JSON.stringify(record, null, 2)}\n`);
    const types = new Set(record.calls.map((c) => c.type)).size;
    console.log(
      `provider-calls: ${record.calls.length} distinct (type, phase, operation) calls of ${record.provider} over ${types} resource types, in ${((Date.now() - start) / 1000).toFixed(0)} s; wrote ${out}`,
    );
    return 0;
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    // One line: the error's first line and its first "Error:" line (Terraform's output is long,
    // and stays out of the way); the file is untouched.
    const lines = message
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l !== '');
    const detail = lines.slice(1).find((l) => /Error:/.test(l)) ?? lines[1];
    console.error(
      `provider-calls: ${[lines[0] ?? 'failed', detail].filter(Boolean).join(' ')}; ${out} left unchanged`,
    );
    return 1;
  }
}

void main(process.argv.slice(2)).then((code) => process.exit(code));
