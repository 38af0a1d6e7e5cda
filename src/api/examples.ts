/**
 * Example bodies for the API's contract: one prospect and its conversation at the moment a rep claimed a
 * pricing question. The contract's test parses each against its schema, so an example cannot drift from it.
 */
import type { ConversationState, HandoffPacket, Prospect } from '../../workflows/messages';

/** A prospect as an outreach tool sends it. */
export const exampleProspect: Prospect = {
  id: 'p-1042',
  name: 'Dana Whitfield',
  email: 'dana@northwind.example',
  company: 'Northwind Traders',
  title: 'Head of Operations',
  timeZone: 'Europe/Berlin',
  profile: { industry: 'logistics', employees: 420 },
};

const replyAt = '2026-03-04T09:12:00.000Z';

/** The handoff packet of a pricing question. */
export const examplePacket: HandoffPacket = {
  conversationId: 'prospect-p-1042',
  prospect: exampleProspect,
  research: { summary: 'Northwind Traders, logistics, 420 employees' },
  reason: 'pricing',
  summary: 'Dana Whitfield (Northwind Traders) asked about pricing.',
  triggeringMessageId: 'm-77',
  evidence: [{ label: 'pricing', rule: 'pricing.cost_question', start: 0, end: 17, text: 'What does it cost' }],
  rulesFired: ['pricing.cost_question'],
  thread: [
    { messageId: 'out-0', author: 'automation', channel: 'email', text: 'Hi Dana, …', at: '2026-03-02T08:00:00.000Z', step: 0, subject: 'Routing for Northwind' },
    { messageId: 'm-77', author: 'prospect', channel: 'email', text: 'What does it cost for 40 seats?', at: replyAt, labels: ['pricing'], trigger: 'pricing', rulesVersion: 'r-2026-02' },
  ],
  automationSent: [{ step: 0, name: 'first touch', at: '2026-03-02T08:00:00.000Z' }],
  suggestedNextStep: 'Answer the pricing question for 40 seats and offer a call.',
  escalatedAt: replyAt,
};

/** The conversation once Ana Weber claimed it. */
export const exampleState: ConversationState = {
  conversationId: 'prospect-p-1042',
  stage: 'claimed',
  prospect: exampleProspect,
  thread: examplePacket.thread,
  ladder: [
    {
      tier: 1,
      eligibleRepIds: ['ana'],
      audience: 'rep',
      assignees: [{ repId: 'ana', name: 'Ana Weber' }],
      alertedAt: replyAt,
      deadline: '2026-03-04T09:42:00.000Z',
      outcome: 'claimed',
    },
  ],
  packet: examplePacket,
  escalations: [
    {
      number: 1,
      reason: 'pricing',
      trigger: 'pricing',
      status: 'claimed',
      escalatedAt: replyAt,
      triggeringMessageId: 'm-77',
      evidence: examplePacket.evidence,
      rulesFired: examplePacket.rulesFired,
      rulesVersion: 'r-2026-02',
      laterTriggers: [],
      rungs: [],
      claimedBy: 'ana',
      claimedAt: '2026-03-04T09:20:00.000Z',
      feedback: null,
    },
  ],
  owner: 'ana',
  nextStep: null,
  outcome: null,
  optedOut: false,
  sent: [{ step: 0, name: 'first touch', at: '2026-03-02T08:00:00.000Z', messageId: 'out-0' }],
  counts: { replies: 1, repliesInThread: 1, repliesOutsideThread: 0, manualEscalations: 0, manualEscalationsRefused: 0 },
};
