import { writeFileSync } from "node:fs";
import { MessageChannel, type MessagePort, receiveMessageOnPort, Worker } from "node:worker_threads";

/** Files handed over but not yet written, at most (about 3 MB of plan text at ~50 KB a unit). */
export const MAX_IN_FLIGHT = 64;

// The writing thread: plain JavaScript run with `eval`, so it needs no build step (and runs under jest too).
// state[0] counts files handled, state[1] is set when a write failed (the error goes to `port`).
const WRITER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
const { writeFileSync } = require("node:fs");
const state = new Int32Array(workerData.state);
parentPort.on("message", (m) => {
  if (Atomics.load(state, 1) === 0) {
    try {
      writeFileSync(m.file, m.text);
    } catch (e) {
      workerData.port.postMessage(String((e && e.message) || e));
      Atomics.store(state, 1, 1);
    }
  }
  Atomics.add(state, 0, 1);
  Atomics.notify(state, 0);
});
`;

/**
 * Writes files on a second thread while the caller goes on rendering: the copy into the page cache (and
 * the kernel's write-back throttling) overlaps the next unit's work instead of adding to it. Synchronous
 * for the caller: `write` waits only when MAX_IN_FLIGHT files are pending, `finish` until all are written,
 * and either throws the first write error. Falls back to writing in place if no thread can be started.
 */
export class FileQueue {
  private readonly worker?: Worker;
  private readonly state?: Int32Array;
  private readonly errors?: MessagePort;
  private sent = 0;

  constructor() {
    try {
      const state = new SharedArrayBuffer(8);
      const { port1, port2 } = new MessageChannel();
      const worker = new Worker(WRITER_SOURCE, { eval: true, workerData: { state, port: port2 }, transferList: [port2] });
      worker.unref();
      this.worker = worker;
      this.state = new Int32Array(state);
      this.errors = port1;
    } catch {
      // no worker threads here: write synchronously
    }
  }

  write(file: string, text: string): void {
    if (!this.worker) return writeFileSync(file, text);
    this.worker.postMessage({ file, text });
    this.sent++;
    this.waitFor(this.sent - MAX_IN_FLIGHT);
  }

  /** Waits until every file handed over is written; then the thread ends. */
  finish(): void {
    if (!this.worker) return;
    this.waitFor(this.sent);
    void this.worker.terminate();
    this.errors!.close();
  }

  private waitFor(handled: number): void {
    const state = this.state!;
    for (let done = Atomics.load(state, 0); done < handled; done = Atomics.load(state, 0)) {
      if (Atomics.load(state, 1)) break;
      Atomics.wait(state, 0, done, 1000);
    }
    if (Atomics.load(state, 1)) {
      const message = receiveMessageOnPort(this.errors!)?.message as string | undefined;
      void this.worker!.terminate();
      throw new Error(`cannot write the plan: ${message ?? "a write failed"}`);
    }
  }
}
