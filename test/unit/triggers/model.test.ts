import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { loadRuleSet } from '../../../src/triggers';
import { ChatCompletionsModel, classifyWithModel, modelFromEnv, withoutFence } from '../../../src/triggers/model';
import { answer, startModelServer, type ModelReply, type ModelServer } from '../../helpers/modelServer';

/** A real OpenAI-compatible endpoint on loopback; each test sets how it answers. */
let server: ModelServer;
let baseUrl = '';
let reply: ModelReply = () => undefined;

before(async () => {
  server = await startModelServer();
  baseUrl = server.baseUrl;
  server.reply = (req, body, res) => reply(req, body, res);
});
after(() => server.close());

const rules = loadRuleSet();
const model = (timeoutMs = 2000): ChatCompletionsModel =>
  new ChatCompletionsModel({ url: baseUrl, model: 'test-model', apiKey: 'sk-test', timeoutMs });

describe('the model hook', () => {
  test('a model can add an escalation label the rules missed', async () => {
    reply = answer(JSON.stringify({ labels: ['technical'], reasons: ['asks about their data warehouse'] }));
    const c = await classifyWithModel('Will your thing play nicely with our lakehouse?', rules, model());
    assert.deepEqual(c.labels, ['technical']);
    assert.equal(c.escalate, true);
    assert.equal(c.trigger, 'technical');
    assert.deepEqual(c.model, { used: true, name: 'test-model', added: ['technical'], reasons: ['asks about their data warehouse'] });
  });

  test('the request is an authenticated chat completion of the prospect\'s own words', async () => {
    server.requests.length = 0;
    reply = answer('{"labels": ["none"]}');
    await classifyWithModel('Thanks!\n\nOn Mon, Sam <sam@handoff.io> wrote:\n> Want a demo?', rules, model());
    const [request] = server.requests;
    assert.equal(request?.url, '/v1/chat/completions');
    assert.equal(request?.auth, 'Bearer sk-test');
    assert.equal(request?.body.model, 'test-model');
    const messages = request?.body.messages as Array<{ role: string; content: string }>;
    assert.equal(messages.at(-1)?.content, 'Thanks!');
  });

  test('a model can never remove a human request the rules found', async () => {
    reply = answer('{"labels": ["none"]}');
    const c = await classifyWithModel('Is this a bot? I want a real person.', rules, model());
    assert.deepEqual(c.labels, ['human_request']);
    assert.equal(c.trigger, 'human_request');
    assert.equal(c.model.used, true);
  });

  test('a model cannot make an auto-reply escalate', async () => {
    reply = answer('{"labels": ["out_of_office", "pricing"]}');
    const c = await classifyWithModel('Automatic reply: I am out of the office until March 10.', rules, model());
    assert.deepEqual(c.labels, ['out_of_office']);
    assert.equal(c.escalate, false);
  });

  test('an answer in a code fence is accepted', async () => {
    reply = answer('```json\n{"labels": ["referral"]}\n```');
    const c = await classifyWithModel('Dana handles this now.', rules, model());
    assert.deepEqual(c.labels, ['referral']);
  });

  test('an answer that is not JSON falls back to the rules and says so', async () => {
    reply = answer('I think this is pricing.');
    const c = await classifyWithModel('price?', rules, model());
    assert.deepEqual(c.labels, ['pricing']);
    assert.deepEqual(c.model, { used: false, name: 'test-model', added: [], error: 'answer is not JSON' });
  });

  test('an answer with an unknown label falls back to the rules', async () => {
    reply = answer('{"labels": ["urgent"]}');
    const c = await classifyWithModel('price?', rules, model());
    assert.deepEqual(c.labels, ['pricing']);
    assert.equal(c.model.used, false);
    assert.match(c.model.error ?? '', /answer is invalid/u);
  });

  test('an HTTP error falls back to the rules', async () => {
    reply = (_req, _body, res) => {
      res.writeHead(503);
      res.end('overloaded');
    };
    const c = await classifyWithModel('call me', rules, model());
    assert.deepEqual(c.labels, ['human_request']);
    assert.deepEqual(c.model, { used: false, name: 'test-model', added: [], error: 'HTTP 503' });
  });

  test('a model that does not answer in time falls back to the rules', async () => {
    reply = () => undefined;
    const c = await classifyWithModel('Not interested.', rules, model(100));
    assert.deepEqual(c.labels, ['opt_out']);
    assert.deepEqual(c.model, { used: false, name: 'test-model', added: [], error: 'timed out after 100 ms' });
  });

  test('the model is off unless its URL is set, and bad settings are named', () => {
    assert.equal(modelFromEnv({}), null);
    assert.ok(modelFromEnv({ HANDOFF_MODEL_URL: baseUrl, HANDOFF_MODEL_NAME: 'm' }) instanceof ChatCompletionsModel);
    assert.throws(() => modelFromEnv({ HANDOFF_MODEL_URL: baseUrl }), /HANDOFF_MODEL_NAME/u);
  });
});

describe('withoutFence', () => {
  test('takes the JSON out of a Markdown code fence, with or without a language, and leaves bare JSON alone', () => {
    assert.equal(withoutFence('```json\n{"labels": []}\n```'), '{"labels": []}');
    assert.equal(withoutFence('  ```\n{"labels": []}```  '), '{"labels": []}');
    assert.equal(withoutFence('{"labels": []}'), '{"labels": []}');
  });

  test('an answer of 100,000 spaces between fences is read as empty', () => {
    assert.equal(withoutFence(`\`\`\`${' '.repeat(100_000)}\`\`\``), '');
  });
});
