/**
 * A moto server (https://github.com/getmoto/moto) on a free loopback port,
 * started and stopped by this process only. moto answers the AWS APIs the
 * stack uses over HTTP, so the real AWS provider and the real SDK clients can
 * talk to it through their endpoint settings.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MISSING_ACTIONS, MISSING_REST_ACTIONS } from './gaps';

/** How to install the emulator, in the one line a missing one prints. */
export const INSTALL_HINT = 'moto is not installed: pip install "moto[server]"';

/** The Python that runs moto: `MOTO_PYTHON`, else `python3`. */
export const motoPython = (): string => process.env.MOTO_PYTHON ?? 'python3';

export class MotoMissingError extends Error {
  constructor(detail: string) {
    super(`${INSTALL_HINT} (${detail})`);
    this.name = 'MotoMissingError';
  }
}

/** moto's version, or a MotoMissingError when its server cannot be imported. */
export function motoVersion(): string {
  const r = spawnSync(
    motoPython(),
    ['-c', 'import moto, moto.server, flask; print(moto.__version__)'],
    { encoding: 'utf8' },
  );
  if (r.error) throw new MotoMissingError(`${motoPython()}: ${r.error.message}`);
  if (r.status !== 0) {
    const last = (r.stderr ?? '').trim().split('\n').pop() ?? 'import failed';
    throw new MotoMissingError(last);
  }
  return r.stdout.trim();
}

/** A port the kernel just gave out on 127.0.0.1, free when this returns. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export interface MotoServer {
  /** `http://127.0.0.1:PORT` of the proxy in front of moto (PROXY): what clients and Terraform use. */
  readonly endpoint: string;
  /** moto itself, for the canaries that show its gaps. */
  readonly motoEndpoint: string;
  readonly port: number;
  readonly pid: number;
  /** Every request moto received since it started (its recorder), oldest first. */
  requests(): Promise<RecordedRequest[]>;
  /** Stops this server (its own process only) and waits for it to exit. */
  stop(): Promise<void>;
}

/** One request as moto's recorder keeps it. */
export interface RecordedRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  /** The body as text (the recorder base64-encodes bytes; decoded here). */
  readonly body: string;
}

interface RawRecord {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string | null;
  body_encoded: boolean;
}

/** Reads moto's recording (one JSON object a line). */
export function parseRecording(text: string): RecordedRequest[] {
  return text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => {
      const r = JSON.parse(l) as RawRecord;
      const body = r.body_encoded
        ? Buffer.from(r.body ?? '', 'base64').toString('utf8')
        : (r.body ?? '');
      return { method: r.method, url: r.url, headers: r.headers, body };
    });
}

export interface StartOptions {
  /** Extra environment for moto (the harness's workarounds, e.g. MOTO_IAM_LOAD_MANAGED_POLICIES). */
  readonly env?: Readonly<Record<string, string>>;
  /** How long to wait for the server to answer. @default 30 s */
  readonly timeoutMs?: number;
  /** Ports for moto and its proxy (a replayed recording needs the same ones). @default free ones */
  readonly ports?: { readonly moto: number; readonly proxy: number };
  /** Where the recorder writes. @default a file in a scratch directory, removed on stop */
  readonly recording?: string;
  /** Seeds moto's random ids, so that a replay of the same requests makes the same ids. */
  readonly seed?: number;
}

async function answers(endpoint: string): Promise<boolean> {
  try {
    const res = await fetch(`${endpoint}/moto-api/reset-auth`, { method: 'GET' });
    await res.arrayBuffer();
    return true;
  } catch {
    return false;
  }
}

function exited(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
}

/**
 * A pass-through proxy in front of moto that answers the IAM actions moto
 * lacks (MISSING_ACTIONS, from emulator/gaps.ts) as AWS answers them for a
 * user that never had what they list, and the REST calls it lacks
 * (MISSING_REST_ACTIONS: SESv2 GetSuppressedDestination) as AWS answers for
 * an address not on the list. A process of its own: the callers block in
 * spawnSync while Terraform talks to it.
 */
