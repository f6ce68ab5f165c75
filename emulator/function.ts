/**
 * The welcome function as the emulator holds it: its configuration and
 * environment read from moto's Lambda API, and one invocation of the handler
 * from the very zip Terraform deployed, in a process of its own (a fresh
 * execution environment, as Lambda gives), with the SDK pointed at moto
 * through AWS_ENDPOINT_URL. moto without Docker cannot run the function
 * itself (emulator/gaps.ts).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { unzipSync } from 'fflate';
import { EMULATOR_CREDENTIALS } from './deploy';

export interface FunctionConfiguration {
  readonly FunctionName: string;
  readonly FunctionArn: string;
  readonly Handler: string;
  readonly Timeout: number;
  readonly MemorySize: number;
  readonly CodeSha256: string;
  readonly Environment?: { readonly Variables?: Record<string, string> };
}

export interface EventSourceMapping {
  readonly UUID: string;
  readonly EventSourceArn: string;
  readonly FunctionArn: string;
  readonly BatchSize: number;
  readonly FunctionResponseTypes?: readonly string[];
  readonly State?: string;
}

/**
 * An Authorization header naming a service: moto routes a request by it and
 * checks no signature, so a plain request reads its APIs.
 */
export const motoAuthorization = (service: string) => ({
  Authorization: `AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/${service}/aws4_request, SignedHeaders=host, Signature=0`,
});

async function lambdaGet<T>(endpoint: string, path: string): Promise<T> {
  const res = await fetch(`${endpoint}/2015-03-31/${path}`, {
    headers: motoAuthorization('lambda'),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`Lambda ${path}: HTTP ${res.status}: ${text.slice(0, 300)}`);
  return JSON.parse(text) as T;
}

export const functionConfiguration = (endpoint: string, name: string) =>
  lambdaGet<FunctionConfiguration>(endpoint, `functions/${encodeURIComponent(name)}/configuration`);

/** The mappings that invoke a function (filtered here: moto's FunctionName filter compares with the ARN it stored). */
export async function eventSourceMappings(
  endpoint: string,
  functionArn: string,
): Promise<EventSourceMapping[]> {
  const r = await lambdaGet<{ EventSourceMappings: EventSourceMapping[] }>(
    endpoint,
    'event-source-mappings/',
  );
  return r.EventSourceMappings.filter((m) => m.FunctionArn === functionArn);
}

export interface Invocation {
  /** What the handler returned (`batchItemFailures` for an SQS batch); undefined when it threw. */
  readonly result?: unknown;
  /** The error message when the handler threw. */
  readonly error?: string;
  /** Everything the function wrote (its logs: CloudWatch Logs would hold this). */
  readonly logs: string;
  readonly exitCode: number | null;
}

/** Runs `handler` from an unpacked zip once, reads the event from a file, writes the result to another. */
const RUNNER = `
const fs = require('node:fs');
const [dir, handlerName, eventFile, resultFile, timeoutMs, functionArn] = process.argv.slice(1);
const [file, exportName] = handlerName.split('.');
const started = Date.now();
const context = {
  functionName: process.env.AWS_LAMBDA_FUNCTION_NAME,
  invokedFunctionArn: functionArn,
  awsRequestId: require('node:crypto').randomUUID(),
  getRemainingTimeInMillis: () => Number(timeoutMs) - (Date.now() - started),
};
Promise.resolve()
  .then(() => require(require('node:path').join(dir, file))[exportName](JSON.parse(fs.readFileSync(eventFile, 'utf8')), context))
  .then((result) => fs.writeFileSync(resultFile, JSON.stringify({ result: result ?? null })))
  .catch((e) => { fs.writeFileSync(resultFile, JSON.stringify({ error: String(e && e.message || e) })); });
`;

export class DeployedFunction {
  private readonly dir: string;

  private constructor(
    readonly endpoint: string,
    readonly config: FunctionConfiguration,
    dir: string,
  ) {
    this.dir = dir;
  }

  /**
   * The function moto holds: its configuration, and the zip Terraform
   * uploaded (`zipFile`), checked against the CodeSha256 moto reports.
   */
  static async load(endpoint: string, name: string, zipFile: string): Promise<DeployedFunction> {
    const config = await functionConfiguration(endpoint, name);
    const zip = readFileSync(zipFile);
    const sha = createHash('sha256').update(zip).digest('base64');
    if (sha !== config.CodeSha256) {
      throw new Error(
        `${zipFile} is not the code moto holds for ${name} (sha256 ${sha}, moto ${config.CodeSha256})`,
      );
    }
    const dir = mkdtempSync(join(tmpdir(), 'iam-onboarding-function-'));
    for (const [path, bytes] of Object.entries(unzipSync(zip))) {
      if (path.endsWith('/')) continue;
      mkdirSync(join(dir, path, '..'), { recursive: true });
      writeFileSync(join(dir, path), bytes);
    }
    return new DeployedFunction(endpoint, config, dir);
  }

  /** The environment the function runs with: moto's copy of it, Lambda's own variables, the SDK pointed at moto. */
  environment(): NodeJS.ProcessEnv {
    const env: NodeJS.ProcessEnv = {};
    for (const k of ['PATH', 'HOME', 'TMPDIR', 'SYSTEMROOT'])
      if (process.env[k]) env[k] = process.env[k];
    return {
      ...env,
      ...(this.config.Environment?.Variables ?? {}),
      ...EMULATOR_CREDENTIALS,
      AWS_DEFAULT_REGION: EMULATOR_CREDENTIALS.AWS_REGION,
      AWS_ENDPOINT_URL: this.endpoint,
      AWS_LAMBDA_FUNCTION_NAME: this.config.FunctionName,
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(this.config.MemorySize),
      AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x',
      TZ: 'UTC',
    };
  }

  invoke(event: unknown): Invocation {
    const work = mkdtempSync(join(tmpdir(), 'iam-onboarding-invoke-'));
    try {
      const eventFile = join(work, 'event.json');
      const resultFile = join(work, 'result.json');
      writeFileSync(eventFile, JSON.stringify(event));
      const r = spawnSync(
        process.execPath,
        [
          '-e',
          RUNNER,
          this.dir,
          this.config.Handler,
          eventFile,
          resultFile,
          String(this.config.Timeout * 1000),
          this.config.FunctionArn,
        ],
        {
          env: this.environment(),
          encoding: 'utf8',
          timeout: (this.config.Timeout + 5) * 1000,
          maxBuffer: 64 * 1024 * 1024,
        },
      );
      const logs = `${r.stdout ?? ''}${r.stderr ?? ''}`;
      let outcome: { result?: unknown; error?: string } = {
        error: `the function's process ended without a result (status ${r.status})`,
      };
      try {
        outcome = JSON.parse(readFileSync(resultFile, 'utf8')) as typeof outcome;
      } catch {
        // no result file: the process died; keep the error above
      }
      return { ...outcome, logs, exitCode: r.status };
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  }

  dispose(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}
