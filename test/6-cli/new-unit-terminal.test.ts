/**
 * `muni new-unit` as a real child process: on a real pseudo-terminal (util-linux `script` gives the
 * child one; its input is what the test types), and with flags on a pipe (no terminal at all).
 */
import { spawn, spawnSync } from "node:child_process";
import { copyFileSync, existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { ensureBuilt, MUNI_JS, NODE, REPO } from "../helpers/built";
import { copyOfRepo } from "../5-plan/project";

beforeAll(() => {
  ensureBuilt();
  if (spawnSync("script", ["--version"]).status !== 0)
    throw new Error(
      "util-linux `script` is missing: apt-get install bsdutils (it gives the test a pseudo-terminal)",
    );
});

function repo(): string {
  const root = copyOfRepo();
  copyFileSync(join(REPO, "CODEOWNERS"), join(root, "CODEOWNERS"));
  return root;
}

/**
 * Runs `muni new-unit` in `root` on a pseudo-terminal. Each step waits until the terminal shows `expect`
 * (after what the previous step saw), then types `type` (`\r` is Enter, `\u0003` is Ctrl+C).
 */
function onTerminal(
  root: string,
  steps: Array<[expect: string, type: string]>,
): Promise<{ code: number | null; screen: string }> {
  const child = spawn("script", ["-qec", `${NODE} ${MUNI_JS} new-unit`, "/dev/null"], {
    cwd: root,
    env: { ...process.env, NO_COLOR: "1", TERM: "dumb" },
    stdio: ["pipe", "pipe", "pipe"],
  });
  let screen = "";
  let seen = 0;
  const next = () => {
    const step = steps[0];
    if (!step) return;
    const at = screen.indexOf(step[0], seen);
    if (at < 0) return;
    seen = at + step[0].length;
    steps.shift();
    child.stdin.write(step[1]);
    next();
  };
  child.stdout.on("data", (b: Buffer) => {
    screen += b.toString("utf8");
    next();
  });
  child.stderr.on("data", (b: Buffer) => (screen += b.toString("utf8")));
  const timer = setTimeout(() => child.kill("SIGKILL"), 50_000);
  return new Promise((resolve) =>
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, screen });
    }),
  );
}

describe("muni new-unit in a real child process", () => {
  it("GIVEN a pseudo-terminal WHEN the questions are answered by typing, one wrong THEN the wrong one is shown located and asked again, and the manifest is written (exit 0)", async () => {
    const root = repo();
    const r = await onTerminal(root, [
      ["Unit id", "mops\r"],
      ["Official name", "Miejski Ośrodek Pomocy Społecznej w Łodzi\r"],
      ["Short name", "\r"],
      ["Street and number", "ul. Próchnika 7\r"],
      ["Postal code", "90408\r"],
      ["is not a valid postal code", ""],
      ["Postal code", "90-408\r"],
      ["City", "\r"],
      ["REGON", "\r"],
      ["NIP", "\r"],
      ["Cost centre", "MPK-MOPS-01\r"],
      ["Local administrators", "\r"],
      ["Operations leads", "\r"],
      ["Lifecycle state", "\r"],
      ["Onboarding wave", "1\r"],
      ["Labels", "\r"],
      ["Services", "internet\r"],
      ["bandwidth", "50\r"],
      ["Who reviews", "\r"],
    ]);
    expect([r.code, r.screen.slice(-400)]).toStrictEqual([
      0,
      expect.stringContaining("4. Once it is merged"),
    ]);
    expect(r.screen).toContain(
      'units/mops.yaml:8:15: address.postalCode: "90408" is not a valid postal code',
    );
    expect(parse(readFileSync(join(root, "units", "mops.yaml"), "utf8"))).toStrictEqual({
      id: "mops",
      name: "Miejski Ośrodek Pomocy Społecznej w Łodzi",
      shortName: "MOPS",
      address: { street: "ul. Próchnika 7", postalCode: "90-408", city: "Łódź" },
      costCentre: "MPK-MOPS-01",
      roles: {
        localAdministrators: [{ kind: "group", name: "mops-administratorzy" }],
        operationsLeads: [{ kind: "group", name: "mops-koordynatorzy-it" }],
      },
      lifecycle: { state: "active", wave: 1 },
      services: { internet: { bandwidthMbps: 50 } },
    });
    expect(readFileSync(join(root, "CODEOWNERS"), "utf8")).toContain(
      "/units/mops.yaml        @uml-lodz/mops-administratorzy",
    );
  });

  it("GIVEN a pseudo-terminal WHEN Ctrl+C is typed at the third question THEN exit 130 and nothing is written", async () => {
    const root = repo();
    const before = readFileSync(join(root, "CODEOWNERS"), "utf8");
    const r = await onTerminal(root, [
      ["Unit id", "mops\r"],
      ["Official name", "Miejski Ośrodek Pomocy Społecznej w Łodzi\r"],
      ["Short name", "\u0003"],
    ]);
    expect(r.code).toBe(130);
    expect(r.screen).toContain("muni new-unit: interrupted; nothing written");
    expect(existsSync(join(root, "units", "mops.yaml"))).toBe(false);
    expect(readFileSync(join(root, "CODEOWNERS"), "utf8")).toBe(before);
  });

  it("GIVEN a pseudo-terminal WHEN the input ends (Ctrl+D) mid-way THEN exit 130 and nothing is written", async () => {
    const root = repo();
    const r = await onTerminal(root, [
      ["Unit id", "mops\r"],
      ["Official name", "\u0004"],
    ]);
    expect(r.code).toBe(130);
    expect(existsSync(join(root, "units", "mops.yaml"))).toBe(false);
  });

  it("GIVEN no terminal (stdin a pipe) and every flag WHEN run THEN no question is asked and the manifest is written (exit 0)", () => {
    const root = repo();
    const r = spawnSync(
      NODE,
      [
        MUNI_JS,
        "new-unit",
        "--id",
        "mops",
        "--name",
        "Miejski Ośrodek Pomocy Społecznej w Łodzi",
        "--street",
        "ul. Próchnika 7",
        "--postal-code",
        "90-408",
        "--cost-centre",
        "MPK-MOPS-01",
        "--admin",
        "group:mops-administratorzy",
        "--ops-lead",
        "group:mops-koordynatorzy-it",
        "--wave",
        "1",
      ],
      { cwd: join(root, "units"), input: "", encoding: "utf8" },
    );
    expect({ status: r.status, stderr: r.stderr }).toStrictEqual({ status: 0, stderr: "" });
    expect(r.stdout.split("\n")[0]).toBe("wrote mops.yaml: unit mops (active, wave 1)");
    expect(existsSync(join(root, "units", "mops.yaml"))).toBe(true);
  });
});
