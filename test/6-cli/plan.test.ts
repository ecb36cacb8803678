import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseAllDocuments } from "yaml";
import { loadProject } from "../../infra/3-rules/project";
import { PLAN_GUARDS, type PlanGuard } from "../../infra/5-plan/guards";
import { planProject } from "../../infra/5-plan/render";
import { REDACTED } from "../../infra/5-plan/redact";
import { runCli, tempDir } from "../helpers/manifests";
import { copyOfRepo, gitInit } from "../5-plan/project";

/** A fourth unit made from mpu's manifest: its own id, name, domain, hostnames and groups. */
function addFourthUnit(root: string): void {
  const mpu = readFileSync(join(root, "units", "mpu.yaml"), "utf8");
  const mops = mpu
    .replace(/Miejska Pracownia Urbanistyczna/g, "Miejski Ośrodek Pomocy Społecznej")
    .replace(/MPU/g, "MOPS")
    .replace(/mpu/g, "mops");
  writeFileSync(join(root, "units", "mops.yaml"), mops);
  const stackFile = join(root, "stacks", "Pulumi.lodz-prod.yaml");
  writeFileSync(stackFile, readFileSync(stackFile, "utf8").replace("ids: [", "ids: [mops, "));
}

function removeUnit(root: string, id: string): void {
  rmSync(join(root, "units", `${id}.yaml`));
  const stackFile = join(root, "stacks", "Pulumi.lodz-prod.yaml");
  writeFileSync(stackFile, readFileSync(stackFile, "utf8").replace(new RegExp(`\\b${id}, |, ${id}\\b`), ""));
}

/** The plan of a project, as the plan command computes it (for expected values). */
function planOf(root: string, stack = "lodz-prod") {
  const p = loadProject(root, stack);
  expect(p.diagnostics).toStrictEqual([]);
  return planProject({ stack: p.stack!, units: p.units });
}

const json = (out: string[]) => JSON.parse(out.join("\n")) as Record<string, any>;

