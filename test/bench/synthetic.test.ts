import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BENCH_STACK, syntheticUnit, writeSyntheticRoot } from "../../bench/synthetic";
import { renderUnit } from "../../infra/4-builders/render";
import { formatDiagnostic } from "../../infra/2-manifest/diagnostics";
import { loadProject } from "../../infra/3-rules/project";

const REPO = join(__dirname, "..", "..");

describe("the benchmark's synthetic units", () => {
  let root: string;
  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), "muni-bench-test-"));
    // GIVEN 64 synthetic units (every kind of unit, every size) in a project root of their own
    writeSyntheticRoot(root, REPO, 64);
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it("GIVEN the synthetic root WHEN the bench stack loads THEN every unit is valid, across units and against the stack", () => {
    // WHEN
    const project = loadProject(root, BENCH_STACK);
    // THEN
    expect(project.diagnostics.map(formatDiagnostic)).toStrictEqual([]);
    expect(project.units.map((u) => u.unit.id)).toStrictEqual(
      readdirSync(join(root, "units")).map((f) => f.replace(/\.yaml$/, "")),
    );
    expect(project.units).toHaveLength(64);
  });

  it("GIVEN the synthetic units WHEN they are read THEN they enrol all eight services and vary in size", () => {
    // WHEN
    const units = loadProject(root, BENCH_STACK).units.map((u) => u.unit);
    // THEN
    const services = new Set(units.flatMap((u) => Object.keys(u.services)));
    expect([...services].sort()).toStrictEqual([
      "antivirus",
      "finance",
      "internet",
      "mail",
      "networkProtection",
      "print",
      "servers",
      "web",
    ]);
    const mailboxes = new Set(units.map((u) => u.services.mail!.mailboxes.length));
    const queues = new Set(units.map((u) => u.services.print!.queues.length));
    const vms = new Set(units.map((u) => u.services.servers!.vms.length));
    expect(mailboxes.size).toBeGreaterThan(10);
    expect(Math.min(...queues)).toBe(1);
    expect(Math.max(...queues)).toBeGreaterThan(4);
    expect([...vms].sort()).toStrictEqual([0, 1, 2, 3]);
  });

  it("GIVEN the synthetic units WHEN they are rendered THEN the builders accept every one", () => {
    // GIVEN
    const project = loadProject(root, BENCH_STACK);
    // WHEN
    const objects = project.units.flatMap((u) => renderUnit(u.unit, project.stack!.settings));
    // THEN every unit renders its namespace and more
    expect(objects.filter((d) => d.key === "namespace")).toHaveLength(64);
    expect(objects.length).toBeGreaterThan(64 * 10);
  });

  it("GIVEN the same seed WHEN units are generated twice THEN they are identical, and another seed differs", () => {
    // WHEN
    const again = mkdtempSync(join(tmpdir(), "muni-bench-test-"));
    try {
      writeSyntheticRoot(again, REPO, 64);
      // THEN
      for (const f of readdirSync(join(root, "units")))
        expect(readFileSync(join(again, "units", f), "utf8")).toBe(
          readFileSync(join(root, "units", f), "utf8"),
        );
    } finally {
      rmSync(again, { recursive: true, force: true });
    }
    expect(syntheticUnit(5, 1)).not.toStrictEqual(syntheticUnit(5, 2));
  });
});
