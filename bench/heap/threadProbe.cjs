/**
 * Loaded in place of the SDK's workflow worker thread by `cachedConversations.ts`: runs the SDK's own thread
 * script, and answers on the `handoff-heap-probe` BroadcastChannel with the thread's heap statistics after full
 * collections, or writes a heap snapshot of the thread. Measurement only; never loaded by the product.
 */
'use strict';
const v8 = require('node:v8');
const vm = require('node:vm');
const { workerData } = require('node:worker_threads');

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc');
const channel = new BroadcastChannel('handoff-heap-probe');
channel.unref();
channel.onmessage = ({ data }) => {
  if (!data || data.from !== 'main') return;
  for (let i = 0; i < 4; i++) gc();
  const answer = { from: 'thread', id: data.id, stats: v8.getHeapStatistics(), spaces: v8.getHeapSpaceStatistics() };
  try {
    if (data.snapshot) answer.snapshot = v8.writeHeapSnapshot(data.snapshot);
  } catch (err) {
    answer.error = String(err);
  }
  channel.postMessage(answer);
};
require(workerData.__heapProbeTarget);
