import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { FastifyInstance } from 'fastify';
import type { Browser, Page } from 'playwright-core';
import { createClaimToken } from '../../src/alerts/claimLink';
import { hashApiKey, type ApiKey } from '../../src/api/auth';
import { buildApi } from '../../src/api/server';
import { stateQuery } from '../../workflows/messages';
import { launchChromium } from '../helpers/chromium';
import { createConversationRig, waitForAlerts, type ConversationRig } from '../helpers/conversation';
import { prospect } from '../helpers/prospect';
import { createDevServerEnv } from '../helpers/temporal';

const root = path.resolve(__dirname, '..', '..');
const artifacts = process.env.HANDOFF_TEST_ARTIFACTS || path.join(root, 'test-artifacts');
const TOOL = 'tool-token-0123456789';
const keyOf = (repId: string) => `rep-token-${repId}-0123456789`;
const keys: ApiKey[] = [
  { id: 'outreach-tool', hash: hashApiKey(TOOL), scopes: ['tool'] },
  ...['dana', 'eli', 'fay', 'lee', 'max'].map((repId): ApiKey => ({ id: `key-${repId}`, hash: hashApiKey(keyOf(repId)), scopes: ['rep'], repId })),
];

describe('the claim page in a real browser', () => {
  let env: TestWorkflowEnvironment;
  let rig: ConversationRig;
  let running: Promise<void>;
  let api: FastifyInstance;
  let base: string;
  let browser: Browser;

  before(async () => {
    env = await createDevServerEnv();
    rig = await createConversationRig(env);
    running = rig.worker.run();
    api = buildApi({ client: env.client, config: rig.config, keys, claimSecret: rig.deps.alerts.claimSecret, roster: rig.deps.alerts.roster });
    base = await api.listen({ host: '127.0.0.1', port: 0 });
    browser = await launchChromium();
    mkdirSync(artifacts, { recursive: true });
  });
  after(async () => {
    await browser?.close();
    await api?.close();
    rig?.worker.shutdown();
    await running;
    await env?.teardown();
  });

  /** Starts a conversation and sends a pricing reply over HTTP; resolves with the tier-1 rep once alerted. */
  async function escalated(id: string): Promise<string> {
    const send = (url: string, body: unknown) =>
      fetch(`${base}${url}`, { method: 'POST', headers: { authorization: `Bearer ${TOOL}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    assert.equal((await send('/v1/conversations', { prospect: prospect(id) })).status, 201);
    assert.equal((await send(`/v1/conversations/${id}/replies`, { messageId: 'm-1', channel: 'email', text: 'What is the price for 25 seats?', receivedAt: new Date().toISOString() })).status, 202);
    const state = await waitForAlerts(env.client.workflow.getHandle(`prospect-${id}`), 'tier 1 alerted');
    return state.ladder[0]!.assignees[0]!.repId;
  }

  /** Runs a browser step, keeping a screenshot of the page if it fails. */
  async function inPage(name: string, steps: (page: Page) => Promise<void>): Promise<void> {
    const page = await browser.newPage();
    try {
      await steps(page);
      await page.screenshot({ path: path.join(artifacts, `claim-page-${name}.png`) });
    } catch (err) {
      await page.screenshot({ path: path.join(artifacts, `claim-page-${name}-failure.png`) }).catch(() => undefined);
      throw err;
    } finally {
      await page.close();
    }
  }

  test('a rep opens their own link, presses Claim, and the form claims the conversation for them', async () => {
    const owner = await escalated('page-1');
    const token = createClaimToken({ workflowId: 'prospect-page-1', escalation: 1, rung: 1, tier: 1, repId: owner, expiresAt: new Date(Date.now() + 10 * 60_000) }, rig.deps.alerts.claimSecret);
    const name = (await rig.deps.alerts.roster.current()).roster.reps.find((r) => r.id === owner)!.name;
    await inPage('own-link', async (page) => {
      await page.goto(`${base}/v1/claim-links/${token}`);
      const [response] = await Promise.all([page.waitForResponse((r) => r.request().method() === 'POST'), page.getByRole('button', { name: `Claim as ${name}` }).click()]);
      assert.equal(response.status(), 200, await response.text());
      await page.getByText('Jordan Lee (Buyer Co) is yours').waitFor({ timeout: 10_000 });
    });
    assert.equal((await env.client.workflow.getHandle('prospect-page-1').query(stateQuery)).owner, owner);
  });

  test('a team link asks for the rep’s own key, claims as the rep it belongs to, and afterwards says who holds it', async () => {
    const owner = await escalated('page-2');
    const entry = (await rig.alerts()).find((a) => a.workflowId === 'prospect-page-2' && a.claimUrl);
    assert.ok(entry?.claimUrl, 'the outbox alert carries a team link');
    const link = `${base}${new URL(entry.claimUrl).pathname}`;
    await inPage('team-link', async (page) => {
      await page.goto(link);
      await page.getByLabel('Your Handoff API key').fill(keyOf(owner));
      const [response] = await Promise.all([page.waitForResponse((r) => r.request().method() === 'POST'), page.getByRole('button', { name: 'Claim as myself' }).click()]);
      assert.equal(response.status(), 200, await response.text());
      await page.getByText('Jordan Lee (Buyer Co) is yours').waitFor({ timeout: 10_000 });
    });
    assert.equal((await env.client.workflow.getHandle('prospect-page-2').query(stateQuery)).owner, owner);
    await inPage('team-link-again', async (page) => {
      const again = await page.goto(link);
      assert.equal(again?.status(), 409);
      await page.getByText(`already claimed by ${owner}`).waitFor({ timeout: 10_000 });
    });
  });
});
