import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { describe, test } from 'node:test';
import { promisify } from 'node:util';
import { classifyCommand } from '../../../src/triggers/cli';

const SAMPLE = path.resolve(__dirname, '../../../../shared/replies-sample.jsonl');
const REPO = path.resolve(__dirname, '../../..');

async function run(argv: string[], stdin = ''): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out: string[] = [];
  const err: string[] = [];
  stdout.on('data', (chunk: Buffer) => out.push(chunk.toString()));
  stderr.on('data', (chunk: Buffer) => err.push(chunk.toString()));
  const code = await classifyCommand(argv, { stdin: Readable.from([stdin]), stdout, stderr, env: {} });
  return { code, stdout: out.join(''), stderr: err.join('') };
}

const lines = (text: string): unknown[] => text.trim().split('\n').map((l) => JSON.parse(l) as unknown);

describe('handoff classify', () => {
  test('each input line gets exactly one output line of the documented shape, in input order', async () => {
    const input = [
      JSON.stringify({ id: 'r1', text: 'Is this a bot?' }),
      JSON.stringify({ id: 'r2', text: 'Out of office until March 10.', receivedAt: '2026-03-01T09:00:00Z' }),
      JSON.stringify({ id: 'r3', text: 'Thanks!' }),
    ].join('\n');
    const { code, stdout, stderr } = await run([], input);
    assert.equal(code, 0);
    assert.equal(stderr, '');
    const [first, second, third] = lines(stdout) as Array<Record<string, unknown>>;
    assert.deepEqual(Object.keys(first ?? {}), ['id', 'labels', 'escalate', 'trigger', 'evidence', 'returnDate', 'rulesVersion', 'modelVersion', 'decidedBy']);
    assert.match(String(first?.modelVersion), /^sha256:[0-9a-f]{12}$/u);
    assert.ok(['rules', 'both'].includes((first?.decidedBy as Record<string, string>).human_request ?? ''), 'a rules label stays a rules label');
    delete first?.modelVersion;
    delete first?.decidedBy;
    assert.deepEqual(first, {
      id: 'r1',
      labels: ['human_request'],
      escalate: true,
      trigger: 'human_request',
      evidence: [{ label: 'human_request', rule: 'human_request.en.bot-question', start: 0, end: 13, text: 'Is this a bot' }],
      returnDate: null,
      rulesVersion: first?.rulesVersion,
    });
    assert.match(String(first?.rulesVersion), /^sha256:[0-9a-f]{12}$/u);
    assert.deepEqual([second?.id, second?.labels, second?.escalate, second?.returnDate], ['r2', ['out_of_office'], false, '2026-03-10']);
    assert.deepEqual([third?.id, third?.labels, third?.trigger], ['r3', ['none'], null]);
  });

  test('a bad line is reported by number on stderr, the others are classified, and the exit code is 1', async () => {
    const input = [
      JSON.stringify({ id: 'ok1', text: 'price?' }),
      '{not json',
      '',
      JSON.stringify({ id: 'no-text' }),
      JSON.stringify({ id: 7, text: 'call me' }),
      JSON.stringify({ id: 'ok2', text: 'unsubscribe' }),
    ].join('\n');
    const { code, stdout, stderr } = await run([], input);
    assert.equal(code, 1);
    assert.deepEqual(
      (lines(stdout) as Array<{ id: string }>).map((l) => l.id),
      ['ok1', 'ok2'],
    );
    assert.match(stderr, /^line 2: not valid JSON$/mu);
    assert.match(stderr, /^line 4: missing "text"$/mu);
    assert.match(stderr, /^line 5: "id": /mu);
    assert.doesNotMatch(stderr, /call me/u, 'message bodies stay out of error output');
  });

  test('a labelled line is refused with a pointer to --eval', async () => {
    const { code, stderr } = await run([], JSON.stringify({ id: 'l1', text: 'Demo please.', labels: ['buying_intent'] }));
    assert.equal(code, 1);
    assert.match(stderr, /^line 1: unexpected field\(s\) "labels" \(labelled lines are scored with --eval\)$/mu);
  });

  test('a file argument is read instead of stdin', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'handoff-cli-'));
    const file = path.join(dir, 'in.jsonl');
    writeFileSync(file, `${JSON.stringify({ id: 'f1', text: 'Stop emailing me.' })}\n`);
    const { code, stdout } = await run([file]);
    assert.equal(code, 0);
    assert.deepEqual((lines(stdout)[0] as { labels: string[] }).labels, ['opt_out']);
  });

  test('a missing input file fails without a stack trace', async () => {
    const { code, stderr } = await run(['/nonexistent/replies.jsonl']);
    assert.equal(code, 1);
    assert.match(stderr, /cannot read \/nonexistent\/replies\.jsonl: no such file/u);
  });

  test('--reader chooses the rules, the learned reader or both, and a wrong choice is a usage error naming the choices', async () => {
    const input = `${JSON.stringify({ id: 'x', text: 'Is this a bot?' })}\n`;
    const rulesOnly = lines((await run(['--reader', 'rules'], input)).stdout)[0] as Record<string, unknown>;
    assert.equal(rulesOnly.modelVersion, undefined);
    const modelOnly = lines((await run(['--reader', 'model'], input)).stdout)[0] as Record<string, unknown>;
    assert.deepEqual(modelOnly.evidence, []);
    const wrong = await run(['--reader', 'guess'], input);
    assert.equal(wrong.code, 2);
    assert.match(wrong.stderr, /--reader takes rules, model, both \(got "guess"\)/);
    const split = await run(['--split', 'test'], input);
    assert.equal(split.code, 2);
    assert.match(split.stderr, /--split goes with --eval/);
  });

  test('--eval --split scores only the replies of that corpus split', async () => {
    const { splitOf } = await import('../../../src/triggers/learned/corpus');
    const ids = Array.from({ length: 40 }, (_, i) => `s${i}`);
    const input = ids.map((id) => JSON.stringify({ id, text: 'How much is it?', labels: ['pricing'], lang: 'en', tags: [] })).join('\n');
    const { code, stdout } = await run(['--eval', '-', '--split', 'dev', '--json'], input);
    assert.equal(code, 0);
    assert.equal((JSON.parse(stdout) as { total: number }).total, ids.filter((id) => splitOf(id) === 'dev').length);
    const placed = ids.map((id) => JSON.stringify({ id, text: 'How much is it?', labels: ['pricing'], lang: 'en', tags: [], split: 'dev' })).join('\n');
    const all = await run(['--eval', '-', '--split', 'dev', '--json'], placed);
    assert.equal((JSON.parse(all.stdout) as { total: number }).total, ids.length);
  });

  test('--rules selects a rules file and a bad one is named with its rule and field', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'handoff-cli-'));
    const good = path.join(dir, 'good.yaml');
    writeFileSync(
      good,
      'settings: {negation: {cues: {en: [not]}}}\nrules:\n  - {id: only.price, label: pricing, description: d, patterns: [price]}\n',
    );
    const ok = await run(['--rules', good, '--reader', 'rules'], `${JSON.stringify({ id: 'x', text: 'Is this a bot? price?' })}\n`);
    assert.equal(ok.code, 0);
    assert.deepEqual((lines(ok.stdout)[0] as { labels: string[] }).labels, ['pricing']);

    const bad = path.join(dir, 'bad.yaml');
    writeFileSync(bad, 'settings: {negation: {cues: {en: [not]}}}\nrules:\n  - {id: broken.one, label: pricing, description: d, patterns: ["(unclosed"]}\n');
    const failed = await run(['--rules', bad], '');
    assert.equal(failed.code, 1);
    assert.match(failed.stderr, /rule "broken\.one" \(#0\), field "patterns\[0\]"/u);
  });

  test('--rules refuses a file with a pattern that can backtrack catastrophically, naming the rule, the field and an attack', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'handoff-cli-'));
    const runaway = path.join(dir, 'runaway.yaml');
    writeFileSync(runaway, 'settings: {negation: {cues: {en: [not]}}}\nrules:\n  - {id: slow.one, label: pricing, description: d, patterns: ["price", "(?:a+)+b"]}\n');
    const failed = await run(['--rules', runaway], `${JSON.stringify({ id: 'x', text: 'price?' })}\n`);
    assert.equal(failed.code, 1);
    assert.match(failed.stderr, /rule "slow\.one" \(#0\), field "patterns\[1\]": pattern can backtrack catastrophically \(exponential.*\); an input that shows it: 'a/u);
    assert.equal(failed.stdout, '');
  });

  test('--eval prints a readable report and exits 0', async () => {
    const { code, stdout } = await run(['--eval', SAMPLE]);
    assert.equal(code, 0);
    assert.match(stdout, /^label\s+support\s+tp\s+fp\s+fn\s+precision\s+recall\s+f1$/mu);
    assert.match(stdout, /Escalation \(rows: gold, columns: predicted\)/u);
    assert.match(stdout, /Auto-replies escalated: none/u);
  });

  test('--eval --json prints the same report as one JSON object', async () => {
    const { code, stdout } = await run(['--eval', SAMPLE, '--json']);
    assert.equal(code, 0);
    const report = JSON.parse(stdout) as { total: number; escalation: { recall: number }; labels: unknown[]; misses: unknown[] };
    assert.equal(report.total, 60);
    assert.equal(report.labels.length, 9);
    assert.ok(report.escalation.recall >= 0.97);
  });

  test('--help prints usage and an unknown option is a usage error', async () => {
    const help = await run(['--help']);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /usage: handoff classify/u);
    const wrong = await run(['--frobnicate']);
    assert.equal(wrong.code, 2);
    assert.match(wrong.stderr, /unknown option --frobnicate/u);
  });

  test('the installed command streams stdin to stdout end to end', async () => {
    const child = promisify(execFile)(process.execPath, [path.join(REPO, 'bin/handoff.cjs'), 'classify'], {
      cwd: REPO,
      env: { ...process.env, HANDOFF_MODEL_URL: '' },
    });
    child.child.stdin?.end(`${JSON.stringify({ id: 'e2e', text: 'Can I talk to someone?' })}\n`);
    const { stdout } = await child;
    assert.deepEqual((lines(stdout)[0] as { trigger: string }).trigger, 'human_request');
  });
});
