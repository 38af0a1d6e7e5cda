import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { MockActivityEnvironment } from '@temporalio/testing';
import { createReadAndRoute, type ReadAndRouteInput, type ReadAndRouteResult } from '../../../activities/readAndRoute';
import type { RouteDecision, RouteInTask, RouteRequest } from '../../../activities/routing';
import type { ReplyClassification } from '../../../workflows/messages';

const verdictOf = (labels: string[], trigger: ReplyClassification['trigger'], extra: Partial<ReplyClassification> = {}): ReplyClassification =>
  ({
    labels,
    escalate: trigger !== null,
    trigger,
    evidence: [],
    returnDate: null,
    snoozeUntil: null,
    autoReply: false,
    rulesVersion: 'sha256:test',
    modelVersion: null,
    decidedBy: {},
    ...extra,
  }) as ReplyClassification;

const input: ReadAndRouteInput = {
  reply: { text: 'What would 40 seats cost?', receivedAt: '2026-12-04T10:00:00.000Z' },
  firstRung: {
    conversationId: 'prospect-1',
    prospect: { email: 'robin@vega.example', company: 'Vega Labs' },
    at: '2026-12-04T10:00:01.000Z',
    offHours: { pricing: 'follow_the_sun', technical: 'hold' },
  },
};

const decided: RouteInTask = { decision: { assignees: [{ repId: 'ana', name: 'Ana', channels: ['email'] }] } as unknown as RouteDecision };

function readerWith(verdict: ReplyClassification, route: (req: RouteRequest) => Promise<RouteInTask>, routeWithinMs?: number) {
  const asked: RouteRequest[] = [];
  const activity = createReadAndRoute({
    classifyReply: async () => verdict,
    routeWithoutWaiting: (req) => {
      asked.push(req);
      return route(req);
    },
    ...(routeWithinMs !== undefined ? { routeWithinMs } : {}),
  });
  // Run as the worker runs it, in an activity context (its warnings go to the activity's logger).
  const readAndRoute = (request: ReadAndRouteInput): Promise<ReadAndRouteResult> => new MockActivityEnvironment().run(activity.readAndRoute, request);
  return { readAndRoute, asked };
}

describe('reading a reply and routing the escalation it opens, in one step', () => {
  test('a pricing reply is routed at tier 1 for pricing, with the conversation’s off-hours policy for pricing', async () => {
    const { readAndRoute, asked } = readerWith(verdictOf(['pricing'], 'pricing'), async () => decided);
    const result = await readAndRoute(input);
    assert.equal(result.verdict.trigger, 'pricing');
    assert.deepEqual(asked, [
      {
        conversationId: 'prospect-1',
        prospect: { email: 'robin@vega.example', company: 'Vega Labs' },
        at: '2026-12-04T10:00:01.000Z',
        reason: 'pricing',
        trigger: 'pricing',
        tier: 1,
        alreadyAsked: [],
        offHours: 'follow_the_sun',
      },
    ]);
    assert.deepEqual(result.routed, { request: asked[0], answer: decided });
  });

  test('a reply that opens no escalation, or opts out as it asks, is read and not routed', async () => {
    for (const verdict of [
      verdictOf(['interested'], null),
      verdictOf(['opt_out', 'human_request'], 'human_request'),
      verdictOf([], null, { escalate: true, fallback: 'time_limit' }),
    ]) {
      const { readAndRoute, asked } = readerWith(verdict, async () => decided);
      const result = await readAndRoute(input);
      assert.equal(result.verdict, verdict);
      assert.equal(result.routed, undefined, `no routing for ${verdict.labels.join(', ') || 'an unread reply'}`);
      assert.equal(asked.length, 0);
    }
  });

  test('a routing that fails leaves the rung to the routing activity, and the reading stands', async () => {
    const { readAndRoute } = readerWith(verdictOf(['technical'], 'technical'), async () => {
      throw new Error('the ledger is unreachable');
    });
    const result = await readAndRoute(input);
    assert.equal(result.verdict.trigger, 'technical');
    assert.deepEqual(result.routed?.answer, { deferred: 'routing in the workflow task failed' });
    assert.equal(result.routed?.request.offHours, 'hold');
  });

  test('a routing slower than its limit leaves the rung to the routing activity', async () => {
    const { readAndRoute } = readerWith(verdictOf(['buying_intent'], 'buying_intent'), () => new Promise<RouteInTask>((resolve) => setTimeout(() => resolve(decided), 500)), 20);
    const result = await readAndRoute(input);
    assert.deepEqual(result.routed?.answer, { deferred: 'routing in the workflow task took too long' });
    assert.equal(result.routed?.request.offHours, undefined, 'no off-hours policy of its own for buying intent');
  });

  test('a routing deferred for want of a turn hands on the turns it took', async () => {
    const deferred: RouteInTask = { deferred: 'no round-robin turn in hand', turnsTaken: { 'team:emea': 7 } };
    const { readAndRoute } = readerWith(verdictOf(['human_request'], 'human_request'), async () => deferred);
    assert.deepEqual((await readAndRoute(input)).routed?.answer, deferred);
  });
});
