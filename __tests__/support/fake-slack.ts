/**
 * A local stand-in for Slack's Web API, on a free loopback port: a real HTTP
 * server the function reaches with the runtime's fetch (WELCOME_ENV
 * slackApiUrl), answering as Slack does (docs.slack.dev, each method's
 * reference): HTTP 200 with `{"ok": true, ...}` or `{"ok": false, "error":
 * "..."}`, HTTP 429 with `Retry-After` for `ratelimited`, the bearer token
 * checked on every call (`not_authed`, `invalid_auth`).
 *
 * Its members are found by email (`users.lookupByEmail`), a DM opened with
 * `conversations.open` and posted to with `chat.postMessage`; what arrived is
 * in `dms`. `fail` queues answers for a method's next calls: an error code,
 * an HTTP status, a rate limit, or no answer at all (the socket destroyed).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type SlackMethod = 'users.lookupByEmail' | 'conversations.open' | 'chat.postMessage';

export interface SlackCall {
  readonly method: string;
  readonly authorization?: string;
  readonly contentType?: string;
  readonly params: Readonly<Record<string, string>>;
}

export interface DirectMessage {
  /** The member it went to. */
  readonly userId: string;
  readonly channel: string;
  readonly text: string;
  readonly blocks: unknown[];
}

/** One queued answer: Slack's error code (HTTP 200), another status, a rate limit, or none. */
export type SlackFault =
  | { readonly error: string }
  | { readonly status: number; readonly body?: string }
  | { readonly ratelimited: number }
  | { readonly drop: true };

export class FakeSlack {
  /** The bot token the app was installed with. */
  token = 'xoxb-1111-2222-9f3KqZ7wLmP4vXc';
  /** Members by email address (lower case), with their user ID. */
  readonly members = new Map<string, string>();
  readonly calls: SlackCall[] = [];
  readonly dms: DirectMessage[] = [];
  private readonly faults = new Map<string, SlackFault[]>();
  private readonly channels = new Map<string, string>();
  private server?: Server;

  /** Adds a member, found by `email`; returns their user ID. */
  member(email: string, userId = `U${String(this.members.size + 1).padStart(8, '0')}`): string {
    this.members.set(email.toLowerCase(), userId);
    return userId;
  }

  /** The method's next `times` calls get `fault` instead of an answer. */
  fail(method: SlackMethod, fault: SlackFault, times = 1): this {
    const queue = this.faults.get(method) ?? [];
    for (let i = 0; i < times; i++) queue.push(fault);
    this.faults.set(method, queue);
    return this;
  }

  /** The base URL the function is pointed at (SLACK_API_URL). */
  url(): string {
    const address = this.server?.address() as AddressInfo | null | undefined;
    if (!address) throw new Error('the fake Slack is not listening');
    return `http://127.0.0.1:${address.port}/api`;
  }

  callsOf(method: SlackMethod): SlackCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  start(): Promise<void> {
    this.server = createServer((req, res) => {
      void this.answer(req, res);
    });
    return new Promise((done) => this.server!.listen(0, '127.0.0.1', () => done()));
  }

  stop(): Promise<void> {
    const server = this.server;
    if (!server) return Promise.resolve();
    server.closeAllConnections();
    return new Promise((done) => server.close(() => done()));
  }

  /** Forgets calls, messages, queued faults and members; keeps the server. */
  reset(): void {
    this.calls.length = 0;
    this.dms.length = 0;
    this.faults.clear();
    this.members.clear();
    this.channels.clear();
    this.token = 'xoxb-1111-2222-9f3KqZ7wLmP4vXc';
  }

  private async answer(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const contentType = req.headers['content-type'];
    const params: Record<string, string> = contentType?.startsWith('application/json')
      ? (JSON.parse(raw || '{}') as Record<string, string>)
      : Object.fromEntries(new URLSearchParams(raw));
    const method = (req.url ?? '').replace(/^\/api\//, '').split('?')[0];
    this.calls.push({
      method,
      ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}),
      ...(contentType ? { contentType } : {}),
      params,
    });
    const json = (body: unknown, status = 200, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
      res.end(JSON.stringify(body));
    };
    if (req.method !== 'POST') return json({ ok: false, error: 'invalid_arguments' });

    const fault = this.faults.get(method)?.shift();
    if (fault) {
      if ('drop' in fault) return void req.socket.destroy();
      if ('ratelimited' in fault) {
        return json({ ok: false, error: 'ratelimited' }, 429, {
          'retry-after': String(fault.ratelimited),
        });
      }
      if ('status' in fault) {
        res.writeHead(fault.status, { 'content-type': 'text/html' });
        return void res.end(fault.body ?? '<html><body>Service Unavailable</body></html>');
      }
      return json({ ok: false, error: fault.error });
    }

    const auth = req.headers.authorization;
    if (!auth) return json({ ok: false, error: 'not_authed' });
    if (auth !== `Bearer ${this.token}`) return json({ ok: false, error: 'invalid_auth' });

    switch (method) {
      case 'users.lookupByEmail': {
        const id = this.members.get((params.email ?? '').toLowerCase());
        if (!id) return json({ ok: false, error: 'users_not_found' });
        return json({
          ok: true,
          user: {
            id,
            team_id: 'T00000001',
            name: params.email.split('@')[0],
            deleted: false,
            is_bot: false,
            profile: { email: params.email },
          },
        });
      }
      case 'conversations.open': {
        const users = (params.users ?? '').split(',');
        if (users.length !== 1 || ![...this.members.values()].includes(users[0])) {
          return json({ ok: false, error: 'user_not_found' });
        }
        const channel = `D${users[0].slice(1)}`;
        this.channels.set(channel, users[0]);
        return json({ ok: true, channel: { id: channel } });
      }
      case 'chat.postMessage': {
        const userId = this.channels.get(params.channel ?? '');
        if (!userId) return json({ ok: false, error: 'channel_not_found' });
        if (!params.text && !params.blocks) return json({ ok: false, error: 'no_text' });
        let blocks: unknown[] = [];
        try {
          blocks = params.blocks ? (JSON.parse(params.blocks) as unknown[]) : [];
        } catch {
          return json({ ok: false, error: 'invalid_blocks' });
        }
        const ts = `1700000000.${String(this.dms.length + 1).padStart(6, '0')}`;
        this.dms.push({ userId, channel: params.channel, text: params.text ?? '', blocks });
        return json({ ok: true, channel: params.channel, ts, message: { text: params.text, ts } });
      }
      default:
        return json({ ok: false, error: 'unknown_method' });
    }
  }
}
