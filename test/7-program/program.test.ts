import * as pulumi from "@pulumi/pulumi";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { installMocks, settle, unwrap } from "../helpers/pulumi";

// GIVEN the mock runtime and the stack's config as the Pulumi engine would hold it (before the import).
const mocks = installMocks("lodz-prod");
const file = parse(readFileSync(join(__dirname, "..", "..", "stacks", "Pulumi.lodz-prod.yaml"), "utf8")) as {
  config: Record<string, unknown>;
};
pulumi.runtime.setAllConfig({ "muni:settings": JSON.stringify(file.config["muni:settings"]) });

describe("the Pulumi entry point (package.json main)", () => {
  it("GIVEN stack lodz-prod's config WHEN Pulumi calls the program THEN it provisions the three units", async () => {
    // WHEN
    const program = (await import("../../infra/7-program/program")).default;
    const outputs = program();
    // THEN
    expect(await unwrap(outputs.namespaces)).toStrictEqual({
      css: "unit-css",
      mpu: "unit-mpu",
      zzm: "unit-zzm",
    });
    await settle();
    expect(
      mocks.registered
        .filter((r) => r.type === "muni:unit:Unit")
        .map((r) => r.name)
        .sort(),
    ).toStrictEqual(["css", "mpu", "zzm"]);
  });

  it("GIVEN package.json WHEN Pulumi loads the project THEN main points at the compiled program", () => {
    const pkg = JSON.parse(readFileSync(join(__dirname, "..", "..", "package.json"), "utf8")) as {
      main: string;
    };
    expect(pkg.main).toBe("dist/infra/7-program/program.js");
    const project = parse(readFileSync(join(__dirname, "..", "..", "Pulumi.yaml"), "utf8")) as Record<
      string,
      unknown
    >;
    expect(project).toStrictEqual({
      name: "muni",
      description: expect.any(String),
      runtime: { name: "nodejs", options: { typescript: false } },
      stackConfigDir: "stacks",
    });
  });
});
