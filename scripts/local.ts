/**
 * `npm run local`: the product, whole, without an AWS account. Starts moto
 * on loopback, deploys the roster into it (Terraform state in
 * `cdktf.out/local/terraform.tfstate`), runs the welcome flow for everyone
 * the deploy created or whose `resend` it raised, writes each email moto
 * received to `cdktf.out/local/outbox/` and says who got what.
 *
 * moto keeps its state in memory only and has no snapshot. So the requests
 * it received are kept (`cdktf.out/local/requests.jsonl`, its recorder) and
 * replayed into the next run's server, on the same ports and after the same
 * seed, which rebuilds the same state with the same ids; then only the
 * roster's change is applied. `--reset` starts over.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { deploy, stateResources } from '../emulator/deploy';
import { loadDeployment } from '../emulator/deployment';
import {
  clients,
  createUserEvent,
  drainQueue,
  expireVisibility,
  publishToTopic,
  receivedEmails,
  ruleMatches,
  sendScheduledInput,
  tagUserEvent,
  type BusEvent,
} from '../emulator/flow';
import { MOTO_ENV } from '../emulator/gaps';
import {
  freePort,
  INSTALL_HINT,
  MotoMissingError,
  motoVersion,
  replayRecording,
  startMoto,
} from '../emulator/moto-server';
import { synthesize } from '../stacks/synth';
import { RESEND_TAG_KEY } from '../shared/contract';
import { IN_FLIGHT_WINDOW_MS } from '../handlers/welcome/core/consistency';
import { isInputError } from '../inputs/errors';
import { reportInputError } from '../inputs/report';

const LOCAL = join('cdktf.out', 'local');
const PORTS = join(LOCAL, 'emulator.json');
const RECORDING = join(LOCAL, 'requests.jsonl');
const OUTBOX = join(LOCAL, 'outbox');
const SEED = 20260101;

type Users = Record<string, Record<string, unknown>>;
const usersIn = (): Users => stateResources(LOCAL, 'aws_iam_user');
const resendOf = (u: Record<string, unknown> | undefined) =>
  (u?.tags as Record<string, string> | undefined)?.[RESEND_TAG_KEY];

async function main(argv: readonly string[]): Promise<number> {
  try {
    motoVersion();
  } catch (e) {
    if (e instanceof MotoMissingError) {
      console.error(INSTALL_HINT);
      return 1;
    }
    throw e;
  }
  if (argv.includes('--reset')) rmSync(LOCAL, { recursive: true, force: true });
  mkdirSync(LOCAL, { recursive: true });
  const resumed = existsSync(PORTS) && existsSync(RECORDING);
  if (!resumed) {
    // Half a previous run is no start: begin again.
    for (const f of [
      join(LOCAL, 'terraform.tfstate'),
      join(LOCAL, 'terraform.tfstate.backup'),
      RECORDING,
    ])
      rmSync(f, { force: true });
    writeFileSync(PORTS, JSON.stringify({ moto: await freePort(), proxy: await freePort() }));
  }
  const ports = JSON.parse(readFileSync(PORTS, 'utf8')) as { moto: number; proxy: number };

  const { stackDir } = synthesize();
  const started = Date.now();
  const moto = await startMoto({ env: MOTO_ENV, ports, recording: RECORDING, seed: SEED });
  try {
    if (resumed) await replayRecording(moto);
    const before = usersIn();
    const result = deploy({
      stackDir,
      workDir: LOCAL,
      endpoint: moto.endpoint,
      keep: (entry) => ['emulator.json', 'requests.jsonl', 'outbox'].includes(entry),
    });
    const after = usersIn();
    // By name: the replay re-creates each user with a new id, so ids say nothing here.
    const created = Object.keys(after).filter((k) => !before[k]);
    const resent = Object.keys(after).filter(
      (k) => before[k] && !created.includes(k) && resendOf(after[k]) !== resendOf(before[k]),
    );
    const removed = Object.keys(before).filter((k) => !after[k]);
    const name = (k: string) => String(after[k].name);

    const c = clients(moto.endpoint);
    const d = await loadDeployment(moto.endpoint, LOCAL, c);
    const start = (await moto.requests()).length;
    try {
      const events: BusEvent[] = [
        ...(await Promise.all(created.map((k) => createUserEvent(c.iam, name(k))))),
        ...(await Promise.all(resent.map((k) => tagUserEvent(c.iam, name(k), [RESEND_TAG_KEY])))),
      ];
      for (const e of events) {
        if (ruleMatches(d.pattern, e)) await publishToTopic(c.sns, d.topicArn, e);
      }
      // The reconcile schedule, played once a run: it serves a welcome or resend whose event
      // was lost (here, one an earlier run left on the queue: moto's replay does not keep it).
      const reconcile = d.schedules.find((x) => x.input.includes('reconcile'));
      if (reconcile) await sendScheduledInput(c.sqs, d.queueUrl, reconcile.input);
      const batches = await drainQueue({
        sqs: c.sqs,
        queueUrl: d.queueUrl,
        mapping: d.mapping,
        fn: d.fn,
      });
      const deferred = batches.filter((b) => Object.keys(b.failed).length > 0);
      let failed = 0;
      if (deferred.length > 0) {
        // A login profile younger than the function's in-flight window may be a send still
        // running, so a resend waits for the queue's next delivery (after its visibility
        // timeout, longer than the window). The replay gave every profile this run's time.
        const wait = Math.max(0, IN_FLIGHT_WINDOW_MS - (Date.now() - started) + 2000);
        console.log(
          `${deferred.length} resend deferred, as the function defers one right after a login profile was set; waiting ${Math.round(wait / 1000)} s for the queue's next delivery...`,
        );
        await new Promise((r) => setTimeout(r, wait));
        await expireVisibility(c.sqs, d.queueUrl, deferred);
        const again = await drainQueue({
          sqs: c.sqs,
          queueUrl: d.queueUrl,
          mapping: d.mapping,
          fn: d.fn,
        });
        failed = again.filter((b) => Object.keys(b.failed).length > 0).length;
        if (failed > 0) console.log(`  ${failed} message(s) failed again and stay on the queue.`);
      }

      const emails = receivedEmails((await moto.requests()).slice(start));
      mkdirSync(OUTBOX, { recursive: true });
      console.log(
        `Deployed into moto ${motoVersion()} in ${result.applySeconds.toFixed(0)} s` +
          ` (${created.length} created, ${resent.length} resend, ${removed.length} removed;` +
          ` the plan after it: ${result.pending.length === 0 ? 'no changes' : `${result.pending.length} changes`}).`,
      );
      for (const k of removed) console.log(`  removed: ${String(before[k].name)}`);
      const stamp = new Date().toISOString().replace(/[:.]/g, '-');
      for (const [i, e] of emails.entries()) {
        const base = join(OUTBOX, `${stamp}-${i + 1}-${e.to.join(',').replace(/[^\w.@+-]/g, '_')}`);
        writeFileSync(`${base}.html`, e.html);
        writeFileSync(
          `${base}.txt`,
          `From: ${e.from}\nTo: ${e.to.join(', ')}\nSubject: ${e.subject}\n\n${e.text}`,
        );
        console.log(
          `  ${e.to.join(', ')}: "${e.subject}"  ${relative(process.cwd(), base)}.html (.txt)`,
        );
      }
      if (emails.length === 0) console.log('  no email: nobody was created or resent.');
      return result.pending.length === 0 && failed === 0 ? 0 : 1;
    } finally {
      d.fn.dispose();
    }
  } finally {
    await moto.stop();
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    if (isInputError(err)) reportInputError(err);
    else console.error(err instanceof Error ? err.message : err);
    process.exitCode = 1;
  },
);
