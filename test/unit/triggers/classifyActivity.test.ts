import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { MockActivityEnvironment } from '@temporalio/testing';
import { createClassifyActivities } from '../../../activities/classify';
import { ClassificationFailedError, loadRuleSet } from '../../../src/triggers';
import { loadLearnedReader } from '../../../src/triggers/learned/reader';
import { ChatCompletionsModel } from '../../../src/triggers/model';
import type { ReplyClassification } from '../../../workflows/messages';

const receivedAt = '2026-03-02T09:00:00Z';
const readers = { rules: loadRuleSet(), learned: loadLearnedReader() };

/** An OpenAI-compatible endpoint on loopback: answers with `labels`, after `delayMs`. */
function endpointServer(): { server: Server; answer: { labels: string[]; delayMs: number }; bodies: string[] } {
  const answer = { labels: ['pricing'], delayMs: 0 };
  const bodies: string[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      bodies.push(body);
      setTimeout(() => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ choices: [{ message: { content: JSON.stringify({ labels: answer.labels }) } }] }));
      }, answer.delayMs);
    });
  });
  return { server, answer, bodies };
}

describe('the classify activity with a model endpoint', () => {
  const peer = endpointServer();
  let url = '';
  before(async () => {
    await new Promise<void>((resolve) => peer.server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(peer.server.address() as AddressInfo).port}/v1`;
  });
  after(() => new Promise<void>((resolve) => peer.server.close(() => resolve())));

  const activity = (timeoutMs = 2000) =>
    createClassifyActivities({ readers: async () => readers, endpoint: new ChatCompletionsModel({ url, model: 'local', timeoutMs }) }).classifyReply;

  test('the endpoint adds a label the readers missed, marked as its own, and sees only the prospect’s words', async () => {
    peer.answer.labels = ['pricing'];
    peer.answer.delayMs = 0;
    const text = 'Thanks for the note.\n\nOn Mon, 2 Mar 2026 at 09:00, Sam <sam@example.com> wrote:\n> Our plans start at $30 a seat.';
    const verdict = (await new MockActivityEnvironment().run(activity(), { text, receivedAt })) as ReplyClassification;
    assert.ok(verdict.labels.includes('pricing'));
    assert.equal(verdict.escalate, true);
    assert.equal(verdict.decidedBy?.pricing, 'endpoint');
    assert.deepEqual(verdict.endpoint, { name: 'local', used: true, added: ['pricing'] });
    assert.equal(verdict.modelVersion, readers.learned.version);
    assert.ok(!peer.bodies.at(-1)!.includes('$30 a seat'), 'the quoted thread is not sent to the endpoint');
  });

  test('an endpoint that answers too late is recorded as not used, and the readers decide alone', async () => {
    peer.answer.labels = ['pricing'];
    peer.answer.delayMs = 1500;
    const verdict = (await new MockActivityEnvironment().run(activity(200), { text: 'Thanks for the note.', receivedAt })) as ReplyClassification;
    assert.ok(!verdict.labels.includes('pricing'));
    assert.equal(verdict.endpoint?.used, false);
    assert.match(verdict.endpoint?.error ?? '', /timed out after 200 ms/);
  });

  test('the endpoint never makes an auto-reply escalate', async () => {
    peer.answer.labels = ['buying_intent', 'pricing'];
    peer.answer.delayMs = 0;
    const verdict = (await new MockActivityEnvironment().run(activity(), {
      text: 'I am out of the office until Monday 9 March with limited access to email.',
      receivedAt,
    })) as ReplyClassification;
    assert.equal(verdict.autoReply, true);
    assert.equal(verdict.escalate, false);
  });
});

describe('the classify activity on a reply whose headers say a machine wrote it', () => {
  const { classifyReply } = createClassifyActivities({ readers: async () => readers });
  const text = 'Can I talk to a person about pricing for 40 seats?';

  test('the same words escalate from a person and never from an auto-submitted message', async () => {
    const fromPerson = (await new MockActivityEnvironment().run(classifyReply, { text, receivedAt })) as ReplyClassification;
    assert.equal(fromPerson.escalate, true);
    const fromMachine = (await new MockActivityEnvironment().run(classifyReply, { text, receivedAt, autoSubmitted: true as const })) as ReplyClassification;
    assert.equal(fromMachine.autoReply, true);
    assert.equal(fromMachine.escalate, false);
    assert.equal(fromMachine.trigger, null);
    assert.deepEqual(fromMachine.labels, ['none']);
  });

  test('an auto-submitted message the readers could not read is not escalated either', async () => {
    const { classifyReply: failing } = createClassifyActivities({
      readers: async () => readers,
      classifier: { classify: async () => Promise.reject(new ClassificationFailedError('time_limit', 'over the time limit')) },
    });
    const verdict = (await new MockActivityEnvironment().run(failing, { text, receivedAt, autoSubmitted: true as const })) as ReplyClassification;
    assert.equal(verdict.escalate, false);
    assert.equal(verdict.fallback, undefined);
  });
});
