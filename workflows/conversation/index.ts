/**
 * One prospect conversation: runs the automated cadence, reads every reply, and on a trigger pauses automation,
 * hands off to a human and climbs the escalation ladder until somebody claims it.
 *
 * The story, move by move: `./cadence` (wait, send), `./replies` (what each reply does), `./ladder` (route,
 * alert, wait for a claim, climb), `./reps` (claim, hand back, close, reassign, feedback), with the transitions
 * in `./escalation`, the memory in `./memory`, alerts in `./alerts`, the ledger in `./ledger`, and what the
 * outside sees in `./visibility`.
 *
 * The loop is event driven: replies and manual triggers queue in an inbox that the loop drains before anything
 * else, so no step fires while a reply is handled. All state is plain JSON and travels through continue-as-new.
 */
import { allHandlersFinished, continueAsNew } from '@temporalio/workflow';
import { isOwnedStage, type ConversationInput, type ConversationStart } from '../messages';
import { resolveCampaign } from './activities';
import { nextStepWait, replyWindowWait, sendStep, somethingQueued } from './cadence';
import { Conversation } from './conversation';
import { registerHandlers } from './handlers';
import { climb } from './ladder';
import { openRecord, type ConversationMemory, type ConversationResult } from './memory';
import { handleReply, handleTrigger } from './replies';
import { publish } from './visibility';

export type { ConversationMemory, ConversationResult } from './memory';

/**
 * The conversation workflow. It starts with its whole input (as the API sends it), or with only `{ prospect,
 * campaign? }` (from any Temporal client), whose campaign it resolves first. `carried` is set only when it
 * continues as new.
 */
export async function conversationWorkflow(start: ConversationInput | ConversationStart, carried?: ConversationMemory): Promise<ConversationResult> {
  const input = 'policy' in start ? start : await resolveCampaign.executeWithOptions({ summary: `Resolve campaign ${start.campaign ?? '(the defaults)'}` }, [start]);
  const c = new Conversation(input, carried);
  const { m } = c;
  registerHandlers(c);
  publish(c);
  c.ledger.pump();
  // Every move is awaited from this loop directly: the ledger and alerts run in the background, and recorded
  // histories replay only if the moves' commands interleave with them exactly as they did.
  while (!c.isOver()) {
    // A hot reply's first rung, routed as the reply was read, opens once the inbox is read (an opt-out in the same
    // burst comes first) and before the run continues as new, where it would be routed, and take a turn, again.
    const routed = m.inbox.length === 0 ? c.escalationRoutedWithReading() : undefined;
    if (routed) {
      await climb(c, routed);
      continue;
    }
    if (c.shouldContinueAsNew()) {
      // Handlers and alert deliveries finish first; the inbox and everything else travel in the memory.
      await c.wait(() => c.alerts.idle() && c.ledger.settled() && allHandlersFinished());
      if (!c.isOver()) return continueAsNew<typeof conversationWorkflow>(input, m);
      break;
    }
    // The inbox first: a reply or a manual trigger.
    const item = m.inbox.shift();
    if (item) {
      if (item.kind === 'reply') await handleReply(c, item.reply);
      else handleTrigger(c, item.trigger, item.at);
      continue;
    }
    // Then the CRM, which hears of an escalating reply only once the first rung is open (its rep alerted).
    const firstRungDue = c.alertBeforeCrmTouch && m.stage === 'escalated' && openRecord(m)?.rungs.length === 0;
    if (m.touches.length > 0 && !firstRungDue) {
      await c.drainTouches();
      continue;
    }
    // Then what the stage waits for.
    if (m.stage === 'escalated') {
      const record = openRecord(m);
      if (record) await climb(c, record);
      else c.setStage('automating');
    } else if (isOwnedStage(m.stage)) {
      await c.wait(() => somethingQueued(c) || !isOwnedStage(m.stage));
    } else if (m.stepIndex < c.cadence.length) {
      const wait = nextStepWait(c);
      if (wait.waitMs > 0 && (await c.wait(wait.until, wait.waitMs, { summary: wait.summary }))) continue;
      await sendStep(c);
    } else {
      const wait = replyWindowWait(c);
      const woke = await c.wait(wait.until, wait.waitMs, { summary: wait.summary });
      if (!woke && m.stage === 'automating') {
        m.outcome = 'no_response';
        c.setStage('closed');
        await c.touchCrm('closed', 'Closed as no_response', 'closed');
      }
    }
  }
  await c.drainTouches();
  c.alerts.stopAll();
  await c.wait(() => c.ledger.settled() && allHandlersFinished());
  return { stage: m.stage, outcome: m.outcome, escalations: m.escalations.length };
}
