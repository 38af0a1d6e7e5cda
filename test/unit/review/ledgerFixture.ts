/**
 * A ledger with known events, and the rules that judged its replies, for the review and back-test tests.
 *
 * As of NOW with the window SINCE (7 days): six escalations (A, B, C, D, G by the rules; E manual after the rules
 * said no), one older escalation (F) outside the window, and replies that did not escalate (E, H, I).
 */
import type { LedgerEvent } from '../../../src/ledger/events';

export const NOW = '2025-03-10T12:00:00.000Z';
export const SINCE = '2025-03-03T12:00:00.000Z';
export const CURRENT_VERSION = 'sha256:c0ffee000001';

/** The rules the recorded replies were classified with. */
export const CURRENT_RULES = `
settings:
  negation:
    cues: { en: ['not', 'no'] }
rules:
  - { id: pricing.how-much, label: pricing, description: price questions, patterns: ['how much', 'price', 'cost'] }
  - { id: pricing.budget, label: pricing, description: budget talk, patterns: ['budget'] }
  - { id: human.talk-to-person, label: human_request, description: asks for a person, patterns: ['talk to an? (real )?person'] }
  - { id: buying.demo, label: buying_intent, description: asks for a demo, patterns: ['demo'] }
  - { id: ooo, label: out_of_office, description: away, patterns: ['out of (the )?office'], autoReply: true }
`;

/** A candidate: idle price curiosity no longer escalates, and security reviews do. */
export const CANDIDATE_RULES = `
settings:
  negation:
    cues: { en: ['not', 'no'] }
rules:
  - { id: pricing.how-much, label: pricing, description: price questions, patterns: ['how much', 'price', 'cost'], unless: ['just curious'] }
  - { id: pricing.budget, label: pricing, description: budget talk, patterns: ['budget'] }
  - { id: human.talk-to-person, label: human_request, description: asks for a person, patterns: ['talk to an? (real )?person'] }
  - { id: buying.demo, label: buying_intent, description: asks for a demo, patterns: ['demo'] }
  - { id: technical.security, label: technical, description: security review, patterns: ['SOC ?2', 'security review'] }
  - { id: ooo, label: out_of_office, description: away, patterns: ['out of (the )?office'], autoReply: true }
`;

function conversation(letter: string, company: string) {
  const conversationId = `prospect-${letter}`;
  const event = (suffix: string, kind: LedgerEvent['kind'], at: string, extra: Partial<LedgerEvent> = {}): LedgerEvent => ({
    eventId: `${conversationId}/${suffix}`,
    kind,
    conversationId,
    prospectId: letter,
    company,
    at,
    ...extra,
  });
  const reply = (at: string, text: string | undefined, labels: LedgerEvent['labels'], rulesFired: string[]): LedgerEvent => {
    const escalate = (labels ?? []).some((l) => ['human_request', 'buying_intent', 'pricing', 'technical'].includes(l));
    return event(`msg-${letter}1/classified`, 'reply_classified', at, {
      messageId: `msg-${letter}1`,
      ...(text === undefined ? {} : { text }),
      receivedAt: at,
      labels,
      escalate,
      trigger: escalate ? (labels?.[0] as LedgerEvent['trigger']) : null,
      rulesVersion: CURRENT_VERSION,
      rulesFired,
    });
  };
  return { event, reply };
}

const a = conversation('a', 'Acme');
const b = conversation('b', 'Beta');
const c = conversation('c', 'Cobalt');
const d = conversation('d', 'Delta');
const e = conversation('e', 'Echo');
const f = conversation('f', 'Foxtrot');
const g = conversation('g', 'Golf');
const h = conversation('h', 'Hotel');
const i = conversation('i', 'India');

