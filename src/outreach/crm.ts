/**
 * The CRM sink: every automated touch, reply and handoff is logged where the CRM can pick it up. The embedded
 * default is `<dataDir>/crm.jsonl`; a webhook URL posts each touch as JSON instead.
 */
import path from 'node:path';
import { IdempotentJournal } from './journal';

/** One activity on a prospect, as the CRM records it. */
export interface CrmTouch {
  idempotencyKey: string;
  conversationId: string;
  prospectId: string;
  kind: 'email_sent' | 'reply_received' | 'escalated' | 'claimed' | 'reassigned' | 'meeting_booked' | 'closed' | 'opted_out';
  at: string;
  /** Short, body-free description ("Follow-up 2 sent"). */
  summary: string;
  ids?: Record<string, string>;
}

/** Where touches go. */
export interface CrmSink {
  logTouch(touch: CrmTouch): Promise<void>;
}

/** Touches appended to `<dataDir>/crm.jsonl`, once per key. */
export class JournalCrmSink implements CrmSink {
  private readonly journal: IdempotentJournal<CrmTouch>;
  constructor(dataDir: string) {
    this.journal = new IdempotentJournal(path.join(dataDir, 'crm.jsonl'));
  }
  async logTouch(touch: CrmTouch): Promise<void> {
    await this.journal.append(touch);
  }
}

/** Touches posted as JSON to a CRM's webhook, with the key in `Idempotency-Key`. */
export class WebhookCrmSink implements CrmSink {
  constructor(private readonly url: string) {}
  async logTouch(touch: CrmTouch): Promise<void> {
    const response = await fetch(this.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': touch.idempotencyKey },
      body: JSON.stringify(touch),
      signal: AbortSignal.timeout(10_000),
    });
    if (!response.ok) throw new Error(`CRM webhook answered ${response.status}`);
  }
}
