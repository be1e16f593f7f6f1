import * as os from 'node:os';
import { setImmediate as yieldToEvents } from 'node:timers/promises';
import { MessageChannel, parentPort, receiveMessageOnPort, Worker, workerData, type MessagePort } from 'node:worker_threads';
import { BuildError, NestedTooDeepForThisThread } from './errors.js';

/** Where a job's warnings go: printed by the calling thread, in the order of the items. */
export type WarningSink = (message: string, file?: string) => void;

/** One item's work, the same in every thread: what it gives must survive structured cloning. */
export type Job<I, R> = (item: I, onWarning: WarningSink) => R;

export interface SharedWork<I, R> {
  /** Threads to use, this one included, at most one per item; 1 runs every item here. */
  threads: number;
  /** The worker module: it calls serveWork with the same job as `job`, built from `setup`. */
  worker: URL;
  /** What each worker builds its job from (structured-cloneable). */
  setup: unknown;
  /** This thread's share of the work. */
  job: Job<I, R>;
  onWarning?: WarningSink;
  /** Called after each item is done (in any order), for progress displays. */
  onProgress?: (done: number, total: number) => void;
}

export interface SharedResults<R, F> {
  /** Each item's result, in the order of the items. */
  results: R[];
  /** What each worker handed back when it stopped (serveWork's `finish`). */
  finals: F[];
  /** How many items the calling thread did. */
  here: number;
}

/**
 * Threads by default: one per core but one. V8 keeps a serial run's garbage collection and
 * optimizing compiler on other threads (a third of a core, measured on validate); on two cores a
 * worker thread competes with them and with this thread, and measured slower than none.
 */
export function defaultThreads(): number {
  return Math.max(1, os.availableParallelism() - 1);
}

/**
 * How many threads a run of `work` (in any unit) should use: `requested` when the user asked for a
 * number; else at most `available`, and one more only for each `perThread` of work — below that a
 * worker costs more to start than it saves.
 */
export function threadsFor(work: number, perThread: number, requested?: number, available = defaultThreads()): number {
  if (requested !== undefined) return Math.max(1, requested);
  return Math.max(1, Math.min(available, Math.floor(work / perThread)));
}

/**
 * The stack of worker threads, in MB: deep enough to read and render YAML nested as deep as
 * go-yaml allows (10,000 levels took 16 MB, measured), which the default stack cannot. A thread's
 * stack is reserved, not used, until touched.
 */
export const DEEP_STACK_MB = 64;

/** States of a worker's first item, shared with it: whichever thread claims it first runs it. */
const UNCLAIMED = 0;
const CLAIMED = 1;
const TAKEN_BACK = 2;

type Batch<I> = { index: number; item: I }[];
/** A warning a job gave, as the pool passes it on. */
export type Warning = { message: string; file?: string };
interface PortableError {
  message: string;
  user: boolean;
  file?: string;
  line?: number;
  stack?: string;
}
type FromWorker<R> =
  | { type: 'done'; index: number; result: R; warnings: Warning[] }
  | { type: 'idle' }
  | { type: 'failed'; error: PortableError }
  | { type: 'finished'; final: unknown };

/**
 * Runs `job` over `items` on up to `threads` threads, this one included. Items are handed out in
 * order, a batch at a time, to whichever thread is free — each worker starts with one item, the
 * batches shrink as the work runs out — so a worker that starts late or a slow item does not
 * hold up the rest. Warnings are passed on in the order of the items, whatever thread met them.
 * The first error stops every worker and is thrown: a BuildError as a BuildError, anything else
 * (a bug, a worker that dies) as an Error with the worker's stack.
 */
