import assert from 'node:assert/strict';
import path from 'node:path';
import { afterEach, beforeEach, describe, test } from 'node:test';
import type { WorkflowHandle } from '@temporalio/client';
import { defaultPayloadConverter } from '@temporalio/common';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { FirstStepOutcome, ResearchedMessage, StepOutcome } from '../../activities/outreach';
import type { ComposedMessage } from '../../src/outreach/composer';
import { conversationWorkflow } from '../../workflows/conversation';
import { conversationWorkflowId } from '../../workflows/messages';
import { createConversationRig, waitForState } from '../helpers/conversation';
import { prospect } from '../helpers/prospect';
import { createTimeSkippingEnv } from '../helpers/temporal';

const EXAMPLE_CONFIG = path.resolve(__dirname, '..', '..', 'examples', 'handoff.yaml');
const FIRST_POINT = 'Teams stop copying contacts by hand between their CRM and their help desk.';

/**
 * The messages the conversation's history records as composed (unencrypted here): by `composeMessage`, with the
 * research by `sendFirstStep` (or `researchAndCompose` before it) for the first step, or with the send by
 * `composeAndSendStep` for a later one.
 */
async function composedInHistory(handle: WorkflowHandle): Promise<ComposedMessage[]> {
  const { events } = await handle.fetchHistory();
  const composing = new Map<string, string>();
  const results: ComposedMessage[] = [];
  for (const event of events ?? []) {
    const scheduled = event.activityTaskScheduledEventAttributes?.activityType?.name;
    if (scheduled === 'composeMessage' || scheduled === 'researchAndCompose' || scheduled === 'sendFirstStep' || scheduled === 'composeAndSendStep') composing.set(String(event.eventId), scheduled);
    const completed = event.activityTaskCompletedEventAttributes;
    const payload = completed?.result?.payloads?.[0];
    const kind = completed ? composing.get(String(completed.scheduledEventId)) : undefined;
    if (!payload || !kind) continue;
    results.push(kind === 'composeMessage' ? defaultPayloadConverter.fromPayload<ComposedMessage>(payload) : defaultPayloadConverter.fromPayload<ResearchedMessage | FirstStepOutcome | StepOutcome>(payload).message);
  }
  return results;
}

describe("a conversation for a campaign, in the campaign's words", () => {
  let env: TestWorkflowEnvironment;
  beforeEach(async () => {
    env = await createTimeSkippingEnv();
  });
  afterEach(async () => {
    await env?.teardown();
  });

  test("the first touch says the campaign's talking point from its template, and the history records how it was written", async () => {
    const rig = await createConversationRig(env, { configEnv: { HANDOFF_CONFIG: EXAMPLE_CONFIG } });
    await rig.worker.runUntil(async () => {
      const full = await rig.start({ prospect: prospect('words-1'), campaign: 'spring-launch' });
      const short = await env.client.workflow.start(conversationWorkflow, {
        workflowId: conversationWorkflowId('words-2'),
        taskQueue: rig.taskQueue,
        args: [{ prospect: prospect('words-2'), campaign: 'spring-launch' }],
      });
      await waitForState(full, (s) => s.sent.length === 1, 'the first touch');
      await waitForState(short, (s) => s.sent.length === 1, 'the first touch of the short start');
      const sent = await rig.sent();
      assert.deepEqual(sent.map((m) => m.subject).sort(), ['Buyer Co and Acme Sync', 'Buyer Co and Acme Sync']);
      for (const message of sent) {
        assert.ok(message.body.includes(FIRST_POINT), 'the talking point');
        assert.ok(message.body.includes('Acme Sync keeps customer records in step'), 'the value proposition');
        assert.equal(message.from.name, 'Priya from Acme');
      }
      const [composed] = await composedInHistory(full);
      assert.deepEqual(composed?.drafting, {
        outcome: 'template',
        reason: 'no model configured',
        template: path.resolve(path.dirname(EXAMPLE_CONFIG), 'campaigns', 'spring-launch', 'first_touch.md'),
        campaign: 'spring-launch',
        inputs: { prospectId: 'words-1', step: 'First touch', fields: [] },
      });
    });
  });
});
