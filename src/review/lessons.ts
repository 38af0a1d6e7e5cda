/**
 * What reps taught the readers, as training examples: every recorded reply that reps judged, with the labels their
 * judgement implies. A false escalation (feedback "not needed") keeps the reply's other labels but loses its
 * triggers; a missed escalation (a manual trigger after the readers said no, naming a trigger) gains that
 * trigger; a confirmed escalation keeps its labels. Replies nobody judged teach nothing and are left out.
 */
import type { LedgerEvent } from '../ledger/events';
import { finalLabels } from '../triggers/classify';
import { type Intent, isTrigger } from '../triggers/types';
import { replyKey, replyTruths } from './compute';

/** One lesson from the ledger. The text is the reply's, as recorded. */
export interface LedgerLesson {
  conversationId: string;
  messageId: string;
  text: string;
  labels: Intent[];
  why: 'false_escalation' | 'missed_escalation' | 'confirmed_escalation';
}

/** The ledger's lessons (see the module comment), one per judged reply, oldest first. */
export function lessonsFromLedger(events: readonly LedgerEvent[]): LedgerLesson[] {
  const replies = new Map<string, LedgerEvent>();
  for (const e of [...events].sort((a, b) => Date.parse(a.at) - Date.parse(b.at))) {
    if (e.kind === 'reply_classified' && typeof e.text === 'string' && e.messageId !== undefined) {
      replies.set(replyKey(e.conversationId, e.messageId), e);
    }
  }
  const truths = replyTruths(events, [...replies.values()]);
  // The trigger a rep named by hand belongs to the conversation's latest reply before it, as in `replyTruths`.
  const missedTrigger = new Map<string, Intent>();
  for (const e of events) {
    if (e.kind !== 'manual_trigger' || e.rulesSaidNo !== true || !e.trigger) continue;
    const before = [...replies.values()].filter((r) => r.conversationId === e.conversationId && Date.parse(r.at) <= Date.parse(e.at));
    const last = before.at(-1);
    if (last) missedTrigger.set(replyKey(last.conversationId, last.messageId as string), e.trigger);
  }

  const lessons: LedgerLesson[] = [];
  for (const [key, reply] of replies) {
    const truth = truths.get(key);
    if (!truth) continue;
    const recorded = (reply.labels ?? []).filter((l) => l !== 'none');
    let labels: Intent[];
    let why: LedgerLesson['why'];
    if (truth === 'not_needed') {
      labels = finalLabels(recorded.filter((l) => !isTrigger(l)));
      why = 'false_escalation';
    } else if (truth === 'missed') {
      const trigger = missedTrigger.get(key);
      if (!trigger) continue;
      labels = finalLabels([...recorded, trigger]);
      why = 'missed_escalation';
    } else {
      labels = finalLabels(recorded);
      why = 'confirmed_escalation';
    }
    lessons.push({ conversationId: reply.conversationId, messageId: reply.messageId as string, text: reply.text as string, labels, why });
  }
  return lessons;
}
