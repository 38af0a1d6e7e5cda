import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { Client, type WorkflowHandle } from '@temporalio/client';
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { generateApiKey, hashApiKey } from '../../src/api/auth';
import { buildApi } from '../../src/api/server';
import { startConversation } from '../../src/conversations';
import { ENCRYPTED_ENCODING, KEY_ID_METADATA_KEY } from '../../src/temporal/codec';
import { claimUpdate, replySignal, stateQuery } from '../../workflows/messages';
import { repActor } from '../helpers/actor';
import { createConversationRig, waitForAlerts, waitForState, workflowBundle, type ConversationRig } from '../helpers/conversation';
import { prospect } from '../helpers/prospect';
import { createDevServerEnv, testPayloadCodec } from '../helpers/temporal';

type History = Awaited<ReturnType<WorkflowHandle['fetchHistory']>>;

/** Every payload in a history with where it sits, e.g. `events.0.workflowExecutionStartedEventAttributes.input.payloads.0`. */
function payloadsIn(value: unknown, at = ''): { at: string; payload: Payload }[] {
  if (value === null || typeof value !== 'object' || value instanceof Uint8Array) return [];
  const record = value as Record<string, unknown>;
  if (record.metadata && typeof record.metadata === 'object' && 'data' in record) return [{ at, payload: record as Payload }];
  return Object.entries(record).flatMap(([key, child]) => payloadsIn(child, at ? `${at}.${key}` : key));
}

/** Every byte and string a history holds, as one buffer: what the server stores, as far as reading it goes. */
function storedBytes(value: unknown): Buffer {
  const parts: Buffer[] = [];
  const walk = (v: unknown): void => {
    if (typeof v === 'string') parts.push(Buffer.from(v));
    else if (v instanceof Uint8Array) parts.push(Buffer.from(v));
    else if (v && typeof v === 'object') Object.values(v).forEach(walk);
  };
  walk(value);
  return Buffer.concat(parts);
}

const encoding = (p: Payload) => Buffer.from(p.metadata?.encoding ?? []).toString();
const REPLY = 'Quick one from Jordan: what does it cost per seat for 40 seats on the annual plan?';
const REFUSAL = '452 mailbox full, try again later:';

