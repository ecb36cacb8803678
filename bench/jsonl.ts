import { createReadStream } from "node:fs";
import { createInterface } from "node:readline";

/** One rendered object as child-objects writes it. */
export interface ObjectLine {
  unit: string;
  /** Pulumi type token, e.g. `kubernetes:core/v1:ConfigMap`. */
  type: string;
  /** Pulumi resource name, `<unit id>-<key>`. */
  name: string;
  object: { apiVersion: string; kind: string; metadata: { name: string }; [field: string]: unknown };
}

/** Calls `each` for every line of a JSON-lines file, streaming (the file may be hundreds of MB). */
export async function readObjects(file: string, each: (line: ObjectLine) => void): Promise<void> {
  const lines = createInterface({ input: createReadStream(file, "utf8"), crlfDelay: Infinity });
  for await (const line of lines) if (line) each(JSON.parse(line) as ObjectLine);
}
