/**
 * A loopback receiver for the signed webhook alert channel, which a fault test can take down and bring back.
 * Listens on 127.0.0.1 only.
 */
import http from 'node:http';
import { verifyWebhookSignature } from '../../../src/alerts/webhook';
import { freePort } from '../../../src/temporal/devServer';

/** Shared webhook signing secret of the rig (test-only). */
export const WEBHOOK_SECRET = 'faults-webhook-secret-0123456789';

/** What the receiver knows about one idempotency key. */
export interface ReceivedAlert {
  key: string;
  repId: string;
  workflowId: string;
  tier: number;
  /** The claim deadline the alert carries (webhook alerts), or null. */
  deadline: string | null;
  /** When the sender's timer fired (the benchmarks' floor alerts), or null. */
  firedAtMs: number | null;
  /** Every POST that carried this key (retries repeat it). */
  posts: number;
  /** `performance.now()` and wall-clock ms of the first POST. */
  firstAtPerf: number;
  firstAtMs: number;
}

/**
 * A loopback receiver for the webhook channel, as a rep's paging tool would run it: it verifies the HMAC
 * signature, processes each `Idempotency-Key` once (repeats answer 200 and are skipped), and counts everything.
 */
export class AlertReceiver {
  readonly alerts = new Map<string, ReceivedAlert>();
  posts = 0;
  badSignatures = 0;
  /** POSTs answered while a hold was on, whose socket closed before the answer. */
  private held: http.ServerResponse[] = [];
  private holdWhen: ((alert: ReceivedAlert) => boolean) | null = null;
  private listeners: ((alert: ReceivedAlert) => void)[] = [];
  private server: http.Server;
  private isUp = false;

  private constructor(
    readonly port: number,
    private readonly secret: string,
  ) {
    this.server = this.createServer();
  }

  /** Starts a receiver on a free loopback port. */
  static async start(secret = WEBHOOK_SECRET): Promise<AlertReceiver> {
    const receiver = new AlertReceiver(await freePort(), secret);
    await receiver.up();
    return receiver;
  }

  /** The base URL reps' `webhookUrl`s start with. */
  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  private createServer(): http.Server {
    return http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => this.handle(req, Buffer.concat(chunks).toString('utf8'), res));
    });
  }

  private handle(req: http.IncomingMessage, body: string, res: http.ServerResponse): void {
    this.posts++;
    const header = (name: string) => {
      const v = req.headers[name];
      return Array.isArray(v) ? v[0] : v;
    };
    const ok = verifyWebhookSignature(body, { timestamp: header('x-handoff-timestamp'), signature: header('x-handoff-signature') }, this.secret);
    const key = header('idempotency-key');
    if (!ok || !key) {
      this.badSignatures++;
      res.writeHead(401).end();
      return;
    }
    const parsed = JSON.parse(body) as { workflowId: string; tier: number; rep: { id: string }; deadline?: string; firedAtMs?: number | null };
    let alert = this.alerts.get(key);
    if (alert) {
      alert.posts++;
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"duplicate":true}');
      return;
    }
    alert = {
      key,
      repId: parsed.rep.id,
      workflowId: parsed.workflowId,
      tier: parsed.tier,
      deadline: parsed.deadline ?? null,
      firedAtMs: parsed.firedAtMs ?? null,
      posts: 1,
      firstAtPerf: performance.now(),
      firstAtMs: Date.now(),
    };
    this.alerts.set(key, alert);
    for (const listener of this.listeners) listener(alert);
    if (this.holdWhen?.(alert)) {
      this.held.push(res);
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
  }

  /** Calls `listener` on the first POST of every key. */
  onAlert(listener: (alert: ReceivedAlert) => void): void {
    this.listeners.push(listener);
  }

  /**
   * From now on, the first POST of a key that matches is received (and counted) but not answered, so the
   * delivery activity stays in flight. {@link release} answers them.
   */
  hold(when: (alert: ReceivedAlert) => boolean): void {
    this.holdWhen = when;
  }

  /** Stops holding and answers whatever was held (a dead worker's sockets are already gone). */
  release(): number {
    this.holdWhen = null;
    const held = this.held;
    this.held = [];
    for (const res of held) if (!res.destroyed) res.writeHead(200).end('{"ok":true}');
    return held.length;
  }

  /** Alerts of these workflows, by key. */
  alertsOf(workflowIds: Iterable<string>): ReceivedAlert[] {
    const ids = new Set(workflowIds);
    return [...this.alerts.values()].filter((a) => ids.has(a.workflowId));
  }

  /** Takes the receiver off the network: refuses connections and drops open ones. */
  async down(): Promise<void> {
    if (!this.isUp) return;
    this.isUp = false;
    this.release();
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeAllConnections();
    await closed;
  }

  /** Listens again on the same port. */
  async up(): Promise<void> {
    if (this.isUp) return;
    this.server = this.createServer();
    this.server.keepAliveTimeout = 30_000;
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen({ host: '127.0.0.1', port: this.port }, () => resolve());
    });
    this.isUp = true;
  }
}
