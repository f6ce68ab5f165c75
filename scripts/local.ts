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
import './quiet-sdk';
import {
  appendFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
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
import { recordEnds, unservedWhy, type RecordEnd } from '../emulator/function-log';
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
import { RESEND_TAG_KEY, WELCOME_ENV } from '../shared/contract';
import { GetLoginProfileCommand, type IAMClient } from '@aws-sdk/client-iam';
import { IN_FLIGHT_WINDOW_MS } from '../handlers/welcome/core/consistency';
import { isInputError } from '../inputs/errors';
import { reportInputError } from '../inputs/report';

const LOCAL = join('cdktf.out', 'local');
const PORTS = join(LOCAL, 'emulator.json');
const RECORDING = join(LOCAL, 'requests.jsonl');
const OUTBOX = join(LOCAL, 'outbox');
/** What the function wrote in this run (CloudWatch Logs would hold it): its decisions, one JSON line each. */
const FUNCTION_LOG = join(LOCAL, 'function.log');
const SEED = 20260101;

type Users = Record<string, Record<string, unknown>>;
const usersIn = (): Users => stateResources(LOCAL, 'aws_iam_user');
const resendOf = (u: Record<string, unknown> | undefined) =>
  (u?.tags as Record<string, string> | undefined)?.[RESEND_TAG_KEY];

/** The login profile's CreateDate (epoch ms), or undefined when the user has none. */
async function profileCreated(iam: IAMClient, userName: string): Promise<number | undefined> {
  try {
    const { LoginProfile } = await iam.send(new GetLoginProfileCommand({ UserName: userName }));
    return LoginProfile?.CreateDate?.getTime();
  } catch {
    return undefined;
  }
}

/** Why the function deferred a record, in a line. */
function deferralWhy(
  e: RecordEnd,
  created: readonly (number | undefined)[],
  waiting: readonly RecordEnd[],
): string {
  if (e.errorName === 'ResendInFlight') {
    const at = created[[...new Set(waiting.map((w) => w.userName))].indexOf(e.userName)];
    const age =
      at === undefined
        ? ''
        : ` (its login profile is ${Math.round((Date.now() - at) / 1000)} s old: the replay of moto's state re-created it)`;
    return `resend deferred: within the ${IN_FLIGHT_WINDOW_MS / 60_000}-minute in-flight window${age}`;
  }
  return `deferred at ${e.step ?? 'an unknown step'}: ${e.errorName ?? e.reason ?? 'no reason logged'}`;
}

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
  const moto = await startMoto({ env: MOTO_ENV, ports, recording: RECORDING, seed: SEED });
  try {
    if (resumed) await replayRecording(moto);
    const before = usersIn();
    const result = deploy({
      stackDir,
      workDir: LOCAL,
      endpoint: moto.endpoint,
      keep: (entry) => ['emulator.json', 'requests.jsonl', 'outbox'].includes(entry),
      restoreClearedQueuePolicies: true,
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
      // The apply is the deploy, so its calls are the deploy role's (when the settings name one).
      const deployRole = d.fn.config.Environment?.Variables?.[WELCOME_ENV.deployRoleArn];
      const events: BusEvent[] = [
        ...(await Promise.all(created.map((k) => createUserEvent(c.iam, name(k), deployRole)))),
        ...(await Promise.all(
          resent.map((k) => tagUserEvent(c.iam, name(k), [RESEND_TAG_KEY], deployRole)),
        )),
      ];
      const unmatched: string[] = [];
      for (const e of events) {
        if (ruleMatches(d.pattern, e)) await publishToTopic(c.sns, d.topicArn, e);
        else unmatched.push(String((e.detail.requestParameters as { userName: string }).userName));
      }
      // The reconcile schedule, played once a run: it serves a welcome or resend whose event
      // was lost (here, one an earlier run left on the queue: moto's replay does not keep it).
      const reconcile = d.schedules.find((x) => x.input.includes('reconcile'));
      if (reconcile) await sendScheduledInput(c.sqs, d.queueUrl, reconcile.input);
      writeFileSync(FUNCTION_LOG, '');
      const drain = async () => {
        const bs = await drainQueue({
          sqs: c.sqs,
          queueUrl: d.queueUrl,
          mapping: d.mapping,
          fn: d.fn,
        });
        for (const b of bs) appendFileSync(FUNCTION_LOG, b.invocation.logs);
        return bs;
      };
      const all = await drain();
      let failed = all.filter((b) => Object.keys(b.failed).length > 0);
      if (failed.length > 0) {
        // A login profile younger than the function's in-flight window may be a send still
        // running, so the function defers the resend to the queue's next delivery (in AWS,
        // after the visibility timeout, longer than the window). Here every profile is that
        // young: the replay that rebuilt moto's state re-created it minutes ago. So the run
        // waits until the youngest deferred one is past the window, then redelivers.
        const waiting = recordEnds(failed).filter((e) => e.outcome === 'deferred');
        const created = await Promise.all(
          [...new Set(waiting.map((e) => e.userName))].map((u) => profileCreated(c.iam, u)),
        );
        const youngest = Math.max(0, ...created.map((t) => t ?? 0));
        const wait = Math.max(0, youngest + IN_FLIGHT_WINDOW_MS + 2000 - Date.now());
        for (const e of waiting)
          console.log(`  ${e.userName}: ${deferralWhy(e, created, waiting)}`);
        console.log(
          `  waiting ${Math.round(wait / 1000)} s for the queue's next delivery (Ctrl-C gives up on it: the next run's replay does not bring queued messages back)...`,
        );
        await new Promise((r) => setTimeout(r, wait));
        await expireVisibility(c.sqs, d.queueUrl, failed);
        const again = await drain();
        all.push(...again);
        failed = again.filter((b) => Object.keys(b.failed).length > 0);
      }
      const ends = recordEnds(all);

      const emails = receivedEmails((await moto.requests()).slice(start));
      mkdirSync(OUTBOX, { recursive: true });
      console.log(
        `Deployed into moto ${motoVersion()} in ${result.applySeconds.toFixed(0)} s` +
          ` (${created.length} created, ${resent.length} resend, ${removed.length} removed;` +
          ` the plan after it: ${result.pending.length === 0 ? 'no changes' : `${result.pending.length} ${result.pending.length === 1 ? 'change' : 'changes'}`}).`,
      );
      for (const a of result.restored)
        console.log(
          `  ${a}: applied again: moto cleared the queue's policy when the apply updated the queue (README, the emulator's gaps)`,
        );
      // A change the plan still wants is named, so that it can be told from an emulator gap (README).
      for (const p of result.pending)
        console.log(`  still to change: ${p.address} (${p.change.actions.join(', ')})`);
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
      // Every resend the run could not serve says why: never silence.
      const unserved = resent.map(name).flatMap((u) => {
        const why = unservedWhy(u, ends, unmatched);
        return why === undefined ? [] : [`  ${u}: no resend email: ${why}`];
      });
      for (const line of unserved) console.log(line);
      if (emails.length === 0 && unserved.length === 0)
        console.log('  no email: nobody was created or resent.');
      if (failed.length > 0)
        console.log(`  ${failed.length} batch(es) failed and stay on the queue (${FUNCTION_LOG}).`);
      // A hold or skip is the function's decision, said above; anything else left a resend undone.
      const undone = resent
        .map(name)
        .filter(
          (u) =>
            unservedWhy(u, ends, unmatched) !== undefined &&
            ends.filter((e) => e.userName === u).at(-1)?.outcome !== 'skipped',
        );
      return result.pending.length === 0 && failed.length === 0 && undone.length === 0 ? 0 : 1;
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
