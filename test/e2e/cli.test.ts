import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import nodemailer from 'nodemailer';
import { freePort } from '../../src/temporal/devServer';
import { StackProcess } from '../helpers/stack';
import { eventually } from '../helpers/eventually';
import { replyMail } from '../helpers/mail';

/** Every file under `dir` with its mode, and every directory's mode (relative paths). */
function modes(dir: string, prefix = ''): Record<string, number> {
  const out: Record<string, number> = {};
  for (const name of readdirSync(dir)) {
    const full = path.join(dir, name);
    const stat = statSync(full);
    out[prefix + name] = stat.mode & 0o777;
    if (stat.isDirectory()) Object.assign(out, modes(full, `${prefix}${name}/`));
  }
  return out;
}

describe('the handoff command line against a running stack (`handoff start`)', () => {
  let stack: StackProcess;
  const handoff = (...args: string[]) => stack.cli(...args);

  before(async () => {
    stack = await StackProcess.create();
    // A data directory an earlier version left readable by others: the stack tightens it on start.
    chmodSync(stack.env.HANDOFF_DATA_DIR!, 0o755);
    writeFileSync(`${stack.env.HANDOFF_DATA_DIR}/outbox.jsonl`, '', { mode: 0o644 });
    stack.env.HANDOFF_INBOUND_SMTP_PORT = String(await freePort());
    await stack.start();
  });
  after(async () => {
    await stack?.stop();
  });

  test('prints the UI, the API and where the generated API key is kept (not the key: the output is not a terminal), never an open API', () => {
    assert.match(stack.output, /Web UI\s+http:\/\/localhost:\d+/);
    const keyFile = path.join(stack.env.HANDOFF_DATA_DIR!, 'api-key');
    assert.match(stack.output, /API key\s+kept in \S+api-key/);
    assert.ok(stack.output.includes(`kept in ${keyFile}`), 'the line names the key file');
    const key = readFileSync(keyFile, 'utf8').trim();
    assert.match(key, /^hk_/);
    assert.ok(!stack.output.includes(key), 'the key is not in the output');
  });

  test('listens for inbound mail over SMTP when asked to, and lists what no conversation claimed', async () => {
    const port = Number(stack.env.HANDOFF_INBOUND_SMTP_PORT);
    assert.match(stack.output, new RegExp(`Inbound\\s+smtp://127\\.0\\.0\\.1:${port}`));
    const raw = replyMail({ from: 'sam@stray.example', messageId: '<stray-cli@stray.example>', subject: 'Pricing sheet?', text: 'Can you send the pricing sheet?' });
    const relayed = await nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true }).sendMail({ envelope: { from: 'sam@stray.example', to: 'outreach@handoff.local' }, raw });
    assert.match(relayed.response, /accepted: unmatched/);
    const listed = handoff('inbound', 'unmatched');
    assert.equal(listed.status, 0, listed.stderr);
    assert.match(listed.stdout, /RECEIVED\s+FROM\s+SUBJECT\s+REASON\s+MESSAGE-ID/);
    assert.match(listed.stdout, /sam@stray\.example\s+Pricing sheet\?\s+no_conversation\s+<stray-cli@stray\.example>/);
  });

  test('starts a conversation, takes a reply, and shows the escalation as a table and as JSON', async () => {
    const started = handoff('conversation', 'start', '--id', 'cli-1', '--name', 'Robin Vega', '--email', 'robin@vega.example', '--company', 'Vega Labs');
    assert.equal(started.status, 0, started.stderr);
    assert.match(started.stdout, /started: prospect-cli-1/);
    const again = handoff('conversation', 'start', '--id', 'cli-1', '--name', 'Robin Vega', '--email', 'robin@vega.example', '--company', 'Vega Labs');
    assert.match(again.stdout, /already running/);
    const replied = handoff('conversation', 'reply', 'cli-1', '--text', 'How much is it per seat for 20 seats?');
    assert.equal(replied.status, 0, replied.stderr);
    const state = await eventually(async () => {
      const shown = (JSON.parse(handoff('conversation', 'show', 'cli-1', '--json').stdout) as { state: { stage: string; ladder: unknown[] } }).state;
      return shown.ladder.length === 1 && shown;
    }, 'tier 1 in `conversation show`');
    assert.equal(state.stage, 'escalated');
    const table = handoff('conversation', 'show', 'cli-1');
    assert.match(table.stdout, /TIER\s+ASSIGNEES\s+ALERTED\s+DEADLINE\s+OUTCOME/);
    const listed = await eventually(async () => {
      const { stdout } = handoff('escalations');
      return stdout.includes('cli-1') && stdout;
    }, 'cli-1 in `handoff escalations`');
    assert.match(listed, /cli-1\s+Vega Labs\s+pricing\s+1/);
  });

  test('errors name the field that is wrong and exit non-zero', () => {
    const bad = handoff('conversation', 'start', '--id', 'cli-2', '--name', 'Bad Email', '--email', 'not-an-address', '--company', 'X');
    assert.equal(bad.status, 1);
    assert.match(bad.stderr, /400 invalid_request: body\.prospect\.email/);
    const missing = handoff('conversation', 'start', '--id', 'cli-2', '--name', 'No Email', '--company', 'X');
    assert.equal(missing.status, 1);
    assert.match(missing.stderr, /--email is required/);
    const reenrolAlone = handoff('conversation', 'start', '--id', 'cli-1', '--name', 'Robin Vega', '--email', 'robin@vega.example', '--company', 'Vega Labs', '--reenrol');
    assert.equal(reenrolAlone.status, 1);
    assert.match(reenrolAlone.stderr, /--reenrol needs --campaign/);
    const whileRunning = handoff('conversation', 'start', '--id', 'cli-1', '--name', 'Robin Vega', '--email', 'robin@vega.example', '--company', 'Vega Labs', '--campaign', 'autumn', '--reenrol');
    assert.equal(whileRunning.status, 1);
    assert.match(whileRunning.stderr, /409 conversation_running: prospect cli-1 still has a conversation running/);
    const unknown = handoff('conversation', 'claim', 'nobody', '--rep', 'dana');
    assert.equal(unknown.status, 1);
    assert.match(unknown.stderr, /404 not_found/);
  });

  test('imports a CSV list through the batch endpoint: created the first time, existing the second, invalid rows named by line', () => {
    const list = path.join(mkdtempSync(path.join(tmpdir(), 'handoff-import-')), 'prospects.csv');
    writeFileSync(
      list,
      [
        'id,name,email,company,title,industry',
        'imp-1,Avery Chen,avery@northwind.example,Northwind Traders,Head of Sales,logistics',
        'imp-2,Blake Morgan,blake@contoso.example,Contoso,VP Revenue,software',
        'imp-3,No Address,not-an-address,Fabrikam,,',
        'imp-4,Casey Ruiz,casey@fabrikam.example,Fabrikam,Director of IT,',
      ].join('\n'),
    );
    const first = handoff('conversation', 'import', list, '--chunk', '2');
    assert.equal(first.status, 0, first.stderr);
    assert.match(first.stdout, /prospects\.csv: 4 rows: 3 created, 0 existing, 0 suppressed, 1 invalid/);
    assert.match(first.stdout, /line 4 \(imp-3\): prospect\.email: /);
    assert.match(first.stderr, /imported 2\/4: /, 'a progress line per chunk when the output is not a terminal');
    assert.match(first.stderr, /imported 4\/4: 3 created/);
    const second = handoff('conversation', 'import', list, '--json');
    assert.equal(second.status, 0, second.stderr);
    const summary = JSON.parse(second.stdout) as { counts: Record<string, number>; invalid: { line: number }[] };
    assert.deepEqual(summary.counts, { created: 0, existing: 3, suppressed: 0, invalid: 1, refused: 0 });
    assert.deepEqual(summary.invalid.map((row) => row.line), [4]);
    const shown = handoff('conversation', 'show', 'imp-2', '--json');
    assert.equal(shown.status, 0, shown.stderr);
    assert.equal((JSON.parse(shown.stdout) as { state: { prospect: { company: string } } }).state.prospect.company, 'Contoso');
  });

  test('a rep’s side acts as a rep: the admin key acts for the rep --rep names, and only the owner closes', async () => {
    assert.equal(handoff('conversation', 'start', '--id', 'cli-3', '--name', 'Sam Ortiz', '--email', 'sam@ortiz.example', '--company', 'Ortiz AG').status, 0);
    assert.equal(handoff('conversation', 'reply', 'cli-3', '--text', 'What does it cost for 15 seats?').status, 0);
    const ladder = await eventually(async () => {
      const shown = (JSON.parse(handoff('conversation', 'show', 'cli-3', '--json').stdout) as { state: { ladder: { assignees: { repId: string }[] }[] } }).state.ladder;
      return shown.length === 1 && shown;
    }, 'tier 1 in `conversation show`');
    const rep = ladder[0]!.assignees[0]!.repId;
    const nobody = handoff('conversation', 'claim', 'cli-3');
    assert.equal(nobody.status, 1);
    assert.match(nobody.stderr, /403 rep_required: this admin key \(embedded-admin\) is bound to no rep/);
    const claimed = handoff('conversation', 'claim', 'cli-3', '--rep', rep);
    assert.equal(claimed.status, 0, claimed.stderr);
    assert.match(claimed.stdout, new RegExp(`claimed by ${rep}`));
    const other = ['dana', 'eli', 'fay'].find((r) => r !== rep)!;
    const notOwner = handoff('conversation', 'close', 'cli-3', '--outcome', 'won', '--rep', other);
    assert.equal(notOwner.status, 1);
    assert.match(notOwner.stderr, new RegExp(`403 not_owner: only the owner \\(${rep}\\) or a manager may close this conversation`));
    const closed = handoff('conversation', 'close', 'cli-3', '--outcome', 'won', '--rep', rep);
    assert.equal(closed.status, 0, closed.stderr);
    assert.match(closed.stdout, /cli-3: closed/);
  });

  test('the demo drives the whole story: automation, a claim, a person, a re-escalation and an opt-out', () => {
    const demo = handoff('demo');
    assert.equal(demo.status, 0, demo.stderr);
    assert.match(demo.stdout, /-pricing\s+Contoso\s+claimed/);
    assert.match(demo.stdout, /-climb\s+Tailspin Toys\s+escalated\s+buying_intent\s+[2-9]/);
    assert.match(demo.stdout, /-optout\s+Litware\s+opted_out/);
  });

  test('the data directory is private: 0700, and every file in it 0600, from the dev server database to the journals', () => {
    const dir = stack.env.HANDOFF_DATA_DIR!;
    assert.equal(statSync(dir).mode & 0o777, 0o700);
    const found = modes(dir);
    for (const name of ['temporal.db', 'temporal-server.log', 'ledger.sqlite', 'api-key', 'claim-secret', 'outbox.jsonl', 'sent.jsonl', 'crm.jsonl']) {
      assert.ok(name in found, `${name} is there (found ${Object.keys(found).join(', ')})`);
    }
    for (const [name, mode] of Object.entries(found)) {
      const isDir = statSync(path.join(dir, name)).isDirectory();
      assert.equal(mode, isDir ? 0o700 : 0o600, `${name} is ${mode.toString(8)}`);
    }
  });

  test('Ctrl-C stops the API, the worker and the dev server cleanly', async () => {
    assert.equal(await stack.stop(), 0, stack.output.slice(-4000));
    assert.match(stack.output, /Stopped\./);
  });

  test('a second start on the same data directory resumes every conversation the first one had', async () => {
    await stack.start('the stack did not start again');
    const shown = handoff('conversation', 'show', 'cli-1', '--json');
    assert.equal(shown.status, 0, shown.stderr);
    const { state } = JSON.parse(shown.stdout) as { state: { stage: string; thread: unknown[] } };
    assert.equal(state.stage, 'escalated');
    assert.ok(state.thread.length >= 2);
    assert.equal(await stack.stop(), 0, stack.output.slice(-4000));
  });
});
