import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, Locator, Page } from 'playwright-core';
import { launchChromium } from '../helpers/chromium';
import { eventually } from '../helpers/eventually';
import { StackProcess } from '../helpers/stack';

const root = path.resolve(__dirname, '..', '..');
const artifacts = process.env.HANDOFF_TEST_ARTIFACTS || path.join(root, 'test-artifacts');

interface Rung {
  tier: number;
  assignees: { repId: string; name: string }[];
  deadline: string;
}


/** Waits for the locator to be visible, failing with what the page was expected to show. */
async function expectVisible(locator: Locator, what: string, timeout = 30_000): Promise<void> {
  try {
    await locator.first().waitFor({ state: 'visible', timeout });
  } catch {
    assert.fail(`expected the page to show ${what} within ${timeout / 1000}s (at ${locator.page().url()})`);
  }
}

/**
 * Signs in at the API's codec login page with the stack's API key, then points the UI's codec settings at the
 * endpoint with cross-origin credentials, as a person does once per browser: the embedded dev server's UI knows
 * the endpoint but cannot be told to send credentials, so its browser setting must override it.
 */
async function useCodecEndpoint(page: Page, endpoint: string, apiKey: string, uiUrl: string): Promise<void> {
  await page.goto(`${endpoint}/login`);
  await page.getByLabel('API key').fill(apiKey);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expectVisible(page.getByRole('heading', { name: 'Signed in' }), 'the codec sign-in confirmed');

  await page.goto(`${uiUrl}/namespaces/default/workflows`, { waitUntil: 'domcontentloaded' });
  await page.getByRole('button', { name: /^Codec Server/ }).first().click();
  await page.getByRole('button', { name: 'Use Cluster-level setting,' }).click();
  await page.getByRole('radio', { name: 'Use my browser setting and ignore Cluster-level setting.' }).check();
  await page.getByRole('button', { name: 'Use my browser setting and ignore' }).click();
  await page.getByPlaceholder('Paste your endpoint here').fill(endpoint);
  await page.getByText('Include cross-origin credentials').click();
  assert.equal(await page.getByRole('switch', { name: 'Include cross-origin credentials' }).isChecked(), true, 'credentials are included');
  await page.getByRole('button', { name: 'Apply' }).click();
}

/** The text of every iframe on the page: the UI renders summaries and details as markdown inside iframes. */
async function iframeTexts(page: Page): Promise<string[]> {
  const texts: string[] = [];
  for (const frame of await page.locator('iframe').all()) {
    texts.push(await frame.contentFrame().locator('body').innerText({ timeout: 5_000 }).catch(() => ''));
  }
  return texts;
}