describe("muni plan", () => {
  it("GIVEN a fresh clone WHEN `muni plan` runs THEN it prints the plan of lodz-prod and writes one file per unit", async () => {
    // GIVEN
    const root = copyOfRepo();
    const out = join(root, "plan-out");
    // WHEN
    const r = await runCli(["plan", "--root", root, "--out", out]);
    // THEN
    expect(r.err).toStrictEqual([]);
    expect(r.code).toBe(0);
    const plan = planOf(root);
    const objects = plan.units.reduce((n, u) => n + u.objects.length, plan.platform.length);
    expect(plan.platform.length).toBeGreaterThan(0);
    expect(r.out[0]).toMatch(
      new RegExp(
        `^Plan of stack lodz-prod \\(.*stacks/Pulumi\\.lodz-prod\\.yaml\\): 3 units, 3 provisioned, ${objects} Kubernetes objects, `,
      ),
    );
    for (const u of plan.units) {
      expect(r.out).toContain(`${u.id}: ${u.name} (${u.file})`);
      expect(r.out).toContain(
        `  quota: cpu ${u.quota.cpu}, memory ${u.quota.memory}, storage ${u.quota.storage}, pods ${u.quota.pods}, volumes ${u.quota.volumes}, VMs ${u.quota.vms}`,
      );
    }
    expect(r.out).toContain("  mail domains: mpu.lodz.pl");
    expect(r.out).toContain("  hostnames: mpu.lodz.pl, bip.mpu.lodz.pl");
    expect(r.out).toContain("  print queues: mpu-sekretariat, mpu-ploter");
    expect(r.out).toContain(
      "Total quota of provisioned units: cpu 36, memory 136Gi, storage 6Ti, pods 190, volumes 90, VMs 5",
    );
    expect(r.out).toContain(`platform: shared mail and print servers`);
    expect(
      parseAllDocuments(readFileSync(join(out, "platform.yaml"), "utf8")).map((d) => d.toJS()),
    ).toStrictEqual(plan.platform.map((o) => o.object));
    // Each unit's file holds exactly its planned objects, in order, and parses as YAML.
    for (const u of plan.units) {
      const docs = parseAllDocuments(readFileSync(join(out, `${u.id}.yaml`), "utf8")).map((d) => d.toJS());
      expect(docs).toStrictEqual(u.objects.map((o) => o.object));
    }
    const summary = JSON.parse(readFileSync(join(out, "plan.json"), "utf8"));
    expect(summary.units.map((u: any) => [u.id, u.objects.map((o: any) => o.resource)])).toStrictEqual(
      plan.units.map((u) => [u.id, u.objects.map((o) => o.resource)]),
    );
  });

  it("THEN no Secret value and no generated value is ever written or printed", async () => {
    const root = copyOfRepo();
    const out = join(root, "plan-out");
    const r = await runCli(["plan", "--root", root, "--out", out, "--format", "json"]);
    expect(r.code).toBe(0);
    const plan = planOf(root);
    for (const o of plan.units.flatMap((u) => u.objects)) {
      if (o.object.kind === "Secret")
        for (const f of ["data", "stringData"])
          for (const v of Object.values((o.object[f] as Record<string, string>) ?? {}))
            expect(v).toBe(REDACTED);
      if (o.usesSecrets) expect(o.redacted.length).toBeGreaterThan(0);
    }
    const written = ["css", "mpu", "zzm"]
      .map((id) => readFileSync(join(out, `${id}.yaml`), "utf8"))
      .join("\n");
    expect(written).not.toMatch(/<secret:[^>]*>/);
    expect(written).not.toMatch(/BEGIN (RSA )?PRIVATE KEY/);
  });

  it("GIVEN --out names a directory the plan did not write WHEN planning THEN it refuses to clear it (exit 2)", async () => {
    const root = copyOfRepo();
    const foreign = tempDir();
    writeFileSync(join(foreign, "notes.txt"), "mine");
    const r = await runCli(["plan", "--root", root, "--out", foreign]);
    expect({ code: r.code, err: r.err }).toStrictEqual({
      code: 2,
      err: [
        `muni: ${foreign} is not empty and was not written by muni plan: give --out a new or empty directory`,
      ],
    });
    expect(readFileSync(join(foreign, "notes.txt"), "utf8")).toBe("mine");
  });

  it("GIVEN an earlier plan in --out WHEN a unit is gone THEN its stale file is gone too", async () => {
    const root = copyOfRepo();
    const out = join(root, "plan-out");
    rmSync(join(root, "stacks", "lodz-prod.units.yaml"), { force: true }); // no ledger: removal is not refused here
    expect((await runCli(["plan", "--root", root, "--out", out])).code).toBe(0);
    removeUnit(root, "zzm");
    expect((await runCli(["plan", "--root", root, "--out", out])).code).toBe(0);
    expect(["css.yaml", "mpu.yaml", "zzm.yaml"].map((f) => existsSync(join(out, f)))).toStrictEqual([
      true,
      true,
      false,
    ]);
  });

  it("GIVEN an unknown stack WHEN planning THEN exit 2 naming the known stacks", async () => {
    const r = await runCli(["plan", "--root", copyOfRepo(), "--stack", "krakow"]);
    expect({ code: r.code, err: r.err }).toStrictEqual({
      code: 2,
      err: [
        'muni: unknown stack "krakow": no stacks/Pulumi.krakow.yaml (known stacks: lodz-prod, lodz-staging)',
      ],
    });
  });

  it("GIVEN an invalid manifest WHEN planning THEN exit 1 with the located problem and nothing planned", async () => {
    const root = copyOfRepo();
    const file = join(root, "units", "zzm.yaml");
    writeFileSync(file, readFileSync(file, "utf8").replace("bandwidthMbps: 200", "bandwidthMbps: fast"));
    const r = await runCli(["plan", "--root", root, "--out", join(root, "o")]);
    expect(r.code).toBe(1);
    expect(
      r.err.filter((l) => /units\/zzm\.yaml:\d+:\d+: services\.internet\.bandwidthMbps: /.test(l)),
    ).toHaveLength(1);
    expect(r.err.at(-1)).toMatch(/^muni plan: \d+ problem\(s\) in stack lodz-prod; nothing planned$/);
    expect(r.out).toStrictEqual([]);
    expect(existsSync(join(root, "o"))).toBe(false);
  });
});

