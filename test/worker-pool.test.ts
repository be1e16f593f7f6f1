import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BuildError } from '../src/errors.js';
import { shareWork, shareWorkNow, threadsFor } from '../src/worker-pool.js';
import { poolJob, type PoolItem } from './support/pool-jobs.js';

const worker = new URL('./support/pool-fixture-worker.js', import.meta.url);

/** Runs items on `threads` threads with the test job; the first item is a worker's whenever there is one. */
async function run(items: PoolItem[], threads: number) {
  const setup = { started: new SharedArrayBuffer(4) };
  const here = poolJob(setup);
  const warnings: string[] = [];
  const progress: number[] = [];
  const shared = await shareWork<PoolItem, number, number>(items, {
    threads,
    worker,
    setup,
    job: here.job,
    onWarning: (message, file) => warnings.push(`${file}: ${message}`),
    onProgress: (done, total) => progress.push(total - done),
  });
  return { ...shared, warnings, progress, here: here.count() };
}

const items = (n: number, extra: (i: number) => Partial<PoolItem> = () => ({})): PoolItem[] => Array.from({ length: n }, (_, i) => ({ n: i, ...extra(i) }));

describe('shareWork', () => {
  it('gives every result in item order, and warnings in item order, whichever thread did the item', async () => {
    const r = await run(items(300, (i) => ({ warn: i % 7 === 0, awaitWorker: i === 2 })), 3);
    assert.deepEqual(r.results, items(300).map((it) => it.n * 2));
    assert.deepEqual(r.warnings, items(300).filter((it) => it.n % 7 === 0).map((it) => `f${it.n}.yaml: warning ${it.n}`));
    assert.equal(r.progress.length, 300);
    assert.equal(r.progress.at(-1), 0);
    // every item was done once by a thread that reported it: this one or a worker that finished
    assert.ok(r.finals.length >= 1, 'a worker did some of the work');
    assert.equal(r.here + r.finals.reduce((a, b) => a + b, 0), 300);
  });

  it('runs everything in this thread with one thread', async () => {
    const r = await run(items(5, () => ({ fail: 'bug' })), 1);
    assert.deepEqual(r.results, [0, 2, 4, 6, 8]);
    assert.deepEqual(r.finals, []);
    assert.equal(r.here, 5);
  });

  it("passes a worker's user error back as a BuildError with its file and line", async () => {
    await assert.rejects(run(items(50, (i) => (i === 0 ? { fail: 'user' } : { awaitWorker: i === 1 })), 2), (e: unknown) => {
      assert.ok(e instanceof BuildError);
      assert.equal(e.format(), 'items.yaml: bad item');
      return true;
    });
    await assert.rejects(run(items(50, (i) => (i === 0 ? { fail: 'user', n: 4 } : { awaitWorker: i === 1 })), 2), (e: unknown) => e instanceof BuildError && e.line === 4);
  });

  it("passes a worker's bug back as an error with the worker's stack", async () => {
    await assert.rejects(run(items(50, (i) => (i === 0 ? { fail: 'bug' } : { awaitWorker: i === 1 })), 2), (e: unknown) => {
      assert.ok(!(e instanceof BuildError));
      assert.equal((e as Error).message, 'broken item 0');
      assert.match((e as Error).stack ?? '', /pool-jobs\.js/);
      return true;
    });
  });

  it('fails, without hanging, when a worker thread dies', async () => {
    await assert.rejects(run(items(50, (i) => (i === 0 ? { fail: 'exit' } : { awaitWorker: i === 1 })), 2), /worker thread stopped unexpectedly \(exit code 3\)/);
  });
});

describe('shareWorkNow', () => {
  const claimsWorker = new URL('./support/pool-claims-fixture-worker.js', import.meta.url);
  /** Runs items on `threads` threads with the test job, without waiting for events. */
  const runNow = (list: PoolItem[], threads: number) => {
    const setup = { started: new SharedArrayBuffer(4) };
    return shareWorkNow<PoolItem, number>(list, { threads, worker: claimsWorker, setup, job: poolJob(setup).job });
  };

  it('gives every result and each item’s warnings in item order, whichever thread did the item', () => {
    // this thread waits on its first item until a worker has started one: the worker does some
    const r = runNow(items(300, (i) => ({ warn: i % 7 === 0, awaitWorker: i === 0 })), 3);
    assert.deepEqual(r.results, items(300).map((it) => it.n * 2));
    assert.deepEqual(r.warnings.map((w, i) => (w.length ? `${i} ${w.map((x) => `${x.file}: ${x.message}`).join()}` : '')).filter(Boolean), items(300).filter((it) => it.n % 7 === 0).map((it) => `${it.n} f${it.n}.yaml: warning ${it.n}`));
    assert.ok(r.here < 300, `this thread did ${r.here} of 300`);
  });

  it('runs everything in this thread with one thread', () => {
    const r = runNow(items(5, () => ({ fail: 'bug' })), 1);
    assert.deepEqual(r.results, [0, 2, 4, 6, 8]);
    assert.equal(r.here, 5);
  });

  it("throws a worker's user error as a BuildError with its file and line, and a bug as an Error", () => {
    const failing = (fail: PoolItem['fail']) => items(50, (i) => (i === 0 ? { awaitWorker: true } : { fail }));
    assert.throws(() => runNow(failing('user'), 2), (e: unknown) => e instanceof BuildError && e.message === 'bad item' && e.file === 'items.yaml' && (e.line ?? 0) >= 1);
    assert.throws(() => runNow(failing('bug'), 2), (e: unknown) => !(e instanceof BuildError) && /^broken item \d+$/.test((e as Error).message));
  });

  it('fails, without hanging, when a worker thread dies in a job', () => {
    assert.throws(() => runNow(items(50, (i) => (i === 0 ? { awaitWorker: true } : { fail: 'exit' })), 2), /worker thread stopped unexpectedly/);
  });
});

describe('threadsFor', () => {
  it('gives the threads asked for', () => {
    assert.equal(threadsFor(5, 100, 3, 1), 3);
    assert.equal(threadsFor(10_000, 100, 1, 4), 1);
  });

  it('by default adds a thread only for each full share of work, up to those available', () => {
    assert.equal(threadsFor(0, 100, undefined, 4), 1);
    assert.equal(threadsFor(199, 100, undefined, 4), 1);
    assert.equal(threadsFor(200, 100, undefined, 4), 2);
    assert.equal(threadsFor(10_000, 100, undefined, 4), 4);
    assert.equal(threadsFor(10_000, 100, undefined, 1), 1);
  });
});
