import { readFileSync } from "node:fs";
import { join } from "node:path";
import { FileQueue, MAX_IN_FLIGHT } from "../../infra/plan/file-queue";
import { tempDir } from "../helpers/manifests";

describe("the plan's file queue", () => {
  it("GIVEN more files than may be in flight WHEN written and finished THEN every file holds exactly its text", () => {
    // GIVEN
    const dir = tempDir();
    const files = Array.from({ length: MAX_IN_FLIGHT * 3 + 1 }, (_, i) => ({ file: join(dir, `u${i}.yaml`), text: `# unit ${i}: Łódź\n${"x: 1\n".repeat(i)}` }));
    // WHEN
    const q = new FileQueue();
    for (const f of files) q.write(f.file, f.text);
    q.finish();
    // THEN
    expect(files.map((f) => readFileSync(f.file, "utf8"))).toStrictEqual(files.map((f) => f.text));
  });

  it("GIVEN a file that cannot be written WHEN finished THEN the write's error is thrown", () => {
    const q = new FileQueue();
    q.write(join(tempDir(), "missing", "u.yaml"), "x: 1\n");
    expect(() => q.finish()).toThrow(/^cannot write the plan: ENOENT: no such file or directory, open '.*missing\/u\.yaml'$/);
  });
});