export async function shareWork<I, R, F = never>(items: readonly I[], work: SharedWork<I, R>): Promise<SharedResults<R, F>> {
  const total = items.length;
  const results: R[] = new Array<R>(total);
  const warnings: (Warning[] | undefined)[] = new Array<Warning[] | undefined>(total);
  const finals: F[] = [];
  let next = 0;
  let done = 0;
  let printed = 0;
  let here = 0;
  let failure: unknown;
  let settle = (): void => {};
  const settled = new Promise<void>((resolve) => (settle = resolve));
  const workers: { worker: Worker; first: number; claim: Int32Array; stopped: boolean }[] = [];
  const exited: Promise<void>[] = [];
  const stop = (w: (typeof workers)[number]): void => {
    w.stopped = true;
    void w.worker.terminate();
  };
  const failed = (e: unknown): void => {
    if (failure !== undefined) return;
    failure = e;
    workers.forEach(stop);
    settle();
  };
  const complete = (index: number, result: R, itemWarnings: Warning[]): void => {
    results[index] = result;
    warnings[index] = itemWarnings;
    done++;
    work.onProgress?.(done, total);
    for (; printed < total && warnings[printed]; printed++) for (const w of warnings[printed]!) work.onWarning?.(w.message, w.file);
    if (done === total) settle();
  };
  // items nested too deep for this thread's stack, for a worker of their own
  const tooDeepHere: number[] = [];
  const runHere = (index: number): void => {
    const itemWarnings: Warning[] = [];
    let result: R;
    try {
      result = work.job(items[index]!, collect(itemWarnings));
    } catch (e) {
      if (!(e instanceof NestedTooDeepForThisThread)) throw e;
      tooDeepHere.push(index);
      return;
    }
    here++;
    complete(index, result, itemWarnings);
  };
  const batch = (threads: number): Batch<I> => {
    const size = Math.max(1, Math.ceil((total - next) / (threads * 2)));
    const start = next;
    next = Math.min(total, next + size);
    return items.slice(start, next).map((item, i) => ({ index: start + i, item }));
  };

  const threads = Math.max(1, Math.min(work.threads, total));
  const startWorker = (first: number): void => {
    const claim = new Int32Array(new SharedArrayBuffer(4));
    const worker = new Worker(work.worker, {
      workerData: { setup: work.setup, first: [{ index: first, item: items[first] }], claim: claim.buffer },
      resourceLimits: { stackSizeMb: DEEP_STACK_MB },
    });
    const w = { worker, first, claim, stopped: false };
    workers.push(w);
    let finished = false;
    exited.push(
      new Promise((resolve) => {
        worker.on('message', (m: FromWorker<R>) => {
          if (m.type === 'done') complete(m.index, m.result, m.warnings);
          else if (m.type === 'failed') failed(fromPortable(m.error));
          else if (m.type === 'finished') {
            finished = true;
            finals.push(m.final as F);
          } else if (failure === undefined) worker.postMessage(batch(threads));
        });
        worker.on('error', failed);
        worker.on('exit', (code) => {
          if (!finished && !w.stopped) failed(new Error(`worker thread stopped unexpectedly (exit code ${code})`));
          resolve();
        });
      }),
    );
  };
  for (let t = 1; t < threads; t++) startWorker(next++);

  try {
    while (next < total && failure === undefined) {
      runHere(next++);
      // lets workers' results and requests for more in between this thread's items
      if (workers.length > 0) await yieldToEvents();
    }
    // a worker still starting up when this thread has run out of items: its first item is done here, now
    for (const w of workers) {
      if (failure !== undefined || Atomics.compareExchange(w.claim, 0, UNCLAIMED, TAKEN_BACK) !== UNCLAIMED) continue;
      stop(w);
      runHere(w.first);
    }
    // every item is handed out by now: each of these workers runs its one item and stops
    for (const index of tooDeepHere) if (failure === undefined) startWorker(index);
  } catch (e) {
    failed(e);
  }
  if (done < total) await settled;
  await Promise.all(exited);
  if (failure !== undefined) throw failure;
  return { results, finals, here };
}

/**
 * The worker side of shareWork: runs `job` on each item handed over until there are none left,
 * then sends what `finish` gives (e.g. caches only the calling thread may write) and stops.
 */
export function serveWork<I, R>(job: Job<I, R>, finish?: () => unknown): void {
  const port = parentPort!;
  const run = (items: Batch<I>): void => {
    if (items.length === 0) {
      port.postMessage({ type: 'finished', final: finish?.() });
      port.close();
      return;
    }
    try {
      for (const { index, item } of items) {
        const warnings: Warning[] = [];
        const result = job(item, collect(warnings));
        port.postMessage({ type: 'done', index, result, warnings });
      }
    } catch (e) {
      port.postMessage({ type: 'failed', error: toPortable(e) });
      port.close();
      return;
    }
    port.postMessage({ type: 'idle' });
  };
  port.on('message', run);
  const { first, claim } = workerData as { first: Batch<I>; claim: SharedArrayBuffer };
  run(Atomics.compareExchange(new Int32Array(claim), 0, UNCLAIMED, CLAIMED) === UNCLAIMED ? first : []);
}

/** What shareWorkNow hands each worker: every item, and the counters all threads share. */
interface ClaimSetup<I> {
  setup: unknown;
  items: readonly I[];
  /** The next item to claim, for every thread. */
  next: SharedArrayBuffer;
  /** SENT: messages sent, for the calling thread to wait on; STOPPED: workers that claim no more. */
  signals: SharedArrayBuffer;
  port: MessagePort;
}
const SENT = 0;
const STOPPED = 1;
type FromClaimer<R> = { index: number; result: R; warnings: Warning[] } | { index: number; error: PortableError };

