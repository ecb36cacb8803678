import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { stringify } from "yaml";
import type { StackSettings, Unit } from "../../infra/1-model";
import { formatDiagnostic } from "../../infra/2-manifest/diagnostics";
import { loadProject, selection } from "../../infra/3-rules/project";
import { tempDir } from "../helpers/manifests";
import { settingsWith, unitYaml } from "./lifecycle/project";

const unit = (id: string, wave: number, labels: Record<string, string> = {}): Unit =>
  ({ id, labels, lifecycle: { state: "active", wave } }) as unknown as Unit;
const rules = (units: Partial<StackSettings["units"]>): Pick<StackSettings, "units"> => ({
  units: { directories: ["units"], ...units },
});

describe("which units a stack takes: ids, waves and labels", () => {
  it.each([
    [{}, unit("mops", 2), { taken: true, reason: "it takes every unit of units" }],
    [{ ids: ["mpu", "mops"] }, unit("mops", 2), { taken: true, reason: "units.ids lists mops" }],
    [{ waves: [1, 2] }, unit("mops", 2), { taken: true, reason: "its wave 2 is in units.waves [1, 2]" }],
    [
      { labels: { district: "baluty" } },
      unit("mops", 2, { district: "baluty", pilot: "true" }),
      { taken: true, reason: "its labels include units.labels {district: baluty}" },
    ],
    [
      { ids: ["mpu", "zzm", "css"], waves: [1] },
      unit("mops", 2),
      {
        taken: false,
        reason: "units.ids [mpu, zzm, css] does not list mops; its wave 2 is not in units.waves [1]",
      },
    ],
    [
      { ids: [], labels: { district: "baluty" } },
      unit("mops", 1, { district: "widzew" }),
      {
        taken: false,
        reason: "units.ids [] does not list mops; its labels do not include units.labels {district: baluty}",
      },
    ],
  ])("GIVEN rules %j WHEN unit %j is considered THEN %j", (given, u, expected) => {
    expect(selection(rules(given as Partial<StackSettings["units"]>), u)).toStrictEqual(expected);
  });

  it("GIVEN any rules and unit WHEN considered THEN taken exactly when some given rule matches, or no rule is given", () => {
    const id = fc.constantFrom("mpu", "zzm", "mops", "css");
    fc.assert(
      fc.property(
        fc.option(fc.uniqueArray(id), { nil: undefined }),
        fc.option(fc.uniqueArray(fc.integer({ min: 1, max: 12 }), { minLength: 1 }), { nil: undefined }),
        fc.option(fc.dictionary(fc.constantFrom("district", "pilot"), fc.constantFrom("a", "b")), {
          nil: undefined,
        }),
        id,
        fc.integer({ min: 1, max: 12 }),
        fc.dictionary(fc.constantFrom("district", "pilot"), fc.constantFrom("a", "b")),
        (ids, waves, labels, uid, wave, ulabels) => {
          const settings = rules({
            ...(ids ? { ids } : {}),
            ...(waves ? { waves: waves as [number, ...number[]] } : {}),
            ...(labels ? { labels } : {}),
          });
          const expected =
            (!ids && !waves && !labels) ||
            Boolean(ids?.includes(uid)) ||
            Boolean(waves?.includes(wave)) ||
            (labels !== undefined && Object.entries(labels).every(([k, v]) => ulabels[k] === v));
          const s = selection(settings, unit(uid, wave, ulabels));
          expect(s.taken).toBe(expected);
          expect(s.reason.length).toBeGreaterThan(0);
        },
      ),
    );
  });
});

/** A project whose stack `test` has lodz-prod's settings with `units` and `dnsRewrite` replaced. */
function project(
  units: Record<string, unknown>,
  files: Record<string, string>,
  dnsRewrite?: Record<string, string>,
) {
  const root = tempDir("muni-select-");
  mkdirSync(join(root, "stacks"));
  mkdirSync(join(root, "units"));
  writeFileSync(join(root, "Pulumi.yaml"), "name: muni\nruntime: nodejs\n");
  const settings: Record<string, unknown> = {
    ...settingsWith({ liveWaves: [1], maxRemovalShare: 0.2 }),
    units,
  };
  if (dnsRewrite) settings.dnsRewrite = dnsRewrite;
  writeFileSync(
    join(root, "stacks", "Pulumi.test.yaml"),
    stringify({ config: { "muni:settings": settings } }),
  );
  for (const [id, text] of Object.entries(files)) writeFileSync(join(root, "units", `${id}.yaml`), text);
  return root;
}

