import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { WorkflowNotFoundError } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { FastifyInstance } from 'fastify';
import { hashApiKey, type ApiKey } from '../../src/api/auth';
import { buildApi } from '../../src/api/server';
import { hashEmail } from '../../src/ledger/suppression';
import { conversationInput } from '../../src/conversations';
import { conversationWorkflow } from '../../workflows/conversation';
import { conversationWorkflowId, replySignal, stateQuery } from '../../workflows/messages';
import { createConversationRig, waitForAlerts, waitForState, type ConversationRig } from '../helpers/conversation';
import { eventually } from '../helpers/eventually';
import { prospect } from '../helpers/prospect';
import { createDevServerEnv } from '../helpers/temporal';

const TOOL = 'tool-token-0123456789';
const ADMIN = 'admin-token-0123456789';
const keys: ApiKey[] = [
  { id: 'outreach-tool', hash: hashApiKey(TOOL), scopes: ['tool'] },
  { id: 'ops', hash: hashApiKey(ADMIN), scopes: ['admin'] },
];
const bin = path.resolve(__dirname, '..', '..', 'bin', 'handoff.cjs');
// Temporal deletes a run in the background; on a busy dev server that takes tens of seconds.
const DELETION_WAIT_MS = 90_000;

describe('suppression and erasure on the dev server', () => {
  let env: TestWorkflowEnvironment;
  let rig: ConversationRig;
  let running: Promise<void>;
  let api: FastifyInstance;
  let apiUrl: string;

  before(async () => {
    env = await createDevServerEnv();
    rig = await createConversationRig(env);
    running = rig.worker.run();
    api = buildApi({ client: env.client, config: rig.config, keys, claimSecret: rig.deps.alerts.claimSecret, ledger: rig.ledger });
    apiUrl = await api.listen({ host: '127.0.0.1', port: 0 });
  });
  after(async () => {
    await api?.close();
    rig?.worker.shutdown();
    await running;
    await env?.teardown();
  });

  const call = (method: 'GET' | 'POST' | 'DELETE', url: string, token: string, body?: unknown) =>
    api.inject({
      method,
      url,
      headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(body !== undefined ? { payload: JSON.stringify(body) } : {}),
    });
  const reply = (id: string, messageId: string, text: string) =>
    call('POST', `/v1/conversations/${id}/replies`, TOOL, { messageId, channel: 'email', text, receivedAt: new Date().toISOString() });
  /** Runs the CLI against the in-process API (asynchronously: the API answers on this process's event loop). */
  const handoff = (...args: string[]) =>
    new Promise<{ status: number; stdout: string; stderr: string }>((resolve) => {
      execFile(
        process.execPath,
        [bin, ...args],
        { env: { ...process.env, HANDOFF_API_URL: apiUrl, HANDOFF_API_KEY: ADMIN, HANDOFF_DATA_DIR: rig.dataDir }, encoding: 'utf8', timeout: 120_000 },
        (err, stdout, stderr) => resolve({ status: err ? Number((err as { code?: unknown }).code ?? 1) : 0, stdout, stderr }),
      );
    });
  const deleteRun = (workflowId: string, runId: string) =>
    env.client.workflowService.deleteWorkflowExecution({ namespace: env.client.options.namespace, workflowExecution: { workflowId, runId } });
  const gone = (workflowId: string) =>
    eventually(
      () => env.client.workflow.getHandle(workflowId).describe().then(() => false, (err: unknown) => err instanceof WorkflowNotFoundError),
      `${workflowId} to be deleted`,
      DELETION_WAIT_MS,
    );
  /** Every line of every journal in the data directory. */
  const journalText = async () => {
    const files = (await readdir(rig.dataDir)).filter((f) => f.endsWith('.jsonl'));
    return (await Promise.all(files.map((f) => readFile(path.join(rig.dataDir, f), 'utf8')))).join('\n');
  };

  test('an opt-out outlives its conversation: with the workflow deleted, the prospect is still refused', async () => {
    const who = prospect('forever-1', { email: 'Forever.One@Buyer.example' });
    assert.equal((await call('POST', '/v1/conversations', TOOL, { prospect: who })).statusCode, 201);
    const handle = env.client.workflow.getHandle('prospect-forever-1');
    await waitForState(handle, (s) => s.sent.length === 1, 'the first touch');
    assert.equal((await reply('forever-1', 'f-1', 'Please remove me from your list. Unsubscribe.')).statusCode, 202);
    assert.equal(((await handle.result()) as { stage: string }).stage, 'opted_out');

    const entry = await rig.ledger.suppressions.match('forever.one@buyer.example');
    assert.deepEqual([entry?.kind, entry?.source, entry?.prospectId], ['email', 'opt_out', 'forever-1']);

    await deleteRun('prospect-forever-1', (await handle.describe()).runId);
    await gone('prospect-forever-1');
    const again = await call('POST', '/v1/conversations', TOOL, { prospect: who });
    assert.equal(again.statusCode, 409);
    assert.equal(again.json().error.code, 'suppressed');
    assert.equal(again.json().error.details.source, 'opt_out');
    await assert.rejects(handle.describe(), WorkflowNotFoundError, 'nothing was started');
  });

  test('a send to an address suppressed after the conversation started is refused, and the conversation ends as opted out', async () => {
    // Started straight on Temporal, as a conversation started before its domain was listed would have been.
    assert.equal((await call('POST', '/v1/suppressions', TOOL, { domain: 'late-listed.example', reason: 'customer asked' })).statusCode, 201);
    const handle = await rig.start({ prospect: prospect('late-1', { email: 'sam@eu.late-listed.example' }) });
    const result = await handle.result();
    assert.deepEqual([result.stage, result.outcome], ['opted_out', null]);
    assert.equal((await rig.sent()).filter((m) => m.conversationId === 'prospect-late-1').length, 0, 'nothing was sent');
    const [optedOut] = await rig.ledger.query({ conversationId: 'prospect-late-1', kinds: ['opted_out'] });
    assert.equal(optedOut?.suppressed, true);
    const failed = (await handle.fetchHistory()).events?.filter((e) => e.activityTaskFailedEventAttributes) ?? [];
    assert.equal(failed.length, 1, 'one attempt, never retried');
    assert.equal(failed[0]!.activityTaskFailedEventAttributes!.failure?.applicationFailureInfo?.type, 'AddressSuppressed');
    assert.equal(failed[0]!.activityTaskFailedEventAttributes!.failure?.applicationFailureInfo?.nonRetryable, true);
  });

  test('a suppressed buyer who asks for a person gets no automated acknowledgement, and a rep is still alerted', async () => {
    // The address is on the list when the conversation starts (a start through the Temporal client is not checked),
    // and the reply is in the inbox before the first touch would go out.
    await rig.ledger.suppressions.add({ email: 'kim@quiet.example', source: 'manual' });
    const handle = await rig.client.workflow.signalWithStart(conversationWorkflow, {
      workflowId: conversationWorkflowId('late-2'),
      taskQueue: rig.taskQueue,
      args: [conversationInput(rig.config, { prospect: prospect('late-2', { email: 'kim@quiet.example' }) })],
      signal: replySignal,
      signalArgs: [{ messageId: 'q-1', channel: 'email', text: 'Can I talk to a real person about this?', receivedAt: new Date().toISOString() }],
    });
    const state = await waitForAlerts(handle, 'the rep alerted');
    assert.equal(state.stage, 'escalated');
    await eventually(async () => (await handle.fetchHistory()).events?.some((e) => e.activityTaskFailedEventAttributes), 'the refused acknowledgement');
    assert.equal((await handle.query(stateQuery)).stage, 'escalated');
    assert.equal((await rig.sent()).filter((m) => m.conversationId === 'prospect-late-2').length, 0);
    assert.equal((await handle.query(stateQuery)).escalations[0]?.acknowledgedAt, undefined);
  });

  test('erasing a prospect deletes every run, cleans the ledger and the journals, and keeps only a hash of the address', async () => {
    const email = 'Erin.Erase@Buyer.example';
    const who = prospect('erase-1', { email });
    const keeper = await rig.start({ prospect: prospect('keep-1') });
    await waitForState(keeper, (s) => s.sent.length === 1, 'the other prospect\'s first touch');

    // Two runs: the first ended by hand, the second escalated by a pricing question.
    const first = await rig.start({ prospect: who });
    await waitForState(first, (s) => s.sent.length === 1, 'the first touch');
    await reply('erase-1', 'e-1', 'Erin here: our budget is tight, what does it cost for 12 seats?');
    await waitForAlerts(first, 'tier 1 alerted');
    await first.terminate('test: a second run follows');
    const second = await rig.start({ prospect: who });
    await waitForState(second, (s) => s.sent.length === 1, 'the second run\'s first touch');
    await reply('erase-1', 'e-2', 'Erin again: is there a discount for nonprofits? Call me on 555-0100.');
    await waitForAlerts(second, 'tier 1 alerted on the second run');
    await rig.ledger.suppressions.add({ email, source: 'opt_out', prospectId: 'erase-1' });
    // Another journal, and another conversation's line that quotes the address.
    await writeFile(path.join(rig.dataDir, 'inbound.jsonl'), `${JSON.stringify({ conversationId: 'prospect-keep-1', text: `forwarded by ${email}` })}\n`);
    // Activities still in flight when a run is terminated can write after it; this test erases once they are done.
    await eventually(async () => (await rig.ledger.query({ conversationId: 'prospect-erase-1', kinds: ['reply_classified'] })).length === 2, 'both replies in the ledger');
    await eventually(async () => (await readFile(path.join(rig.dataDir, 'crm.jsonl'), 'utf8')).includes('prospect-erase-1/reply-e-2'), 'the second reply\'s CRM touch');

    const erased = await handoff('prospect', 'erase', 'erase-1', '--json');
    assert.equal(erased.status, 0, erased.stderr);
    const result = (JSON.parse(erased.stdout) as { erased: Record<string, Record<string, unknown>> }).erased;
    assert.deepEqual(result.workflows, { runs: 2, terminated: 1, deleted: 2 });
    assert.ok((result.ledger!.eventsRedacted as number) >= 2, JSON.stringify(result.ledger));
    assert.equal(result.ledger!.addressesHashed, 1);
    // The second run's first touch and alert share the first run's idempotency keys: the journals hold them once.
    assert.ok((result.journals!['sent.jsonl'] as { removed: number }).removed >= 1);
    assert.ok((result.journals!['outbox.jsonl'] as { removed: number }).removed >= 1);
    assert.ok((result.journals!['crm.jsonl'] as { removed: number }).removed >= 3);
    assert.deepEqual(result.journals!['inbound.jsonl'], { removed: 0, redacted: 1 });

    await gone('prospect-erase-1');
    await eventually(async () => {
      const runs = [];
      for await (const wf of env.client.workflow.list({ query: 'WorkflowId = "prospect-erase-1"' })) runs.push(wf.runId);
      return runs.length === 0;
    }, 'visibility to forget every run', DELETION_WAIT_MS);

    const journals = await journalText();
    assert.doesNotMatch(journals, /erin\.erase@buyer\.example/i);
    assert.doesNotMatch(journals, /prospect-erase-1|budget is tight|nonprofits/);
    assert.match(journals, /prospect-keep-1/, 'other prospects\' lines stay');
    assert.match(journals, /forwarded by \[erased\]/);

    const events = await rig.ledger.query({ conversationId: 'prospect-erase-1' });
    assert.ok(events.some((e) => e.kind === 'escalated') && events.some((e) => e.kind === 'alerted'), 'the figures stay');
    assert.doesNotMatch(JSON.stringify(events), /budget is tight|nonprofits|555-0100|erin\.erase/i);
    assert.ok(events.filter((e) => e.kind === 'reply_classified').every((e) => e.redacted && e.text === undefined));

    const { entries } = await rig.ledger.suppressions.list({ limit: 1000 });
    assert.ok(entries.some((e) => e.kind === 'email_hash' && e.value === hashEmail(email)));
    assert.doesNotMatch(JSON.stringify(entries), /erin\.erase/i);
    const refused = await call('POST', '/v1/conversations', TOOL, { prospect: who });
    assert.equal(refused.statusCode, 409, 'the hash alone still refuses the prospect');

    const listed = await handoff('suppress', 'list');
    assert.equal(listed.status, 0, listed.stderr);
    assert.match(listed.stdout, new RegExp(hashEmail(email).slice(0, 20)));
  });

  test('the suppress command adds an address or a domain and lists them; bad input names what is wrong', async () => {
    const address = await handoff('suppress', 'add', 'Pat@Example.org', '--reason', 'asked at a trade fair');
    assert.equal(address.status, 0, address.stderr);
    assert.match(address.stdout, /suppressed pat@example\.org/);
    const domain = await handoff('suppress', 'add', '@rival.example', '--json');
    assert.equal(domain.status, 0, domain.stderr);
    assert.equal((JSON.parse(domain.stdout) as { suppression: { domain: string } }).suppression.domain, 'rival.example');
    const bad = await handoff('suppress', 'add', 'not-an-address');
    assert.equal(bad.status, 1);
    assert.match(bad.stderr, /body\.email: not an email address/);
    const listed = await handoff('suppress', 'list', '--json');
    const entries = (JSON.parse(listed.stdout) as { suppressions: { email?: string; domain?: string; reason: string }[] }).suppressions;
    assert.equal(entries.find((e) => e.email === 'pat@example.org')?.reason, 'asked at a trade fair');
    assert.ok(entries.some((e) => e.domain === 'rival.example'));
    const table = await handoff('suppress', 'list');
    assert.match(table.stdout, /ENTRY\s+SOURCE\s+REASON/);
  });
});