describe("muni plan --base", () => {
  it("GIVEN a fourth unit added since HEAD WHEN `plan --base HEAD` THEN exactly that unit's objects are added", async () => {
    // GIVEN
    const root = copyOfRepo();
    gitInit(root);
    addFourthUnit(root);
    // WHEN
    const r = await runCli([
      "plan",
      "--root",
      root,
      "--out",
      join(root, "o"),
      "--base",
      "HEAD",
      "--format",
      "json",
    ]);
    // THEN
    expect(r.code).toBe(0);
    const mops = planOf(root).units.find((u) => u.id === "mops")!;
    expect(mops.objects.length).toBeGreaterThan(10);
    const d = json(r.out).diff;
    // The shared mail and print servers read their tenants at run time: a new unit changes nothing of theirs.
    expect(d.totals).toStrictEqual({
      added: mops.objects.length,
      changed: 0,
      removed: 0,
      unchanged: planOf(root)
        .units.filter((u) => u.id !== "mops")
        .reduce((n, u) => n + u.objects.length, planOf(root).platform.length),
    });
    expect(d.units.map((u: any) => [u.id, u.status])).toStrictEqual([
      ["css", "unchanged"],
      ["mops", "added"],
      ["mpu", "unchanged"],
      ["zzm", "unchanged"],
      ["(platform)", "unchanged"],
    ]);
    expect(d.units[1].added.map((o: any) => o.resource)).toStrictEqual(mops.objects.map((o) => o.resource));
  });

  it("GIVEN the same change WHEN the text plan is printed THEN the added unit is listed object by object", async () => {
    const root = copyOfRepo();
    gitInit(root);
    addFourthUnit(root);
    const r = await runCli(["plan", "--root", root, "--out", join(root, "o"), "--base", "HEAD"]);
    expect(r.code).toBe(0);
    const mops = planOf(root).units.find((u) => u.id === "mops")!;
    const start = r.out.findIndex((l) => l.startsWith("Changes against HEAD ("));
    expect(r.out[start]).toMatch(
      new RegExp(
        `^Changes against HEAD \\([0-9a-f]{12}\\): ${mops.objects.length} to add, 0 to change, 0 to remove, \\d+ unchanged$`,
      ),
    );
    expect(r.out[start + 1]).toBe(`  mops (added, new): ${mops.objects.length} to add`);
    expect(r.out[start + 2]).toBe("    + Namespace unit-mops [mops-namespace]");
    expect(r.out.slice(start + 2, start + 2 + mops.objects.length).every((l) => l.startsWith("    + "))).toBe(
      true,
    );
    expect(r.out.slice(-6)).toStrictEqual([
      "  unchanged: css, mpu, zzm, (platform)",
      "",
      `Ledger ${join(root, "stacks", "lodz-prod.units.yaml")} records:`,
      "  mops: new, active, wave 1, provisioned",
      // What holds the new unit's data: from now on removing any of it is a retirement (docs/lifecycle.md).
      "  mops: holds 2 VMs (gis, archiwum-planow), 2 sites, 5 mailboxes; data in unit-mops, unit-mops-vm",
      "  not recorded yet: run npx muni ledger --write and commit it",
    ]);
  });

  it("GIVEN an active unit's manifest deleted since HEAD WHEN planning THEN the lifecycle refuses (exit 1), naming the unit", async () => {
    const root = copyOfRepo();
    gitInit(root);
    removeUnit(root, "zzm");
    const r = await runCli(["plan", "--root", root, "--out", join(root, "o"), "--base", "HEAD"]);
    expect(r.code).toBe(1);
    expect(r.err.join("\n")).toContain('unit "zzm" is active and provisioned (per ');
  });

  it("GIVEN no ledger WHEN a unit's manifest is deleted THEN the plan shows its objects removed and the base guard refuses it (exit 1)", async () => {
    // GIVEN a project without the lifecycle ledger: only the comparison with the base can see the removal
    const root = copyOfRepo();
    rmSync(join(root, "stacks", "lodz-prod.units.yaml"), { force: true });
    gitInit(root);
    const zzm = planOf(root).units.find((u) => u.id === "zzm")!;
    removeUnit(root, "zzm");
    // WHEN
    const r = await runCli([
      "plan",
      "--root",
      root,
      "--out",
      join(root, "o"),
      "--base",
      "HEAD",
      "--format",
      "json",
    ]);
    // THEN the diff shows exactly zzm's objects removed, data-bearing ones flagged (Pulumi retains them)
    const d = json(r.out).diff;
    expect([d.totals.added, d.totals.removed]).toStrictEqual([0, zzm.objects.length]);
    // Nothing else changes: the shared servers drop zzm's tenant at run time, when its objects go.
    expect(d.units.filter((x: any) => x.changed.length).map((x: any) => x.id)).toStrictEqual([]);
    const u = d.units.find((x: any) => x.id === "zzm");
    expect([u.status, u.stateBefore, u.stateAfter]).toStrictEqual(["removed", "active", null]);
    expect(u.removed.map((o: any) => o.resource)).toStrictEqual(zzm.objects.map((o) => o.resource));
    expect(u.removed.filter((o: any) => o.dataBearing).map((o: any) => o.resource)).toStrictEqual(
      zzm.objects.filter((o) => o.dataBearing).map((o) => o.resource),
    );
    // AND the lifecycle guard, fed the base, refuses: located at the manifest as it was at the ref
    expect(r.code).toBe(1);
    expect(d.guardFindings).toStrictEqual([
      expect.stringMatching(
        /^HEAD:units\/zzm\.yaml:\d+:\d+: id: unit "zzm" is active and provisioned \(per git ref HEAD\) but is no longer among the stack's units/,
      ),
    ]);
    expect(r.err.at(-1)).toBe("muni plan: the lifecycle guards refuse this change (1 finding(s))");
  });

  it("GIVEN a decommissioning unit at HEAD WHEN it becomes decommissioned THEN every object of it is removed, and the plan passes", async () => {
    // GIVEN zzm decommissioning with an approval in force, recorded so in the ledger
    const root = copyOfRepo();
    const file = join(root, "units", "zzm.yaml");
    const approval =
      "  approval:\n    approvedBy: Jan Kowalski, Dyrektor\n    approvedOn: 2026-01-10\n    reference: DI-II.0210.1.2026\n    expiresOn: 2099-12-31\n";
    writeFileSync(
      file,
      readFileSync(file, "utf8")
        .replace("  state: active\n", "  state: decommissioning\n")
        .replace("  onboardedOn: 2026-04-20\n", `  onboardedOn: 2026-04-20\n${approval}`),
    );
    const ledger = join(root, "stacks", "lodz-prod.units.yaml");
    if (existsSync(ledger))
      writeFileSync(
        ledger,
        readFileSync(ledger, "utf8").replace(/(\n  zzm:\n    state: )active/, "$1decommissioning"),
      );
    expect(planOf(root).units.find((u) => u.id === "zzm")!.state).toBe("decommissioning");
    const before = planOf(root).units.find((u) => u.id === "zzm")!;
    gitInit(root);
    // WHEN
    writeFileSync(
      file,
      readFileSync(file, "utf8").replace("  state: decommissioning\n", "  state: decommissioned\n"),
    );
    const r = await runCli([
      "plan",
      "--root",
      root,
      "--out",
      join(root, "o"),
      "--base",
      "HEAD",
      "--format",
      "json",
    ]);
    // THEN
    expect(r.err).toStrictEqual([]);
    expect(r.code).toBe(0);
    const d = json(r.out).diff;
    const u = d.units.find((x: any) => x.id === "zzm");
    expect([u.status, u.stateBefore, u.stateAfter]).toStrictEqual([
      "removed",
      "decommissioning",
      "decommissioned",
    ]);
    expect(u.removed.map((o: any) => o.resource)).toStrictEqual(before.objects.map((o) => o.resource));
    expect(d.guardFindings).toStrictEqual([]);
  });

  it("GIVEN a quota change WHEN `plan --base HEAD` THEN the field-level diff names the path and both values", async () => {
    const root = copyOfRepo();
    gitInit(root);
    const file = join(root, "units", "mpu.yaml");
    writeFileSync(file, readFileSync(file, "utf8").replace('cpu: "12"', 'cpu: "16"'));
    const r = await runCli(["plan", "--root", root, "--out", join(root, "o"), "--base", "HEAD"]);
    expect(r.code).toBe(0);
    expect(r.out).toContain("    ~ ResourceQuota unit-mpu/unit-quota [mpu-quota]");
    // The unit namespace's share of the quota (the VMs' namespace takes the rest) grows by the same 4 CPUs.
    const start = r.out.findIndex((l) => l.startsWith("Changes against HEAD"));
    expect(r.out.slice(start + 1)).toStrictEqual([
      "  mpu (changed): 2 to change",
      "    ~ ResourceQuota unit-mpu/unit-quota [mpu-quota]",
      '        spec.hard["requests.cpu"]: "6" → "10"',
      '        spec.hard["limits.cpu"]: "6" → "10"',
      "    ~ LimitRange unit-mpu/unit-limits [mpu-limits]",
      '        spec.limits[0].max.cpu: "6" → "10"',
      "  unchanged: css, zzm, (platform)",
    ]);
  });

  it("GIVEN the markdown format WHEN the plan has changes THEN it is a PR comment with a table and a diff block per unit", async () => {
    const root = copyOfRepo();
    gitInit(root);
    const file = join(root, "units", "mpu.yaml");
    writeFileSync(file, readFileSync(file, "utf8").replace('cpu: "12"', 'cpu: "16"'));
    const r = await runCli([
      "plan",
      "--root",
      root,
      "--out",
      join(root, "o"),
      "--base",
      "HEAD",
      "--format",
      "markdown",
    ]);
    expect(r.code).toBe(0);
    const md = r.out.join("\n");
    expect(r.out[0]).toBe("<!-- muni-plan stack=lodz-prod -->");
    expect(md).toContain("| `mpu` | changed | 0 | 2 | 0 |");
    expect(md).toContain(
      '<details><summary>mpu (changed): 2 to change</summary>\n\n```diff\n! ResourceQuota unit-mpu/unit-quota [mpu-quota]\n  spec.hard["requests.cpu"]: "6" → "10"',
    );
    expect(md).toContain("| `css` Centrum Świadczeń Socjalnych w Łodzi | active, wave 1 |");
  });

  it("GIVEN an extra guard that refuses the change WHEN planning THEN the plan prints and exits 1 with the finding", async () => {
    const root = copyOfRepo();
    gitInit(root);
    addFourthUnit(root);
    const guard: PlanGuard = (base, current) =>
      current
        .filter((u) => !base.units.some((p) => p.id === u.unit.id))
        .map((u) => `unit ${u.unit.id}: new units need the board's approval first`);
    PLAN_GUARDS.push(guard);
    try {
      const r = await runCli(["plan", "--root", root, "--out", join(root, "o"), "--base", "HEAD"]);
      expect(r.code).toBe(1);
      expect(r.out).toContain("  guard: unit mops: new units need the board's approval first");
      expect(r.err.slice(-2)).toStrictEqual([
        "unit mops: new units need the board's approval first",
        "muni plan: the lifecycle guards refuse this change (1 finding(s))",
      ]);
    } finally {
      PLAN_GUARDS.splice(PLAN_GUARDS.indexOf(guard), 1);
    }
  });

  it("GIVEN a ref that does not exist WHEN planning THEN exit 2 with how to fetch it", async () => {
    const root = copyOfRepo();
    gitInit(root);
    const r = await runCli(["plan", "--root", root, "--out", join(root, "o"), "--base", "origin/nope"]);
    expect({ code: r.code, err: r.err }).toStrictEqual({
      code: 2,
      err: [
        'muni: unknown git ref "origin/nope": no such branch, tag or commit here (fetch it first, e.g. git fetch origin main; in CI check out with fetch-depth: 0)',
      ],
    });
  });

  it("GIVEN a project outside git WHEN planning with --base THEN exit 2", async () => {
    const root = copyOfRepo();
    const r = await runCli(["plan", "--root", root, "--out", join(root, "o"), "--base", "HEAD"]);
    expect(r.code).toBe(2);
    expect(r.err[0]).toMatch(
      /^muni: --base needs a git checkout, and .* is not inside one \(fatal: not a git repository/,
    );
  });

  it("GIVEN a base whose manifests do not validate WHEN planning THEN exit 2 naming the problem at the ref", async () => {
    const root = copyOfRepo();
    const file = join(root, "units", "zzm.yaml");
    const good = readFileSync(file, "utf8");
    writeFileSync(file, good.replace("bandwidthMbps: 200", "bandwidthMbps: fast"));
    gitInit(root);
    writeFileSync(file, good);
    const r = await runCli(["plan", "--root", root, "--out", join(root, "o"), "--base", "HEAD"]);
    expect(r.code).toBe(2);
    expect(r.err[0]).toBe(
      "muni: the manifests at base HEAD do not validate, so there is nothing sound to compare against:",
    );
    expect(
      r.err.filter((l) => /^HEAD:units\/zzm\.yaml:\d+:\d+: services\.internet\.bandwidthMbps: /.test(l)),
    ).toHaveLength(1);
  });

  it("GIVEN a stack that did not exist at the base WHEN planning THEN every unit is added, with a note", async () => {
    const root = copyOfRepo();
    gitInit(root);
    mkdirSync(join(root, "stacks"), { recursive: true });
    writeFileSync(
      join(root, "stacks", "Pulumi.lodz-test.yaml"),
      readFileSync(join(root, "stacks", "Pulumi.lodz-staging.yaml"), "utf8"),
    );
    const r = await runCli([
      "plan",
      "--root",
      root,
      "--out",
      join(root, "o"),
      "--base",
      "HEAD",
      "--stack",
      "lodz-test",
      "--format",
      "json",
    ]);
    expect(r.code).toBe(0);
    const d = json(r.out).diff;
    expect(d.note).toBe("stack lodz-test did not exist at HEAD: every unit is new");
    expect(d.units.every((u: any) => u.status === "added")).toBe(true);
  });
});