const PROXY = `
const http = require('node:http');
const [motoPort, answers, listenPort, rest] = [Number(process.argv[1]), JSON.parse(process.argv[2]), Number(process.argv[3]), JSON.parse(process.argv[4])];
const server = http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const body = Buffer.concat(chunks);
    const action = /(?:^|&)Action=([A-Za-z]+)/.exec(body.toString('latin1'))?.[1];
    if (req.method === 'POST' && action && answers[action]) {
      res.writeHead(200, { 'Content-Type': 'text/xml' });
      res.end(answers[action]);
      return;
    }
    const path = (req.url || '').split('?')[0];
    const scope = String(req.headers.authorization || '');
    const answer = rest.find((a) => a.method === req.method && new RegExp(a.path).test(path) && scope.includes('/' + a.service + '/aws4_request'));
    if (answer) {
      res.writeHead(answer.status, { ...answer.headers, 'x-amzn-RequestId': 'emulator-proxy' });
      res.end(answer.body);
      return;
    }
    const up = http.request({ host: '127.0.0.1', port: motoPort, method: req.method, path: req.url, headers: req.headers }, (r) => {
      res.writeHead(r.statusCode, r.headers);
      r.pipe(res);
    });
    up.on('error', (e) => { res.writeHead(502); res.end(String(e)); });
    up.end(body);
  });
});
server.listen(listenPort, '127.0.0.1', () => process.stdout.write(String(server.address().port) + '\\n'));
`;

/** Starts `python3 -m moto.server -H 127.0.0.1 -p PORT` and waits until it answers. */
export async function startMoto(options: StartOptions = {}): Promise<MotoServer> {
  motoVersion();
  const port = options.ports?.moto ?? (await freePort());
  const endpoint = `http://127.0.0.1:${port}`;
  // moto logs every request on stderr. A file, not a pipe: the callers block
  // in spawnSync (terraform) for minutes, and a pipe nobody drains stalls moto.
  const logDir = mkdtempSync(join(tmpdir(), 'iam-onboarding-moto-'));
  const logFile = join(logDir, 'moto.log');
  const log = openSync(logFile, 'w');
  // The recorder keeps every request: the emails moto received, and the API calls counted.
  const recording = options.recording ?? join(logDir, 'requests.jsonl');
  const child = spawn(motoPython(), ['-m', 'moto.server', '-H', '127.0.0.1', '-p', String(port)], {
    env: {
      ...process.env,
      ...options.env,
      MOTO_ENABLE_RECORDING: 'true',
      MOTO_RECORDER_FILEPATH: recording,
    },
    stdio: ['ignore', log, log],
  });
  closeSync(log);
  const tail = () => readFileSync(logFile, 'utf8').slice(-4000).trim();
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited(child);
    rmSync(logDir, { recursive: true, force: true });
  };
  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  while (!(await answers(endpoint))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      const output = tail();
      await stop();
      throw new Error(`moto did not start on ${endpoint}:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  // The proxy: the endpoint everything else is given.
  const proxy = spawn(
    process.execPath,
    [
      '-e',
      PROXY,
      String(port),
      JSON.stringify(MISSING_ACTIONS),
      String(options.ports?.proxy ?? 0),
      JSON.stringify(MISSING_REST_ACTIONS),
    ],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const proxyPort = await new Promise<number>((resolvePort, reject) => {
    let out = '';
    proxy.stdout.on('data', (c: Buffer) => {
      out += c.toString();
      if (out.includes('\n')) resolvePort(Number(out.trim()));
    });
    proxy.once('exit', (code) => reject(new Error(`the emulator's proxy exited (${code})`)));
  }).catch(async (e: unknown) => {
    await stop();
    throw e;
  });
  const stopBoth = async () => {
    if (proxy.exitCode === null && proxy.signalCode === null) proxy.kill('SIGTERM');
    await exited(proxy);
    await stop();
  };
  if (options.seed !== undefined) {
    await fetch(`${endpoint}/moto-api/seed?a=${options.seed}`, { method: 'POST' });
  }
  const requests = async () => {
    const res = await fetch(`${endpoint}/moto-api/recorder/download-recording`);
    return parseRecording(await res.text());
  };
  return {
    endpoint: `http://127.0.0.1:${proxyPort}`,
    motoEndpoint: endpoint,
    port,
    pid: child.pid!,
    requests,
    stop: stopBoth,
  };
}

/**
 * Replays moto's recording into a fresh server: moto's state dies with its
 * process and it has no snapshot, but the same requests, on the same ports,
 * after the same seed, rebuild the same state with the same ids.
 */
export async function replayRecording(server: MotoServer): Promise<void> {
  const res = await fetch(`${server.motoEndpoint}/moto-api/recorder/replay-recording`, {
    method: 'POST',
  });
  if (!res.ok) throw new Error(`moto could not replay its recording: HTTP ${res.status}`);
}
