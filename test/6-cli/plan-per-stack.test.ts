import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { runCli } from "../helpers/manifests";
import { copyOfRepo, gitInit } from "../5-plan/project";
import { unitYaml } from "../3-rules/lifecycle/project";

const SERVICES = [
  "services:",
  "  internet: { bandwidthMbps: 50 }",
  "  web: { sites: [{ hostname: bip.mops.lodz.pl, kind: bip, title: BIP MOPS }] }",
].join("\n");

/** A repository at main, and MOPS added on top of it (not committed): what a pull request holds. */
function pullRequestAdding(state: "planned" | "active", wave: number): string {
  const root = copyOfRepo();
  gitInit(root);
  writeFileSync(join(root, "units", "mops.yaml"), unitYaml("mops", { state, wave }, SERVICES));
  return root;
}

/** `muni plan --base HEAD --format markdown` of one stack, the section that starts with `heading`. */
async function section(root: string, stack: string, heading: string): Promise<string[]> {
  const r = await runCli([
    "plan",
    "--root",
    root,
    "--stack",
    stack,
    "--out",
    join(root, `o-${stack}`),
    "--base",
    "HEAD",
    "--format",
    "markdown",
  ]);
  expect([stack, r.code, r.err]).toStrictEqual([stack, 0, []]);
  const start = r.out.findIndex((l) => l.startsWith(heading));
  expect([heading, start >= 0]).toStrictEqual([heading, true]);
  const end = r.out.findIndex((l, i) => i > start && l.startsWith("#### "));
  return r.out.slice(start, end < 0 ? undefined : end);
}

describe("the plan of a pull request adding a unit, per stack: what it adds, or why the stack does not take it", () => {
  it("GIVEN MOPS of wave 2 WHEN lodz-prod (taking wave 1) is planned THEN no unit changes, and MOPS is listed as not taken, with the reason", async () => {
    const root = pullRequestAdding("active", 2);
    expect(await section(root, "lodz-prod", "#### Changes against `HEAD`")).toStrictEqual(
      expect.arrayContaining([
        "No unit changes in stack `lodz-prod`: it does not take the units this change adds or edits (below).",
      ]),
    );
    expect(await section(root, "lodz-prod", "#### Not taken by stack `lodz-prod`")).toStrictEqual([
      "#### Not taken by stack `lodz-prod`",
      "",
      "| Unit | Manifest | Change | Why the stack does not take it |",
      "|---|---|---|---|",
      `| \`mops\` | \`${join(root, "units", "mops.yaml")}\` | new | units.ids [mpu, zzm, css] does not list mops; its wave 2 is not in units.waves [1] |`,
      "",
    ]);
  });

  it("GIVEN the same MOPS WHEN lodz-staging (taking every unit) is planned THEN MOPS is added object by object under staging's names, and the ledger to record is shown", async () => {
    const root = pullRequestAdding("active", 2);
    const changes = await section(root, "lodz-staging", "#### Changes against `HEAD`");
    expect(changes.filter((l) => l.startsWith("| `mops`"))).toStrictEqual([
      expect.stringMatching(/^\| `mops` \| added, new \| \d+ \| 0 \| 0 \|$/),
    ]);
    expect(changes).toContain(
      "+ Ingress stg-mops/bip-mops-staging-lodz-pl [mops-web-bip-mops-staging-lodz-pl-ingress]",
    );
    expect(
      await section(
        root,
        "lodz-staging",
        "#### Ledger `" + join(root, "stacks", "lodz-staging.units.yaml") + "`",
      ),
    ).toStrictEqual([
      "#### Ledger `" + join(root, "stacks", "lodz-staging.units.yaml") + "`",
      "",
      "This change records:",
      "",
      "- mops: new, active, wave 2, provisioned",
      "- mops: holds 0 VMs, 1 site, 0 mailboxes; data in stg-mops",
      "",
      "> [!IMPORTANT]",
      "> Not recorded yet: run `npx muni ledger --write` and commit the ledger (CI's ledger check fails until then).",
      "",
    ]);
  });

  it("GIVEN a planned MOPS of wave 1 WHEN lodz-prod is planned THEN it is taken and the plan says why nothing is provisioned yet", async () => {
    const root = pullRequestAdding("planned", 1);
    const r = await runCli(["plan", "--root", root, "--out", join(root, "o"), "--base", "HEAD"]);
    expect(r.code).toBe(0);
    expect(r.out).toContain(
      "  mops (added, new): taken, not provisioned: lifecycle.state is planned (set it to active to provision the unit)",
    );
    expect(r.out).toContain(
      "  planned, wave 1: not provisioned: lifecycle.state is planned (set it to active to provision the unit), namespace unit-mops",
    );
  });
});