describe('payloads in Temporal history', () => {
  let env: TestWorkflowEnvironment;
  let rig: ConversationRig;
  let running: Promise<void>;
  let handle: WorkflowHandle;
  let history: History;
  const person = prospect('sealed-1', { name: 'Marguerite Okonkwo-Hale', email: 'marguerite.okonkwo@sealed-buyer.example', company: 'Sealed Buyer GmbH' });

  before(async () => {
    env = await createDevServerEnv();
    // The first send fails quoting the address, as a mail server's refusal does; the retry succeeds.
    let refused = false;
    rig = await createConversationRig(env, {
      wrapSender: (inner) => ({
        messageIdFor: (message) => inner.messageIdFor(message),
        send: async (message) => {
          if (refused) return inner.send(message);
          refused = true;
          throw new Error(`${REFUSAL} <${person.email}>`);
        },
      }),
    });
    running = rig.worker.run();
    ({ handle } = await startConversation(env.client, rig.config, { prospect: person }));
    await waitForState(handle, (s) => s.sent.length === 1, 'the first touch');
    await handle.signal(replySignal, { messageId: 'sealed-reply-1', channel: 'email', text: REPLY, receivedAt: new Date().toISOString() });
    const state = await waitForAlerts(handle, 'the tier-1 alert');
    const rep = state.ladder[0]!.assignees[0]!.repId;
    await handle.executeUpdate(claimUpdate, { args: [{ repId: rep, actor: repActor(rep) }] });
    await waitForState(handle, (s) => s.stage === 'claimed', 'the claim');
    // Read as someone with access to the server but not the keys would: a client without the codec.
    const raw = new Client({ connection: env.connection, namespace: env.namespace ?? 'default' });
    history = await raw.workflow.getHandle(handle.workflowId).fetchHistory();
  });
  after(async () => {
    rig?.worker.shutdown();
    await running;
    await env?.teardown();
  });

  test('hold no prospect name, email, reply text or packet anywhere in the stored bytes', () => {
    const stored = storedBytes(history);
    assert.ok(stored.length > 10_000, `the history is the whole conversation (${stored.length} bytes)`);
    for (const secret of [person.email, person.name, 'per seat for 40 seats', 'Okonkwo', 'VP Revenue Operations', REFUSAL]) {
      assert.ok(!stored.includes(secret), `"${secret}" is not stored in plaintext`);
    }
    assert.ok(stored.includes('Sealed Buyer GmbH'), 'the company stays readable in the HandoffCompany search attribute');
  });

  test('are all encrypted with the current key, inputs, signals, updates, activity results and summaries alike, search attributes and markers\' own bookkeeping aside', () => {
    const all = payloadsIn(history);
    const searchable = all.filter(({ at }) => /searchAttributes/.test(at));
    // Patch markers (the patch's name) are written by the SDK's core, never through the codec.
    // So is a local activity's marker data (its sequence number, type, attempt and times); its result is sealed.
    const markerData = all.filter(({ at }) => /markerRecordedEventAttributes\.details\.(patch-data|data)\./.test(at));
    const sealed = all.filter((p) => !searchable.includes(p) && !markerData.includes(p));
    assert.ok(searchable.length > 0, 'the search attributes are there, as plain payloads');
    const kinds = (pattern: RegExp) => sealed.filter(({ at }) => pattern.test(at)).length;
    assert.ok(kinds(/workflowExecutionStartedEventAttributes\.input/) > 0, 'the workflow input');
    assert.ok(kinds(/workflowExecutionSignaledEventAttributes\.input/) > 0, 'the reply signal');
    assert.ok(kinds(/workflowExecutionUpdateAcceptedEventAttributes\.acceptedRequest\.input\.args/) > 0, 'the claim update');
    assert.ok(kinds(/activityTaskCompletedEventAttributes\.result/) > 0, 'activity results');
    assert.ok(kinds(/markerRecordedEventAttributes\.details\.result/) > 0, 'local activity results (the reply\'s verdict)');
    assert.ok(kinds(/userMetadata\.summary/) > 1, 'the workflow\'s and the activities\' summaries');
    assert.ok(kinds(/userMetadata\.details/) > 0, 'the workflow\'s details');
    assert.ok(kinds(/activityTaskStartedEventAttributes\.lastFailure\.encodedAttributes/) > 0, 'the refused first send\'s error message');
    const plain = sealed.filter(({ payload }) => encoding(payload) !== ENCRYPTED_ENCODING).map(({ at }) => at);
    assert.deepEqual(plain, [], 'no payload outside the search attributes is stored unencrypted');
    const keyIds = new Set(sealed.map(({ payload }) => Buffer.from(payload.metadata![KEY_ID_METADATA_KEY]!).toString()));
    assert.deepEqual([...keyIds], ['test']);
  });

  test('read in plaintext through the codec: the input, the summary, the details, a failure\'s message and the state', async () => {
    const started = history.events![0]!.workflowExecutionStartedEventAttributes!;
    const [input] = await testPayloadCodec.decode(started.input!.payloads as Payload[]);
    const decoded = defaultPayloadConverter.fromPayload<{ prospect: { email: string } }>(input!);
    assert.equal(decoded.prospect.email, person.email);

    const description = await handle.describe();
    assert.equal(await description.staticSummary(), `Conversation with ${person.name} (${person.company})`);
    assert.match((await description.staticDetails()) ?? '', new RegExp(person.email.replace(/\./g, '\\.')));
    const retried = history.events!.find((e) => e.activityTaskStartedEventAttributes?.lastFailure)!.activityTaskStartedEventAttributes!.lastFailure!;
    assert.equal(retried.message, 'Encoded failure');
    const [attributes] = await testPayloadCodec.decode([retried.encodedAttributes as Payload]);
    assert.equal(defaultPayloadConverter.fromPayload<{ message: string }>(attributes!).message, `${REFUSAL} <${person.email}>`);
    const state = await handle.query(stateQuery);
    assert.ok(state.thread.some((m) => m.text === REPLY), 'the state query answers in plaintext');
  });

  test('replay on the worker with the codec, and cannot be replayed without it', async () => {
    const bundle = await workflowBundle();
    await Worker.runReplayHistory({ workflowBundle: bundle, dataConverter: env.options.client.dataConverter }, history, handle.workflowId);
    await assert.rejects(Worker.runReplayHistory({ workflowBundle: bundle }, history, handle.workflowId), /Unknown encoding: binary\/encrypted/);
  });

  test('decode through the API\'s codec endpoint for a signed-in rep, over HTTP', async () => {
    const token = generateApiKey();
    const api = buildApi({ client: env.client, config: rig.config, keys: [{ id: 'rep-1', hash: hashApiKey(token), scopes: ['rep'] }], claimSecret: 'e2e-claim-secret-0123456789abcdefgh', payloadCodec: testPayloadCodec });
    await api.listen({ host: '127.0.0.1', port: 0 });
    try {
      const url = `http://127.0.0.1:${(api.server.address() as AddressInfo).port}/codec/decode`;
      const signal = history.events!.find((e) => e.workflowExecutionSignaledEventAttributes)!.workflowExecutionSignaledEventAttributes!;
      const body = JSON.stringify({
        payloads: (signal.input!.payloads as Payload[]).map((p) => ({
          metadata: Object.fromEntries(Object.entries(p.metadata!).map(([k, v]) => [k, Buffer.from(v).toString('base64')])),
          data: Buffer.from(p.data!).toString('base64'),
        })),
      });
      const refused = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      assert.equal(refused.status, 401);
      const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-namespace': 'default', authorization: `Bearer ${token}` }, body });
      assert.equal(res.status, 200);
      const [reply] = ((await res.json()) as { payloads: { data: string }[] }).payloads;
      assert.equal((JSON.parse(Buffer.from(reply!.data, 'base64').toString()) as { text: string }).text, REPLY);
    } finally {
      await api.close();
    }
  });
});