const WEB_MAIL = (id: string) =>
  [
    "services:",
    "  mail: { domain: " +
      id +
      ".lodz.pl, mailboxLimit: 5, aliases: [{ name: iod, to: [iod@uml.lodz.pl] }] }",
    "  web: { sites: [{ hostname: bip." + id + ".lodz.pl, kind: bip }] }",
  ].join("\n");

describe("loadProject: the units a stack takes, as it serves them", () => {
  it("GIVEN a stack taking wave 1 and mpu by id WHEN loaded THEN wave 2's mops is not taken, with the reason", () => {
    // GIVEN
    const root = project(
      { directories: ["units"], ids: ["mpu"], waves: [1] },
      {
        mpu: unitYaml("mpu", { state: "active", wave: 3 }),
        css: unitYaml("css", { state: "active", wave: 1 }),
        mops: unitYaml("mops", { state: "planned", wave: 2 }),
      },
    );
    // WHEN
    const p = loadProject(root, "test");
    // THEN
    expect(p.diagnostics).toStrictEqual([]);
    expect(p.units.map((u) => u.unit.id)).toStrictEqual(["css", "mpu"]);
    expect(p.notTaken.map(({ unit: u, reason }) => [u.id, reason])).toStrictEqual([
      ["mops", "units.ids [mpu] does not list mops; its wave 2 is not in units.waves [1]"],
    ]);
  });

  it("GIVEN a staging stack with dnsRewrite WHEN loaded THEN the rules saw the manifests' names and the units carry staging's", () => {
    // GIVEN
    const root = project(
      { directories: ["units"] },
      { mpu: unitYaml("mpu", { state: "active" }, WEB_MAIL("mpu")) },
      {
        "lodz.pl": "staging.lodz.pl",
      },
    );
    // WHEN
    const p = loadProject(root, "test");
    // THEN
    expect(p.diagnostics).toStrictEqual([]);
    const s = p.units[0]!.unit.services;
    expect([s.mail!.domain, s.mail!.aliases[0]!.to, s.web!.sites[0]!.hostname]).toStrictEqual([
      "mpu.staging.lodz.pl",
      ["iod@uml.staging.lodz.pl"],
      "bip.mpu.staging.lodz.pl",
    ]);
  });

  it("GIVEN a dnsRewrite to itself, a key under no suffix, and a rewrite past 253 characters WHEN loaded THEN each is a located error", () => {
    // GIVEN
    const long = `${"x".repeat(63)}.${"y".repeat(63)}.${"z".repeat(63)}`;
    const root = project(
      { directories: ["units"] },
      {
        mpu: unitYaml(
          "mpu",
          { state: "active" },
          `services:\n  web: { sites: [{ hostname: ${long}.mpu.lodz.pl, kind: www }] }`,
        ),
      },
      { "lodz.pl": `${"s".repeat(60)}.lodz.pl`, "example.org": "example.org" },
    );
    // WHEN
    const got = loadProject(root, "test").diagnostics.map((d) =>
      formatDiagnostic(d).split(`${root}/`).join(""),
    );
    // THEN
    const setting = 'config["muni:settings"].dnsRewrite["example.org"]';
    expect(got.map((l) => l.replace(/:\d+:\d+:/, ":L:C:"))).toStrictEqual([
      `stacks/Pulumi.test.yaml:L:C: ${setting}: "example.org" is under none of dnsSuffixes (lodz.pl): no unit's name can end in it (use one of the stack's dnsSuffixes as the key)`,
      `stacks/Pulumi.test.yaml:L:C: ${setting}: "example.org" is renamed to itself (give the suffix this stack serves instead, e.g. staging.lodz.pl)`,
      `units/mpu.yaml:L:C: services.web.sites[0].hostname: "${long}.mpu.lodz.pl" becomes "${long}.mpu.${"s".repeat(60)}.lodz.pl" on stack test (dnsRewrite), 264 characters, over 253 (shorten the name, or the stack's dnsRewrite target)`,
    ]);
  });
});
