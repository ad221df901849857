// Port of python/tests/test_threads.py (MLX 0.32.4), case name kept.
//
// Python shares one stream object between threading.Threads. JS threads
// (worker_threads) share no objects, and the one other thread mlx-node
// evaluates on is evalAsync's worker. So:
//   - "test_failure": a stream from newStream() (or a thread-local stream
//     resolved on this thread) used from another thread raises: arrays built on
//     it and evaluated by evalAsync reject with an Error that says why;
//   - "test_success": in each of two worker threads, a newThreadLocalStream()
//     evaluates 2 * arange(10) under mx.stream(...), then clearStreams().
import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, test } from 'node:test';
import { Worker } from 'node:worker_threads';

import { mx } from '../lib/index';

const index = path.resolve(__dirname, '..', 'lib', 'index.js');

function inWorker(): Promise<{ x: number[]; y: number[] }> {
  const code = `
    const { parentPort } = require('node:worker_threads');
    const { mx } = require(${JSON.stringify(index)});
    const testStream = mx.newThreadLocalStream(mx.defaultDevice());
    const out = mx.stream(testStream, () => {
      const x = mx.arange(10);
      const y = mx.multiply(2, x);
      mx.eval(y);
      return { x: x.tolist(), y: y.tolist() };
    });
    mx.clearStreams();
    parentPort.postMessage(out);
  `;
  return new Promise((resolve, reject) => {
    const w = new Worker(code, { eval: true });
    w.once('message', resolve);
    w.once('error', reject);
  });
}

describe('TestThreads', () => {
  test('test_threadlocal_stream', async () => {
    // test_failure: a stream of this thread, evaluated on another one
    for (const testStream of [mx.newStream(mx.defaultDevice()), mx.newThreadLocalStream(mx.defaultDevice())]) {
      const y = mx.stream(testStream, () => mx.multiply(2, mx.arange(10)));
      await assert.rejects(mx.evalAsync(y), (e: Error) => {
        assert.ok(e instanceof Error);
        assert.match(e.message, /in current thread/);
        assert.match(e.message, /must be evaluated with mx\.eval\(\) on this thread/);
        return true;
      });
      mx.eval(y); // on the thread that made the stream it works
      assert.deepEqual(y.tolist(), [0, 2, 4, 6, 8, 10, 12, 14, 16, 18]);
    }

    // test_success: a thread-local stream in each of two threads
    const results = await Promise.all([inWorker(), inWorker()]);
    for (const r of results) {
      assert.deepEqual(
        r.x,
        Array.from({ length: 10 }, (_, i) => i),
      );
      assert.deepEqual(
        r.y,
        Array.from({ length: 10 }, (_, i) => 2 * i),
      );
    }
  });
});