describe('the Temporal Web UI of a running stack', () => {
  let stack: StackProcess;
  let browser: Browser;
  const handoff = (...args: string[]) => stack.cli(...args);

  before(async () => {
    stack = await StackProcess.create();
    await stack.start();
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await stack?.stop();
  });

  test('finds an escalated conversation by its search attributes and shows its input, summary and history decrypted through the codec endpoint', async () => {
    const quiet = handoff('conversation', 'start', '--id', 'ui-quiet', '--name', 'Sam Quill', '--email', 'sam@quill.example', '--company', 'Quill Works');
    assert.equal(quiet.status, 0, quiet.stderr);
    const started = handoff('conversation', 'start', '--id', 'ui-1', '--name', 'Robin Vega', '--email', 'robin@vega.example', '--company', 'Vega Labs');
    assert.equal(started.status, 0, started.stderr);
    assert.match(started.stdout, /started: prospect-ui-1/);
    const replied = handoff('conversation', 'reply', 'ui-1', '--text', 'How much is it per seat for 20 seats?');
    assert.equal(replied.status, 0, replied.stderr);
    const messageId = /reply (\S+) accepted/.exec(replied.stdout)?.[1];
    assert.ok(messageId, `the reply command names the message it accepted: ${replied.stdout}`);

    const state = await eventually(async () => {
      const shown = handoff('conversation', 'show', 'ui-1', '--json');
      assert.equal(shown.status, 0, shown.stderr);
      const current = (JSON.parse(shown.stdout) as { state: { stage: string; ladder: Rung[] } }).state;
      return current.stage === 'escalated' && current.ladder.length === 1 && current;
    }, 'the pricing reply to escalate the conversation to its first rung', 60_000, 500);
    assert.equal(state.stage, 'escalated', 'the pricing reply escalates the conversation');
    assert.equal(state.ladder.length, 1, 'the escalation is on its first rung');
    const rung = state.ladder[0]!;
    const assignees = rung.assignees.map((a) => a.name).join(', ');
    assert.ok(rung.assignees.length > 0, 'the first rung has someone to alert');

    // One context: the codec session cookie and the UI's codec settings carry from page to page, as in a browser.
    const context = await browser.newContext({ viewport: { width: 1440, height: 1000 } });
    const page = await context.newPage();
    mkdirSync(artifacts, { recursive: true });
    try {
      // Before anyone signs in, the UI has only what the server stores: ciphertext.
      await page.goto(`${stack.uiUrl}/namespaces/default/workflows/prospect-ui-1`, { waitUntil: 'domcontentloaded' });
      await expectVisible(page.getByText('YmluYXJ5L2VuY3J5cHRlZA=='), 'the input\'s encoding, binary/encrypted in base64');
      assert.equal(await page.getByText('robin@vega.example').count(), 0, 'no prospect email is shown without the codec');
      const encrypted = path.join(artifacts, 'temporal-ui-encrypted.png');
      await page.screenshot({ path: encrypted });
      console.log(`screenshot: ${encrypted}`);

      const endpoint = /Codec\s+(http:\/\/\S+\/codec)\s/.exec(stack.output)?.[1];
      assert.ok(endpoint, `the stack prints its codec endpoint: ${stack.output}`);
      const apiKey = readFileSync(path.join(stack.env.HANDOFF_DATA_DIR!, 'api-key'), 'utf8').trim();
      await useCodecEndpoint(page, endpoint, apiKey, stack.uiUrl);

      const everything = `${stack.uiUrl}/namespaces/default/workflows`;
      const query = 'HandoffStage = "escalated" AND HandoffTrigger = "pricing"';
      const filtered = `${everything}?query=${encodeURIComponent(query)}`;
      const row = (id: string) => page.getByRole('link', { name: id, exact: true });

      // Visibility is eventually consistent and the list does not refresh by itself: reload until the rows show.
      const listed = async (url: string, ids: string[], what: string): Promise<void> => {
        await eventually(
          async () => {
            await page.goto(url, { waitUntil: 'domcontentloaded' });
            const seen = await Promise.all(ids.map((id) => row(id).first().waitFor({ state: 'visible', timeout: 10_000 }).then(() => true, () => false)));
            return seen.every(Boolean);
          },
          `${what}: rows for ${ids.join(', ')} at ${url}`,
          60_000,
          1_000,
        );
      };
      await listed(everything, ['prospect-ui-quiet', 'prospect-ui-1'], 'the unfiltered workflows list');
      await listed(filtered, ['prospect-ui-1'], `the workflows list filtered by ${query}`);
      await expectVisible(page.getByText('HandoffStage', { exact: false }), 'the HandoffStage filter taken from the query');
      assert.equal(await row('prospect-ui-quiet').count(), 0, 'the conversation that never escalated is filtered out');

      await row('prospect-ui-1').first().click();
      await page.waitForURL(/\/workflows\/prospect-ui-1\/[^/]+\/history/, { timeout: 30_000 });
      await expectVisible(page.getByRole('heading', { name: 'prospect-ui-1' }), 'the workflow id as the heading');
      await expectVisible(page.getByText('Event History'), 'the event history');
      // Reading the reply and routing the escalation it opens run inside the workflow task, in one local activity:
      // the history lists it with its summary (a routing that had to wait is followed by a routing activity saying why).
      await expectVisible(page.getByText(`Classify reply ${messageId}, and route the escalation it opens`, { exact: true }), 'the reading and routing of the reply with its summary');
      await expectVisible(page.getByText(`deliverAlert • Alert ${rung.assignees[0]!.name} (tier 1) via outbox`), 'the alert to the first assignee');
      await expectVisible(page.getByText('Claim deadline, tier 1'), 'the claim-deadline timer');
      await expectVisible(page.getByText('robin@vega.example'), 'the workflow input in plaintext, decoded through the codec endpoint');
      assert.equal(await page.getByText('YmluYXJ5L2VuY3J5cHRlZA==').count(), 0, 'no payload is left encrypted on the page');
      const history = path.join(artifacts, 'temporal-ui-history.png');
      await page.screenshot({ path: history });
      console.log(`screenshot: ${history}`);

      await page.getByRole('tab', { name: 'User Metadata' }).click();
      await page.waitForURL(/\/workflows\/prospect-ui-1\/[^/]+\/user-metadata/, { timeout: 30_000 });
      await expectVisible(page.getByText('Current Details'), 'the current details panel');
      const summary = 'Conversation with Robin Vega (Vega Labs)';
      const details = `Escalated (pricing) to ${assignees} (tier ${rung.tier}), claim deadline ${rung.deadline}`;
      // The current details come from a query answered by the worker, so they can render after the page.
      let texts: string[] = [];
      // The assertions below name what is missing, so a timeout here only ends the wait.
      await eventually(
        async () => {
          texts = await iframeTexts(page);
          return texts.some((t) => t.includes(summary)) && texts.some((t) => t.includes(details));
        },
        'the summary and current details to render',
        30_000,
        500,
      ).catch(() => undefined);
      assert.ok(texts.some((t) => t.includes(summary)), `the static summary "${summary}" is shown; rendered: ${JSON.stringify(texts)}`);
      assert.ok(texts.some((t) => t.includes('Robin Vega (Vega Labs): escalated')), `the current details give the stage; rendered: ${JSON.stringify(texts)}`);
      assert.ok(texts.some((t) => t.includes(details)), `the current details "${details}" are shown; rendered: ${JSON.stringify(texts)}`);
      const profile = 'Cadence: First touch → Follow-up 1 → Follow-up 2 → Break-up';
      assert.ok(texts.some((t) => t.includes('robin@vega.example') && t.includes(profile)), `the details give the prospect's profile and cadence; rendered: ${JSON.stringify(texts)}`);
      await expectVisible(page.getByText(`Alert ${rung.assignees[0]!.name} (tier 1) via outbox`), 'the activity summaries under events with metadata');
      const metadata = path.join(artifacts, 'temporal-ui-user-metadata.png');
      await page.screenshot({ path: metadata, fullPage: true });
      console.log(`screenshot: ${metadata}`);
    } catch (err) {
      const failure = path.join(artifacts, 'temporal-ui-failure.png');
      await page.screenshot({ path: failure, fullPage: true }).catch(() => undefined);
      console.log(`screenshot of the failure: ${failure}`);
      throw err;
    } finally {
      await context.close();
    }
  });
});
