import { readFileSync } from "node:fs";
import { join } from "node:path";
import { runCli } from "../helpers/manifests";

const pkg = JSON.parse(readFileSync(join(__dirname, "..", "..", "package.json"), "utf8")) as {
  version: string;
};

describe("muni --version", () => {
  it.each([["--version"], ["-V"]])(
    "GIVEN %s WHEN run THEN it prints the package's version and the Node.js running it, exit 0",
    async (flag) => {
      expect(await runCli([flag])).toStrictEqual({
        code: 0,
        out: [`muni ${pkg.version} (Node.js ${process.version})`],
        err: [],
      });
    },
  );
});