/**
 * shareWork for a caller that cannot wait for events (the cluster graph grows synchronously):
 * every thread claims the next item from a shared counter until none is left, and this thread
 * then sleeps until the workers' items are in. Workers start as this thread works, and one that
 * has not started by the end claims nothing, so no worker start-up is waited for. Each item's
 * result and warnings, in the order of the items; the first error is thrown as shareWork throws it.
 */
export function shareWorkNow<I, R>(items: readonly I[], work: Omit<SharedWork<I, R>, 'onWarning' | 'onProgress'>): { results: R[]; warnings: Warning[][]; here: number } {
  const total = items.length;
  const results: R[] = new Array<R>(total);
  const warnings: Warning[][] = new Array<Warning[]>(total);
  const next = new Int32Array(new SharedArrayBuffer(4));
  const signals = new Int32Array(new SharedArrayBuffer(8));
  const ports: MessagePort[] = [];
  const workers: Worker[] = [];
  for (let t = 1; t < Math.min(work.threads, total); t++) {
    const { port1, port2 } = new MessageChannel();
    const setup: ClaimSetup<I> = { setup: work.setup, items, next: next.buffer as SharedArrayBuffer, signals: signals.buffer as SharedArrayBuffer, port: port2 };
    const worker = new Worker(work.worker, { workerData: setup, transferList: [port2], resourceLimits: { stackSizeMb: DEEP_STACK_MB } });
    // a worker that cannot start claims nothing: the others do its share; a job's error comes as a message
    worker.on('error', () => {});
    workers.push(worker);
    ports.push(port1);
  }
  let done = 0;
  let here = 0;
  let failure: unknown;
  try {
    for (let i = Atomics.add(next, 0, 1); i < total; i = Atomics.add(next, 0, 1)) {
      const itemWarnings: Warning[] = [];
      results[i] = work.job(items[i]!, collect(itemWarnings));
      warnings[i] = itemWarnings;
      done++;
      here++;
    }
    while (done < total && failure === undefined) {
      const seen = Atomics.load(signals, SENT);
      // read before the messages: a worker counts itself stopped after its last message
      const stopped = Atomics.load(signals, STOPPED);
      for (const port of ports) {
        for (let m = receiveMessageOnPort(port); m; m = receiveMessageOnPort(port)) {
          const message = m.message as FromClaimer<R>;
          if ('error' in message) failure ??= fromPortable(message.error);
          else {
            results[message.index] = message.result;
            warnings[message.index] = message.warnings;
            done++;
          }
        }
      }
      if (done < total && failure === undefined && stopped === workers.length) failure = new Error('worker thread stopped unexpectedly');
      if (done < total && failure === undefined) Atomics.wait(signals, SENT, seen);
    }
  } catch (e) {
    failure = e;
  }
  for (const w of workers) void w.terminate();
  for (const port of ports) port.close();
  if (failure !== undefined) throw failure;
  return { results, warnings, here };
}

/** The worker side of shareWorkNow: claims items and runs `job` on each until none is left. */
export function serveClaims<I, R>(job: Job<I, R>): void {
  const { items, next, signals, port } = workerData as ClaimSetup<I>;
  const claims = new Int32Array(next);
  const signal = new Int32Array(signals);
  const wake = (): void => {
    Atomics.add(signal, SENT, 1);
    Atomics.notify(signal, SENT);
  };
  let stopped = false;
  const stop = (): void => {
    if (stopped) return;
    stopped = true;
    Atomics.add(signal, STOPPED, 1);
    wake();
  };
  // a thread that ends in a job (process.exit) says so: the calling thread stops waiting for its item
  process.on('exit', stop);
  for (let i = Atomics.add(claims, 0, 1); i < items.length; i = Atomics.add(claims, 0, 1)) {
    const itemWarnings: Warning[] = [];
    let message: FromClaimer<R>;
    try {
      message = { index: i, result: job(items[i]!, collect(itemWarnings)), warnings: itemWarnings };
    } catch (e) {
      message = { index: i, error: toPortable(e) };
    }
    port.postMessage(message);
    wake();
    if ('error' in message) break;
  }
  stop();
}

function collect(warnings: Warning[]): WarningSink {
  return (message, file) => warnings.push(file === undefined ? { message } : { message, file });
}

/** The `setup` shareWork gave this worker. */
export function workerSetup<S>(): S {
  return (workerData as { setup: S }).setup;
}

function toPortable(e: unknown): PortableError {
  const err = e instanceof Error ? e : new Error(String(e));
  const user = e instanceof BuildError;
  return {
    message: err.message,
    user,
    ...(err.stack ? { stack: err.stack } : {}),
    ...(user && e.file ? { file: e.file } : {}),
    ...(user && e.line ? { line: e.line } : {}),
  };
}

function fromPortable(e: PortableError): Error {
  return e.user ? new BuildError(e.message, e.file, e.line) : Object.assign(new Error(e.message), e.stack ? { stack: e.stack } : {});
}