/** The events, in no particular order (stores and the review sort them). */
export const FIXTURE_EVENTS: LedgerEvent[] = [
  // A: pricing, alerted twice (first alert counts), claimed, confirmed, won.
  a.reply('2025-03-04T09:00:00.000Z', 'How much would 40 seats cost per year?', ['pricing'], ['pricing.how-much']),
  a.event('esc-1/escalated', 'escalated', '2025-03-04T09:00:05.000Z', { escalation: 1, reason: 'pricing', trigger: 'pricing', tier: 1, rulesFired: ['pricing.how-much'], messageId: 'msg-a1' }),
  a.event('esc-1/rung-1/alerted/dana/email', 'alerted', '2025-03-04T09:00:55.000Z', { escalation: 1, tier: 1, repId: 'dana', channel: 'email', replyToAlertMs: 45_000 }),
  a.event('esc-1/rung-1/alerted/dana/slack', 'alerted', '2025-03-04T09:00:40.000Z', { escalation: 1, tier: 1, repId: 'dana', channel: 'slack', replyToAlertMs: 30_000 }),
  a.event('esc-1/claimed', 'claimed', '2025-03-04T09:10:05.000Z', { escalation: 1, repId: 'dana', timeToClaimMs: 600_000 }),
  a.event('esc-1/feedback', 'feedback', '2025-03-04T09:30:00.000Z', { escalation: 1, verdict: 'needed', repId: 'dana' }),
  a.event('closed', 'closed', '2025-03-06T15:00:00.000Z', { escalation: 1, outcome: 'won' }),

  // B: human request, went to tier 2, claimed there, not needed, handed back; the later close is the conversation's.
  b.reply('2025-03-05T10:00:00.000Z', 'Can I talk to a real person, please?', ['human_request'], ['human.talk-to-person']),
  b.event('esc-1/escalated', 'escalated', '2025-03-05T10:00:02.000Z', { escalation: 1, reason: 'human_request', trigger: 'human_request', tier: 1, rulesFired: ['human.talk-to-person'], messageId: 'msg-b1' }),
  b.event('esc-1/rung-1/alerted/lee/slack', 'alerted', '2025-03-05T10:01:00.000Z', { escalation: 1, tier: 1, repId: 'lee', channel: 'slack', replyToAlertMs: 60_000 }),
  b.event('esc-1/rung-2/re_escalated', 're_escalated', '2025-03-05T10:05:02.000Z', { escalation: 1, tier: 2 }),
  b.event('esc-1/rung-2/alerted/kim/slack', 'alerted', '2025-03-05T10:05:10.000Z', { escalation: 1, tier: 2, repId: 'kim', channel: 'slack', replyToAlertMs: 310_000 }),
  b.event('esc-1/claimed', 'claimed', '2025-03-05T10:07:02.000Z', { escalation: 1, repId: 'kim', timeToClaimMs: 420_000 }),
  b.event('esc-1/feedback', 'feedback', '2025-03-05T10:20:00.000Z', { escalation: 1, verdict: 'not_needed', repId: 'kim' }),
  b.event('esc-1/handed_back', 'handed_back', '2025-03-05T10:30:00.000Z', { escalation: 1, repId: 'kim' }),
  b.event('closed', 'closed', '2025-03-09T10:00:00.000Z', { outcome: 'no_response' }),

  // C: pricing, two rules, alerted, never claimed.
  c.reply('2025-03-06T08:00:00.000Z', 'How much budget should we plan for?', ['pricing'], ['pricing.how-much', 'pricing.budget']),
  c.event('esc-1/escalated', 'escalated', '2025-03-06T08:00:03.000Z', { escalation: 1, reason: 'pricing', trigger: 'pricing', tier: 1, rulesFired: ['pricing.how-much', 'pricing.budget'], messageId: 'msg-c1' }),
  c.event('esc-1/rung-1/alerted/dana/slack', 'alerted', '2025-03-06T08:00:23.000Z', { escalation: 1, tier: 1, repId: 'dana', channel: 'slack', replyToAlertMs: 20_000 }),

  // D: buying intent, claimed after 30 minutes, not needed, disqualified.
  d.reply('2025-03-06T14:00:00.000Z', 'Could we book a demo next week?', ['buying_intent'], ['buying.demo']),
  d.event('esc-1/escalated', 'escalated', '2025-03-06T14:00:01.000Z', { escalation: 1, reason: 'buying_intent', trigger: 'buying_intent', tier: 1, rulesFired: ['buying.demo'], messageId: 'msg-d1' }),
  d.event('esc-1/rung-1/alerted/lee/slack', 'alerted', '2025-03-06T14:01:30.000Z', { escalation: 1, tier: 1, repId: 'lee', channel: 'slack', replyToAlertMs: 90_000 }),
  d.event('esc-1/claimed', 'claimed', '2025-03-06T14:30:01.000Z', { escalation: 1, repId: 'lee', timeToClaimMs: 1_800_000 }),
  d.event('esc-1/feedback', 'feedback', '2025-03-06T15:00:00.000Z', { escalation: 1, verdict: 'not_needed', repId: 'lee' }),
  d.event('closed', 'closed', '2025-03-07T10:00:00.000Z', { escalation: 1, outcome: 'disqualified' }),

  // E: the rules said no; a rep triggered it by hand (a missed technical escalation); claimed, confirmed.
  e.reply('2025-03-07T10:00:00.000Z', 'Our security team wants to see your SOC 2 report before we go further.', ['none'], []),
  e.event('manual', 'manual_trigger', '2025-03-07T11:00:00.000Z', { trigger: 'technical', rulesSaidNo: true, repId: 'dana', note: 'security review' }),
  e.event('esc-1/escalated', 'escalated', '2025-03-07T11:00:01.000Z', { escalation: 1, reason: 'manual', trigger: 'technical', tier: 1, rulesFired: [] }),
  e.event('esc-1/rung-1/alerted/dana/slack', 'alerted', '2025-03-07T11:00:11.000Z', { escalation: 1, tier: 1, repId: 'dana', channel: 'slack', replyToAlertMs: 10_000 }),
  e.event('esc-1/claimed', 'claimed', '2025-03-07T11:05:01.000Z', { escalation: 1, repId: 'dana', timeToClaimMs: 300_000 }),
  e.event('esc-1/feedback', 'feedback', '2025-03-07T11:30:00.000Z', { escalation: 1, verdict: 'needed', repId: 'dana' }),

  // F: before the window; its claim falls inside the window but belongs to the old escalation.
  f.reply('2025-03-01T09:00:00.000Z', 'How much is it?', ['pricing'], ['pricing.how-much']),
  f.event('esc-1/escalated', 'escalated', '2025-03-01T09:00:01.000Z', { escalation: 1, reason: 'pricing', trigger: 'pricing', tier: 1, rulesFired: ['pricing.how-much'], messageId: 'msg-f1' }),
  f.event('esc-1/claimed', 'claimed', '2025-03-03T13:00:00.000Z', { escalation: 1, repId: 'lee', timeToClaimMs: 187_199_000 }),

  // G: pricing out of idle curiosity: claimed quickly, not needed; the prospect then opted out.
  g.reply('2025-03-08T16:00:00.000Z', 'Just curious what the price is, no need to call.', ['pricing'], ['pricing.how-much']),
  g.event('esc-1/escalated', 'escalated', '2025-03-08T16:00:02.000Z', { escalation: 1, reason: 'pricing', trigger: 'pricing', tier: 1, rulesFired: ['pricing.how-much'], messageId: 'msg-g1' }),
  g.event('esc-1/rung-1/alerted/kim/slack', 'alerted', '2025-03-08T16:00:42.000Z', { escalation: 1, tier: 1, repId: 'kim', channel: 'slack', replyToAlertMs: 40_000 }),
  g.event('esc-1/claimed', 'claimed', '2025-03-08T16:02:02.000Z', { escalation: 1, repId: 'kim', timeToClaimMs: 120_000 }),
  g.event('esc-1/feedback', 'feedback', '2025-03-08T16:10:00.000Z', { escalation: 1, verdict: 'not_needed', repId: 'kim' }),
  g.event('opted_out', 'opted_out', '2025-03-09T09:00:00.000Z', { outcome: 'opted_out' }),

  // H: an out-of-office auto-reply; I: a reply recorded without its text.
  h.reply('2025-03-08T17:00:00.000Z', 'I am out of the office until Monday.', ['out_of_office'], ['ooo']),
  i.reply('2025-03-09T08:00:00.000Z', undefined, ['none'], []),
];
