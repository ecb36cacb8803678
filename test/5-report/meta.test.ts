import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { longDate, TEXT } from "../../infra/5-report/i18n";
import { formatSize } from "../../infra/5-report/sizes";
import { reportMeta } from "../../infra/6-cli/report";
import { runCli, tempDir } from "../helpers/manifests";
import { copyOfRepo, gitInit } from "../5-plan/project";

const GiB = 2 ** 30;

describe("what a report says about itself and its sizes", () => {
  it.each([
    [0, "0\u00a0GiB", "0\u00a0GiB"],
    [512 * 2 ** 20, "0,5\u00a0GiB", "0.5\u00a0GiB"],
    [48 * GiB, "48\u00a0GiB", "48\u00a0GiB"],
    [1023 * GiB, "1023\u00a0GiB", "1023\u00a0GiB"],
    [1024 * GiB, "1\u00a0TiB", "1\u00a0TiB"],
    [1536 * GiB, "1,5\u00a0TiB", "1.5\u00a0TiB"],
    [100 * 1024 * GiB, "100\u00a0TiB", "100\u00a0TiB"],
  ])(
    "GIVEN %d bytes WHEN shown THEN %s (pl) and %s (en): GiB below a TiB, TiB above, never Gi or Ti",
    (bytes, pl, en) => {
      expect([formatSize(bytes, "pl"), formatSize(bytes, "en")]).toStrictEqual([pl, en]);
    },
  );

  it("GIVEN each month WHEN a date is written THEN Polish uses the genitive and 'r.'", () => {
    expect(
      Array.from({ length: 12 }, (_, m) => longDate(`2026-${String(m + 1).padStart(2, "0")}-02`, "pl")),
    ).toStrictEqual(
      [
        "stycznia",
        "lutego",
        "marca",
        "kwietnia",
        "maja",
        "czerwca",
        "lipca",
        "sierpnia",
        "września",
        "października",
        "listopada",
        "grudnia",
      ].map((m) => `2 ${m} 2026 r.`),
    );
    expect(longDate("2026-12-31", "en")).toBe("31 December 2026");
  });

  it.each([
    [
      { date: "2026-03-02", revision: "0123456789ab" },
      "Stan na dzień 2 marca 2026 r. Sporządzono na podstawie wersji 0123456789ab repozytorium konfiguracji.",
    ],
    [
      { date: "2026-03-02", revision: "0123456789ab", dirty: true },
      "Stan na dzień 2 marca 2026 r. Sporządzono na podstawie wersji 0123456789ab repozytorium konfiguracji wraz ze zmianami jeszcze niezatwierdzonymi.",
    ],
    [
      { date: "2026-03-02" },
      "Stan na dzień 2 marca 2026 r. Sporządzono na podstawie plików konfiguracji spoza repozytorium (wersja nieznana).",
    ],
  ])("GIVEN the origin %j WHEN stated THEN %s", (meta, text) => {
    expect(TEXT.pl.made(meta)).toBe(text);
  });

  it("GIVEN a repository WHEN the origin is read THEN the HEAD commit, marked once a manifest differs from it; outside git, no commit", () => {
    const root = copyOfRepo();
    const git = gitInit(root);
    const head = git("rev-parse", "--short=12", "HEAD").trim();
    const files = [join(root, "units", "mpu.yaml")];
    const env = { MUNI_TODAY: "2026-03-02" };
    expect(reportMeta(root, { lifecycle: {} as never }, files, env)).toStrictEqual({
      date: "2026-03-02",
      revision: head,
      dirty: false,
    });
    writeFileSync(files[0]!, "# changed\n", { flag: "a" });
    expect(reportMeta(root, { lifecycle: {} as never }, files, env)).toStrictEqual({
      date: "2026-03-02",
      revision: head,
      dirty: true,
    });
    const outside = tempDir("muni-nogit-");
    expect(reportMeta(outside, { lifecycle: {} as never }, [], env)).toStrictEqual({ date: "2026-03-02" });
  });

  it("GIVEN the JSON report WHEN made THEN it says when and from which commit", async () => {
    const before = process.env.MUNI_TODAY;
    process.env.MUNI_TODAY = "2026-03-02";
    try {
      const r = await runCli(["report", "--format", "json", "--section", "matrix"]);
      const generated = JSON.parse(r.out.join("\n")).generated;
      expect(generated).toStrictEqual({
        date: "2026-03-02",
        revision: expect.stringMatching(/^[0-9a-f]{12}$/),
        uncommittedChanges: expect.any(Boolean),
      });
    } finally {
      if (before === undefined) delete process.env.MUNI_TODAY;
      else process.env.MUNI_TODAY = before;
    }
  });
});
