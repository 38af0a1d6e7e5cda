import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseShapes, sideBySide } from '../../../bench/shapes';
import { parseCounts, percentile } from '../../../bench/tools';
import { scaleReport, type ScaleFigures } from '../../../bench/scale';

describe('the benchmarks’ percentiles', () => {
  test('take the nearest rank of unsorted samples', () => {
    const samples = [50, 10, 40, 20, 30, 60, 70, 80, 90, 100];
    assert.equal(percentile(samples, 50), 50);
    assert.equal(percentile(samples, 99), 100);
    assert.equal(percentile(samples, 0), 10);
  });

  test('are NaN when nothing was measured', () => {
    assert.ok(Number.isNaN(percentile([], 50)));
  });
});

describe('the --conversations flag', () => {
  test('takes comma-separated counts with thousands separators', () => {
    assert.deepEqual(parseCounts('1000,10_000'), [1000, 10_000]);
  });

  test('names the part that is not a count', () => {
    assert.throws(() => parseCounts('1000,ten'), /"ten"/);
    assert.throws(() => parseCounts('0'), /"0"/);
  });
});

describe('the --shape flag', () => {
  test('runs the dev server unless told otherwise', () => {
    assert.deepEqual(parseShapes(undefined), ['dev']);
    assert.deepEqual(parseShapes('cluster'), ['cluster']);
    assert.deepEqual(parseShapes('both'), ['dev', 'cluster']);
  });

  test('names a shape it does not know', () => {
    assert.throws(() => parseShapes('kubernetes'), /not kubernetes/);
  });
});

describe('the side-by-side table', () => {
  test('puts each shape’s value, floor and ratio of a figure on one line, a dash where a shape lacks it', () => {
    const table = sideBySide({
      dev: [{ figure: 'reply-to-alert latency p50', value: 120, floor: 40, unit: 'ms', ratio: 3 }],
      cluster: [
        { figure: 'reply-to-alert latency p50', value: 200, floor: 50, unit: 'ms', ratio: 4 },
        { figure: 'only on the cluster', value: 1, floor: null, unit: 'x', ratio: null },
      ],
    });
    const line = table.split('\n').find((l) => l.startsWith('reply-to-alert latency p50'))!;
    assert.match(line, /120\.0\s+40\.0\s+3\.00\s+200\.0\s+50\.0\s+4\.00\s+ms$/);
    assert.match(table.split('\n').find((l) => l.startsWith('only on the cluster'))!, /^only on the cluster\s+-\s+-\s+-\s+1\.0\s+-\s+-\s+x$/);
  });
});

describe('the scale report', () => {
  const figures = (conversations: number, rss: number, p99: number): ScaleFigures => ({
    conversations,
    loadAverage: [12.5, 13, 14],
    startRatePerSecond: 40,
    workerRssMb: { idle: [400, 400], waiting: [rss, rss] },
    databaseMb: { idle: { temporal: 9, temporal_visibility: 9 }, waiting: { temporal: 20, temporal_visibility: 12 } },
    wakeUpLatenessMs: { p50: 100, p99: p99, max: p99 * 2, sent: 1000, measured: 1000, startedLate: 0 },
    floorLatenessMs: { p50: 50, p99: 100, max: 200, fired: 1000 },
  });

  test('shows how each figure grew from the first count to the last, and the load average of each run', () => {
    const report = scaleReport([figures(1000, 500, 400), figures(10_000, 1000, 800)]);
    assert.match(report.split('\n').find((l) => l.startsWith('worker RSS'))!, /1000\.0\s+800\.0\s+1\.25\s+2000\.0\s+800\.0\s+2\.50\s+x2\.00$/);
    assert.match(report.split('\n').find((l) => l.startsWith('wake-up lateness p99'))!, /x2\.00$/);
    assert.match(report, /N=10000: load average 12\.5 13 14/);
  });
});
