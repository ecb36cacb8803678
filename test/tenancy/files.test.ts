import { execFileSync } from "node:child_process";
import { symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { csvField } from "../../infra/5-report/csv";
import { runCli } from "../helpers/manifests";
import { cliRuns, expectRefused, inRoot, located, unitYaml, hostileSuite } from "./hostile";

// Issue 13, point 6: what reaches files, spreadsheets and the terminal. The mock runtime is installed
// before the program is imported.
const { program, project } = hostileSuite();

describe("GIVEN a symbolic link among the manifests", () => {
  it("WHEN its target is a FIFO (opening it would block) THEN validate, plan and the program refuse the link, located, without opening the target", async () => {
    const root = project({});
    const fifo = join(root, "outside-the-repository");
    execFileSync("mkfifo", [fifo]);
    symlinkSync(fifo, join(root, "units", "wrogi.yaml"));
    const refusal =
      "units/wrogi.yaml:1:1: is a symbolic link, not a manifest file (a unit's manifest is a regular file in units/: replace the link with the file itself (a link could make muni read a file outside the repository))";
    await expectRefused(root, program, [refusal]);
    // Named on the command line, too.
    const direct = await inRoot(root, () => runCli(["validate", "units/wrogi.yaml"]));
    expect({ code: direct.code, located: located(direct) }).toStrictEqual({ code: 1, located: [refusal] });
  });

  it("WHEN it points at another unit's manifest (a second copy under a new name) THEN it is refused and the real manifest is read once", async () => {
    const root = project({});
    symlinkSync(join(root, "units", "mpu.yaml"), join(root, "units", "kopia.yaml"));
    const { validate } = await cliRuns(root);
    expect({ code: validate.code, located: located(validate) }).toStrictEqual({
      code: 1,
      located: [
        "units/kopia.yaml:1:1: is a symbolic link, not a manifest file (a unit's manifest is a regular file in units/: replace the link with the file itself (a link could make muni read a file outside the repository))",
      ],
    });
  });
});

describe("GIVEN quantities beyond what Kubernetes and muni hold exactly", () => {
  it("WHEN a unit's quota and a VM's disk are enormous THEN all three refuse them at the fields, exit 1, never an internal error", async () => {
    const root = project({
      units: {
        wrogi: unitYaml(
          "wrogi",
          `  servers:\n    quota: { cpu: "99999999999999999999", memory: 99999999999Ti, storage: 7Ti }\n    vms: [{ name: v, cpu: 1, memory: 1Gi, disk: 8192Ti, image: debian-12 }]`,
        ),
      },
    });
    await expectRefused(root, program, [
      'units/wrogi.yaml:12:19: services.servers.quota.cpu: CPU quantity "99999999999999999999" is 99999999999999999999000 millicores, more than Kubernetes and muni hold exactly (9007199254740991 millicores) (give at most 9007199254740 cores)',
      'units/wrogi.yaml:12:51: services.servers.quota.memory: byte quantity "99999999999Ti" is 109951162776500488372224 bytes, more than Kubernetes and muni hold exactly (8Pi, 9007199254740991 bytes) (give at most 7Pi)',
      'units/wrogi.yaml:13:49: services.servers.vms[0].disk: byte quantity "8192Ti" is 9007199254740992 bytes, more than Kubernetes and muni hold exactly (8Pi, 9007199254740991 bytes) (give at most 7Pi)',
    ]);
  });

  it("WHEN the stack's default quota is enormous THEN the stack file is refused at the field, and no rule computes with it", async () => {
    const root = project({
      settings: (s) => {
        s.defaultQuota = { ...s.defaultQuota, cpu: "9999999999999999", memory: "99999999Pi" };
      },
    });
    await expectRefused(root, program, [
      expect.stringMatching(
        /^stacks\/Pulumi\.lodz-staging\.yaml:\d+:\d+: config\["muni:settings"\]\.defaultQuota\.cpu: CPU quantity "9999999999999999" is 9999999999999999000 millicores/,
      ),
      expect.stringMatching(
        /^stacks\/Pulumi\.lodz-staging\.yaml:\d+:\d+: config\["muni:settings"\]\.defaultQuota\.memory: byte quantity "99999999Pi" is 112589989558362493157376 bytes/,
      ),
    ] as never);
  });
});

describe("GIVEN report cells a spreadsheet would run as formulas (OWASP CSV injection)", () => {
  it.each([
    ['=HYPERLINK("http://x";"klik")', ";", '"\'=HYPERLINK(""http://x"";""klik"")"'],
    ["+48 42 638 40 00", ",", '"\'+48 42 638 40 00"'],
    ["-1+cmd|' /C calc'!A0", ",", "\"'-1+cmd|' /C calc'!A0\""],
    ["@SUM(A1:A9)", ",", '"\'@SUM(A1:A9)"'],
    ["\tx", ",", '"\'\tx"'],
    ["\rx", ",", '"\'\rx"'],
    ["-12,50", ";", "-12,50"],
    ["-12.50", ",", "-12.50"],
    ["MPU", ",", "MPU"],
  ])(
    "WHEN the cell is %j (separator %j) THEN it is written %j: neutralised unless a plain number",
    (cell, sep, want) => {
      expect(csvField(cell, sep)).toBe(want);
    },
  );

  it("WHEN a unit's name starts with = and the report is written as CSV THEN the cell is neutralised", async () => {
    const root = project({});
    writeFileSync(
      join(root, "units", "zzm.yaml"),
      (await import("node:fs"))
        .readFileSync(join(root, "units", "zzm.yaml"), "utf8")
        .replace("name: Zarząd Zieleni Miejskiej w Łodzi", 'name: \'=HYPERLINK("http://x";"ZZM")\''),
    );
    const r = await inRoot(root, () => runCli(["report", "--stack", "lodz-staging", "--format", "csv"]));
    expect(r.code).toBe(0);
    const line = r.out.find((l) => l.includes("HYPERLINK"))!;
    expect(line).toContain(`"'=HYPERLINK(""http://x"";""ZZM"")"`);
  });
});
