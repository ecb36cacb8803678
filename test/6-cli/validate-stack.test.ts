import { cpSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCliIn } from "../helpers/manifests";

const FIXTURE = join(__dirname, "..", "fixtures", "stacks", "basic");
const REPO = join(__dirname, "..", "..");

describe("muni validate --stack: the units of a stack against its settings, as pulumi up checks them", () => {
  it("GIVEN lodz-prod WHEN validated against its stack THEN the three units pass, exit 0", async () => {
    expect(await runCliIn(REPO, ["validate", "--stack", "lodz-prod"])).toStrictEqual({
      code: 0,
      out: ["3 manifests valid: css, mpu, zzm", "checked against stack lodz-prod (3 units: css, mpu, zzm)"],
      err: [],
    });
  });

  it("GIVEN a unit whose mail domain is outside the stack's suffixes WHEN validated without --stack (every stack) and with it THEN both find it, located, naming the stacks checked, exit 1", async () => {
    // GIVEN a copy of the fixture project with a unit on a foreign domain
    const root = mkdtempSync(join(tmpdir(), "muni-vstack-"));
    cpSync(FIXTURE, root, { recursive: true });
    writeFileSync(
      join(root, "units", "obca.yaml"),
      [
        "id: obca",
        "name: Jednostka z obcą domeną",
        "shortName: JOD",
        "address: { street: ul. Piotrkowska 104, postalCode: 90-926, city: Łódź }",
        "costCentre: MPK-JOD",
        "roles:",
        "  localAdministrators: [{ kind: user, name: admin@obca.example.org }]",
        "  operationsLeads: [{ kind: user, name: admin@obca.example.org }]",
        "lifecycle: { state: active, wave: 1 }",
        "services:",
        "  mail: { domain: obca.example.org, mailboxLimit: 5 }",
        "",
      ].join("\n"),
    );
    const problem =
      'units/obca.yaml:11:19: services.mail.domain: "obca.example.org" is not under an allowed mail suffix of stack test (use a domain ending in lodz.pl)';
    // WHEN / THEN: plain validate checks it against every stack that takes it
    expect(await runCliIn(root, ["validate"])).toStrictEqual({
      code: 1,
      out: [],
      err: [problem, "1 problem in 1 of 3 files; checked against stack test (3 units: bare, obca, open)"],
    });
    // WHEN / THEN: and so does --stack
    expect(await runCliIn(root, ["validate", "--stack", "test"])).toStrictEqual({
      code: 1,
      out: [],
      err: [problem, "1 problem in 1 of 3 files; checked against stack test (3 units: bare, obca, open)"],
    });
  });

  it("GIVEN an unknown stack, or paths with --stack WHEN validated THEN a usage error, exit 2", async () => {
    expect(await runCliIn(REPO, ["validate", "--stack", "krakow"])).toStrictEqual({
      code: 2,
      out: [],
      err: [
        'muni: unknown stack "krakow": no stacks/Pulumi.krakow.yaml (known stacks: lodz-prod, lodz-staging)',
      ],
    });
    expect(await runCliIn(REPO, ["validate", "units", "--stack", "lodz-prod"])).toStrictEqual({
      code: 2,
      out: [],
      err: ["muni: give manifest paths or --stack, not both (a stack names its own unit directories)"],
    });
  });
});
