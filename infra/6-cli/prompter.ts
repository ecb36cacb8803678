import { createInterface } from "node:readline";

/** Asks one question and resolves to the answer as typed (the default is applied by the caller). */
export type Prompter = (question: string, def?: string) => Promise<string>;

/** The user stopped the questions (Ctrl+C, or the input closed): nothing is written, exit 130. */
export class Interrupted extends Error {
  override name = "Interrupted";
}

/**
 * Questions on a terminal: each on standard error (standard output stays for results), the default in
 * brackets. Ctrl+C, SIGINT, or the input ending (Ctrl+D) rejects the pending question, and every later
 * one, with Interrupted.
 */
export function terminalPrompter(
  input: NodeJS.ReadableStream = process.stdin,
  output: NodeJS.WritableStream = process.stderr,
): { prompt: Prompter; close: () => void } {
  const rl = createInterface({ input, output, terminal: Boolean((input as { isTTY?: boolean }).isTTY) });
  let pending: ((e: Error) => void) | undefined;
  let stopped = false;
  const stop = () => {
    if (stopped) return;
    stopped = true;
    pending?.(new Interrupted("interrupted"));
    pending = undefined;
  };
  rl.on("SIGINT", stop);
  rl.on("close", stop);
  process.on("SIGINT", stop);
  return {
    prompt: (q, def) =>
      new Promise<string>((resolve, reject) => {
        if (stopped) return reject(new Interrupted("interrupted"));
        pending = reject;
        rl.question(`${q}${def ? ` [${def}]` : ""}: `, (answer) => {
          pending = undefined;
          resolve(answer);
        });
      }),
    close: () => {
      process.off("SIGINT", stop);
      stopped = true;
      rl.close();
    },
  };
}
