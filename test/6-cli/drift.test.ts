import { join } from "node:path";
import { runCli, writeTempFile } from "../helpers/manifests";

const FIX = join(__dirname, "..", "fixtures", "drift");
const ROOT = join(__dirname, "..", "..");
const f = (name: string) => join(FIX, name);

describe("muni drift", () => {
  it("GIVEN a recorded preview with three drifts WHEN reported THEN each is listed under its unit with what drifted, old → new, exit 1", async () => {
    const r = await runCli(["drift", f("preview-drift.json")]);
    expect(r.code).toBe(1);
    expect(r.out).toStrictEqual([
      "Drift of stack lodz-prod: 3 of 150 resources drifted in 3 unit(s)",
      "css: 1 drifted",
      "  update kubernetes:rbac.authorization.k8s.io/v1:RoleBinding css-rb-local-administrators: changed on the cluster: would be set back",
      "      added on the cluster: User kontraktor@example.invalid (would be removed)",
      '      subjects[1]: {"apiGroup":"rbac.authorization.k8s.io","kind":"User","name":"kontraktor@example.invalid"} on the cluster → (none) from the manifests',
      "mpu: 1 drifted",
      "  update kubernetes:core/v1:ResourceQuota mpu-quota: changed on the cluster: would be set back",
      '      spec.hard["requests.cpu"]: "24" on the cluster → "12" from the manifests',
      "zzm: 1 drifted",
      "  create kubernetes:networking.k8s.io/v1:NetworkPolicy zzm-netpol-default-deny: missing on the cluster: would be created",
      "Nothing was changed: review the drift, then either restore the manifests' state with pulumi up or record the change in the manifests.",
    ]);
  });

  it("GIVEN the same preview as an event stream WHEN reported as JSON THEN the report is the same", async () => {
    const a = await runCli(["drift", f("preview-drift.json"), "--format", "json"]);
    const b = await runCli(["drift", f("preview-drift-events.jsonl"), "--format", "json"]);
    expect([a.code, b.code]).toStrictEqual([1, 1]);
    const ja = JSON.parse(a.out.join("\n"));
    const jb = JSON.parse(b.out.join("\n"));
    expect(jb).toStrictEqual(ja);
    expect(
      ja.units.map((u: { unit: string; resources: unknown[] }) => [u.unit, u.resources.length]),
    ).toStrictEqual([
      ["css", 1],
      ["mpu", 1],
      ["zzm", 1],
    ]);
    expect(ja.units[1].resources[0]).toStrictEqual({
      op: "update",
      urn: "urn:pulumi:lodz-prod::muni::muni:unit:Unit$kubernetes:core/v1:ResourceQuota::mpu-quota",
      type: "kubernetes:core/v1:ResourceQuota",
      name: "mpu-quota",
      fields: [{ path: 'spec.hard["requests.cpu"]', kind: "update", live: "24", desired: "12" }],
      notes: [],
    });
    expect(ja.units[0].resources[0].notes).toStrictEqual([
      "added on the cluster: User kontraktor@example.invalid (would be removed)",
    ]);
  });

  it("GIVEN the markdown format THEN it is a table ready for an issue or PR comment", async () => {
    const r = await runCli([
      "drift",
      f("preview-drift.json"),
      "--format",
      "markdown",
      "--stack",
      "lodz-prod",
      "--root",
      ROOT,
    ]);
    expect(r.code).toBe(1);
    expect(r.out.slice(0, 4)).toStrictEqual([
      "<!-- muni-drift stack=lodz-prod -->",
      "### muni drift: stack `lodz-prod`",
      "",
      "**3 of 150 resources drifted** in 3 unit(s). Nothing was changed.",
    ]);
    expect(r.out).toContain(
      '| `mpu` | `mpu-quota` | `kubernetes:core/v1:ResourceQuota` | changed on the cluster: would be set back | spec.hard["requests.cpu"]: "24" on the cluster → "12" from the manifests |',
    );
  });

  it("GIVEN a preview without drift WHEN reported THEN exit 0", async () => {
    const r = await runCli(["drift", f("preview-clean.json")]);
    expect({ code: r.code, out: r.out }).toStrictEqual({
      code: 0,
      out: ["Drift of stack lodz-prod: none (150 resources checked)"],
    });
  });

  it("GIVEN a preview that failed WHEN reported THEN the headline says so (never 'none'), the error is shown and exit 1", async () => {
    const r = await runCli(["drift", f("preview-error.json")]);
    expect(r.code).toBe(1);
    expect(r.out[0]).toBe(
      "Drift of stack lodz-prod: the preview failed (1 error): drift unknown; none seen among the 2 resources checked before it stopped",
    );
    expect(r.out[1]).toMatch(/^preview error: error: configured Kubernetes cluster is unreachable/);
    const md = await runCli(["drift", f("preview-error.json"), "--format", "markdown"]);
    expect(md.out[3]).toBe(
      "**The preview failed: drift unknown.** None seen among the 2 resources checked before it stopped. Nothing was changed.",
    );
    expect(md.out.join("\n")).not.toContain("No drift");
  });

  it.each([
    [
      "empty input",
      "",
      "the preview output is empty: run pulumi preview --refresh --json and pass its output",
    ],
    [
      "not JSON",
      "Previewing update (lodz-prod)\n",
      "line 1 is not JSON: pass the output of pulumi preview --json (a digest, or one engine event per line)",
    ],
    [
      "JSON of something else",
      '{"name": "muni"}',
      "no steps, changeSummary or diagnostics: this is not the JSON of pulumi preview --json",
    ],
    [
      "a step without a URN",
      '{"steps": [{"op": "update"}]}',
      'steps[0]: a step needs "op" and a "urn:pulumi:..." urn',
    ],
  ])("GIVEN %s WHEN reported THEN exit 2 with what to pass", async (_t, text, message) => {
    const file = writeTempFile("preview.json", text);
    const r = await runCli(["drift", file]);
    expect({ code: r.code, err: r.err }).toStrictEqual({ code: 2, err: [`muni: ${file}: ${message}`] });
  });

  it("GIVEN a file that does not exist WHEN reported THEN exit 2", async () => {
    const r = await runCli(["drift", "/nonexistent/preview.json"]);
    expect({ code: r.code, err: r.err }).toStrictEqual({
      code: 2,
      err: [
        "muni: cannot read /nonexistent/preview.json: ENOENT (give the file pulumi preview --json wrote)",
      ],
    });
  });

  it("GIVEN --stack naming another stack than the preview's WHEN reported THEN exit 2", async () => {
    const r = await runCli(["drift", f("preview-drift.json"), "--stack", "lodz-staging", "--root", ROOT]);
    expect({ code: r.code, err: r.err }).toStrictEqual({
      code: 2,
      err: ["muni: the preview is of stack lodz-prod, not lodz-staging"],
    });
  });

  it("GIVEN an unknown --stack WHEN reported THEN exit 2", async () => {
    const r = await runCli(["drift", f("preview-drift.json"), "--stack", "krakow", "--root", ROOT]);
    expect(r.code).toBe(2);
    expect(r.err[0]).toMatch(/^muni: unknown stack "krakow"/);
  });
});
