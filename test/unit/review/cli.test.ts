import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { replyBodyRef } from '../../../src/ledger/replyBodies';
import { createSqliteLedger } from '../../../src/ledger/sqlite';
import { type Review, computeReview } from '../../../src/review/compute';
import { type ReviewIo, parseSince, reviewCommand } from '../../../src/review/cli';
import { DEFAULT_TRAINING, modelFile, trainLabels } from '../../../src/triggers/learned/train';
import { CANDIDATE_RULES, FIXTURE_EVENTS, NOW, SINCE } from './ledgerFixture';

const dir = mkdtempSync(path.join(os.tmpdir(), 'handoff-review-cli-'));
const dataDir = path.join(dir, 'data');

async function run(argv: string[], env: NodeJS.ProcessEnv = { HANDOFF_DATA_DIR: dataDir }) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out: string[] = [];
  const err: string[] = [];
  stdout.on('data', (c: Buffer) => out.push(c.toString()));
  stderr.on('data', (c: Buffer) => err.push(c.toString()));
  const io: ReviewIo = { stdout, stderr, env, now: () => new Date(NOW), workDir: dir };
  const code = await reviewCommand(argv, io);
  return { code, stdout: out.join(''), stderr: err.join('') };
}

describe('handoff review', () => {
  before(async () => {
    const ledger = createSqliteLedger(path.join(dataDir, 'ledger.sqlite'));
    await ledger.migrate();
    await ledger.append(FIXTURE_EVENTS);
    await ledger.close();
    writeFileSync(path.join(dir, 'candidate.yaml'), CANDIDATE_RULES);
    writeFileSync(
      path.join(dir, 'broken.yaml'),
      CANDIDATE_RULES.replace("patterns: ['demo']", "patterns: ['(unclosed']"),
    );
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('--json prints the figures of the last 7 days as read from the ledger file', async () => {
    const { code, stdout } = await run(['--json']);
    assert.equal(code, 0);
    const { review } = JSON.parse(stdout) as { review: Review };
    assert.deepEqual(review, JSON.parse(JSON.stringify(computeReview(FIXTURE_EVENTS, { now: NOW, since: SINCE }))));
    assert.equal(review.totals.escalations, 6);
    assert.equal(review.totals.falseEscalations, 3);
  });

  test('prints readable tables by default', async () => {
    const { code, stdout } = await run([]);
    assert.equal(code, 0);
    assert.match(stdout, /^pricing {12}3 {8}30s {8}40s {5}2m 00s {4}10m 00s {6}0% {10}1 {6}1 {7}0 {9}0$/m);
    assert.match(stdout, /^all {16}6 {8}30s {5}1m 30s {5}7m 00s {4}30m 00s {5}17% {10}1 {6}3 {7}1 {9}0$/m);
    assert.match(stdout, /^ {2}pricing\.how-much +3 +1 +1 +1 +50%$/m);
    assert.match(stdout, /Unclaimed now:\n {2}prospect-c \(Cobalt\) escalation 1, pricing, tier 1, waiting 4d 03h/);
  });

  test('--since widens the window', async () => {
    const { code, stdout } = await run(['--since', '30d', '--json']);
    assert.equal(code, 0);
    assert.equal((JSON.parse(stdout) as { review: Review }).review.totals.escalations, 7);
  });

  test('--rules back-tests a candidate rules file on the recorded replies', async () => {
    const { code, stdout } = await run(['--rules', 'candidate.yaml', '--model', 'off']);
    assert.equal(code, 0);
    assert.match(stdout, /Back-test of rules sha256:[0-9a-f]{12} alone/);
    assert.match(stdout, /Would start escalating \(1\)\n {2}prospect-e msg-e1/);
    assert.match(stdout, /Would stop escalating \(1\)\n {2}prospect-g msg-g1/);
    const json = JSON.parse((await run(['--rules=candidate.yaml', '--model=off', '--json'])).stdout) as { backtest: { candidate: { recall: number } } };
    assert.equal(json.backtest.candidate.recall, 1);
  });

  test('--model back-tests a learned-reader model with the rules, naming its version', async () => {
    const trained = trainLabels(
      [{ scan: 'what would it cost us', labels: ['pricing'] }, { scan: 'thanks', labels: ['none'] }],
      { ...DEFAULT_TRAINING, minReplies: 1, epochs: 2 },
    );
    const model = modelFile(trained, {}, { corpus: 'test', examples: 2, seed: 1, spec: DEFAULT_TRAINING.spec });
    writeFileSync(path.join(dir, 'candidate-model.json'), JSON.stringify(model));
    const { code, stdout } = await run(['--model', 'candidate-model.json']);
    assert.equal(code, 0, stdout);
    assert.match(stdout, new RegExp(`Back-test of rules sha256:[0-9a-f]{12} with learned reader ${model.version}`));
  });

  test('a broken model file is named, and nothing is back-tested', async () => {
    writeFileSync(path.join(dir, 'broken-model.json'), '{"format": "something else"}');
    const { code, stderr } = await run(['--model', 'broken-model.json']);
    assert.equal(code, 1);
    assert.match(stderr, /broken-model\.json: .*format/s);
  });

  test('--html writes a self-contained report with the chart library and the data inlined', async () => {
    const file = path.join(dir, 'report.html');
    const { code, stdout } = await run(['--html', file]);
    assert.equal(code, 0);
    assert.match(stdout, /wrote .*report\.html/);
    const html = readFileSync(file, 'utf8');
    assert.match(html, /^<!doctype html>/);
    assert.ok(!/<script[^>]+src=|<link[^>]+href=|<img[^>]+src=/.test(html), 'no external scripts, styles or images');
    assert.match(html, /Chart\.js v4/);
    assert.equal((html.match(/<canvas /g) ?? []).length, 3);
  });

  test('a reply recorded by reference is back-tested on its whole stored body', async () => {
    const ownData = path.join(dir, 'long-reply');
    const body = `Thanks for the overview, we read it with the team. ${'We are still comparing vendors. '.repeat(4)}Our budget for this is set next month.`;
    const prefix = body.slice(0, 40);
    const ref = replyBodyRef('prospect-z', 'msg-z1', body);
    const ledger = createSqliteLedger(path.join(ownData, 'ledger.sqlite'));
    await ledger.migrate();
    await ledger.replyBodies.put({ ref, conversationId: 'prospect-z', messageId: 'msg-z1', text: body });
    await ledger.append([
      {
        eventId: 'prospect-z/reply/msg-z1/classified',
        kind: 'reply_classified',
        conversationId: 'prospect-z',
        prospectId: 'z',
        company: 'Zeta',
        at: '2025-03-09T09:00:00.000Z',
        messageId: 'msg-z1',
        text: prefix,
        bodyRef: ref,
        bodyBytes: Buffer.byteLength(body),
        labels: ['none'],
        escalate: false,
        trigger: null,
        rulesVersion: 'sha256:000000000000',
        rulesFired: [],
        evidence: [],
      },
    ]);
    await ledger.close();
    const { code, stdout } = await run(['--rules', 'candidate.yaml', '--json'], { HANDOFF_DATA_DIR: ownData });
    assert.equal(code, 0);
    const { backtest } = JSON.parse(stdout) as { backtest: { started: { conversationId: string; text: string }[] } };
    assert.deepEqual(backtest.started.map((c) => [c.conversationId, c.text]), [['prospect-z', body]], 'the budget sentence past the prefix starts an escalation');
  });

  test('a bad --since is a usage error naming the value', async () => {
    const { code, stderr } = await run(['--since', 'last week']);
    assert.equal(code, 2);
    assert.match(stderr, /--since must be an age such as 24h, 7d, 30d or 2w \(or "all"\), got "last week"/);
  });

  test('a missing rules file is named', async () => {
    const { code, stderr } = await run(['--rules', 'nope.yaml']);
    assert.equal(code, 1);
    assert.match(stderr, /nope\.yaml: no such file/);
  });

  test('a bad rules file is reported with its rule and field', async () => {
    const { code, stderr } = await run(['--rules', 'broken.yaml']);
    assert.equal(code, 1);
    assert.match(stderr, /rule "buying\.demo" \(#3\), field "patterns\[0\]"/);
  });

  test('a data directory without a ledger says nothing has been recorded', async () => {
    const empty = path.join(dir, 'empty');
    const { code, stderr } = await run([], { HANDOFF_DATA_DIR: empty });
    assert.equal(code, 1);
    assert.match(stderr, /no ledger at .*empty\/ledger\.sqlite/);
    assert.equal(existsSync(empty), false, 'reviewing creates no ledger');
  });

  test('an unknown option is a usage error', async () => {
    const { code, stderr } = await run(['--verbose']);
    assert.equal(code, 2);
    assert.match(stderr, /unknown option --verbose/);
  });

  test('ages are hours, days or weeks back from now', () => {
    const now = new Date(NOW);
    assert.equal(parseSince('24h', now), '2025-03-09T12:00:00.000Z');
    assert.equal(parseSince('7d', now), SINCE);
    assert.equal(parseSince('2w', now), '2025-02-24T12:00:00.000Z');
    assert.equal(parseSince('all', now), null);
    assert.throws(() => parseSince('0d', now), /--since/);
  });
});
