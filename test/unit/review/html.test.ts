import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { backtest } from '../../../src/review/backtest';
import { computeReview } from '../../../src/review/compute';
import { renderReviewHtml } from '../../../src/review/html';
import { parseRuleSet } from '../../../src/triggers';
import { launchChromium } from '../../helpers/chromium';
import { CANDIDATE_RULES, FIXTURE_EVENTS, NOW, SINCE } from './ledgerFixture';

interface ChartSummary {
  id: string;
  type: string;
  labels: string[];
  datasets: { label: string; data: number[] }[];
}

/** Evaluated in the page (the project has no DOM types): what Chart.js holds for each canvas. */
const CHARTS_IN_PAGE = `[...document.querySelectorAll('canvas')].map((canvas) => {
  const chart = Chart.getChart(canvas);
  return {
    id: canvas.id,
    type: chart ? chart.config.type : 'none',
    labels: chart ? chart.data.labels.map(String) : [],
    datasets: chart ? chart.data.datasets.map((d) => ({ label: d.label, data: [...d.data] })) : [],
  };
})`;

describe('the HTML review report in headless Chromium', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'handoff-review-html-'));
  const review = computeReview(FIXTURE_EVENTS, { now: NOW, since: SINCE });
  const html = renderReviewHtml(review, { backtest: backtest(FIXTURE_EVENTS, { rules: parseRuleSet(CANDIDATE_RULES), learned: null }) });
  let browser: Browser;
  let page: Page;
  const requests: string[] = [];
  const errors: string[] = [];
  let charts: ChartSummary[] = [];

  before(async () => {
    const file = path.join(dir, 'review.html');
    writeFileSync(file, html);
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.on('request', (r) => requests.push(r.url()));
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
    charts = await page.evaluate<ChartSummary[]>(CHARTS_IN_PAGE);
    // For people to look at (git-ignored): the whole report as Chromium drew it.
    const results = path.join(__dirname, '..', '..', '..', 'test-results');
    mkdirSync(results, { recursive: true });
    await page.screenshot({ path: path.join(results, 'review-report.png'), fullPage: true });
  });
  after(async () => {
    await browser?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('renders without script errors and makes no request beyond the file itself', () => {
    assert.deepEqual(errors, []);
    assert.equal(requests.length, 1);
    assert.match(requests[0] ?? '', /^file:/);
  });

  test('draws three charts, each with data from the ledger', () => {
    assert.deepEqual(
      charts.map((c) => [c.id, c.type]),
      [
        ['chart-per-day', 'bar'],
        ['chart-time-to-claim', 'bar'],
        ['chart-rule-precision', 'bar'],
      ],
    );
    for (const c of charts) assert.ok(c.datasets.length > 0, `${c.id} has datasets`);
  });

  test('the per-day chart stacks every escalation of the window by trigger', () => {
    const perDay = charts[0];
    assert.equal(perDay?.labels.length, 8);
    assert.deepEqual(perDay?.datasets.map((d) => d.label), ['Human request', 'Buying intent', 'Pricing', 'Technical', 'Manual']);
    assert.deepEqual(perDay?.datasets.find((d) => d.label === 'Pricing')?.data, [0, 1, 0, 1, 0, 1, 0, 0]);
    assert.equal(perDay?.datasets.flatMap((d) => d.data).reduce((a, b) => a + b, 0), 6);
  });

  test('the time-to-claim chart holds every claim, and the precision chart every rule with feedback', () => {
    assert.equal(charts[1]?.datasets.flatMap((d) => d.data).reduce((a, b) => a + b, 0), 5);
    assert.deepEqual(charts[2]?.labels, ['pricing.how-much', 'buying.demo', 'human.talk-to-person']);
    assert.deepEqual(charts[2]?.datasets.map((d) => [d.label, d.data]), [
      ['confirmed', [50, 0, 0]],
      ['false', [50, 100, 100]],
    ]);
  });

  test("the content security policy allows the page's own scripts by hash, and no inline script otherwise", () => {
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)?.[1] ?? '';
    const scriptSrc = csp.split(';').map((d) => d.trim()).find((d) => d.startsWith('script-src')) ?? '';
    assert.doesNotMatch(scriptSrc, /'unsafe-inline'|'unsafe-eval'|\*|https?:/);
    const allowed = scriptSrc.split(/\s+/).slice(1).sort();
    // Every script the browser would run (the JSON data block is not run), hashed as CSP hashes it.
    const scripts = [...html.matchAll(/<script(?![^>]*type="application\/json")[^>]*>([\s\S]*?)<\/script>/g)].map((m) => m[1]!);
    assert.equal(scripts.length, 2, 'the chart library and the chart script');
    assert.deepEqual(allowed, scripts.map((s) => `'sha256-${createHash('sha256').update(s, 'utf8').digest('base64')}'`).sort());
    assert.match(csp, /default-src 'none'/);
  });

  test('a script changed after rendering does not run: Chromium enforces the hashes', async () => {
    const tampered = path.join(dir, 'tampered.html');
    writeFileSync(tampered, html.replace('Chart.defaults.animation = false;', 'Chart.defaults.animation = false; document.title = "changed";'));
    const other = await browser.newPage();
    const violations: string[] = [];
    other.on('console', (m) => {
      if (m.type() === 'error') violations.push(m.text());
    });
    try {
      await other.goto(pathToFileURL(tampered).href, { waitUntil: 'load' });
      const drawn = await other.evaluate<ChartSummary[]>(CHARTS_IN_PAGE);
      assert.deepEqual(drawn.map((c) => c.type), ['none', 'none', 'none'], 'the changed chart script was refused');
      assert.notEqual(await other.title(), 'changed');
      assert.ok(violations.some((v) => /Content Security Policy/i.test(v)), violations.join(' | '));
    } finally {
      await other.close();
    }
  });

  test('shows the headline figures, the tables and the back-test', async () => {
    const text = await page.locator('main').innerText();
    assert.match(text, /ESCALATIONS\s*6/i);
    assert.match(text, /UNCLAIMED NOW\s*1/i);
    assert.match(text, /pricing\.how-much/);
    assert.match(text, /Just curious what the price is/);
    assert.equal(await page.locator('section table').count(), 7);
    assert.match(text, /In and off hours/);
    assert.equal(await page.locator('section:has(h2:text("In and off hours")) tbody tr').count(), 6, 'a row per trigger and the totals');
  });
});
