import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { type CupsLayout, renderCupsdConf, renderCupsFilesConf } from "../../infra/4-builders/print";
import type { Registered } from "../helpers/pulumi";
import { type Daemon, freePort, must, requireBinaries, run, startDaemon, tempRoot, waitFor } from "./harness";
import { objectNamed, registeredBy } from "./program";

const UNITS = ["css", "mpu", "zzm"] as const;

describe("the Łódź print queues in real CUPS (Debian cups-daemon, 127.0.0.1)", () => {
  let registered: Registered[];
  let root: ReturnType<typeof tempRoot>;
  let cupsd: Daemon | undefined;
  let host: string;

  beforeAll(async () => {
    requireBinaries("cupsd", "lpstat");
    // GIVEN what the program registers for lodz-prod: each unit's printers.conf part in platform-print
    registered = await registeredBy("lodz-prod");
    root = tempRoot("cups");
    const T = root.dir;
    const port = await freePort(30000 + (process.pid % 20000));
    host = `127.0.0.1:${port}`;
    const layout: CupsLayout = {
      serverRoot: join(T, "etc"),
      requestRoot: join(T, "spool"),
      cacheDir: join(T, "cache"),
      stateDir: join(T, "state"),
      logDir: join(T, "log"),
      listen: host,
      allowFrom: ["127.0.0.1"],
    };
    for (const d of ["etc", "spool/tmp", "cache", "state", "log"]) mkdirSync(join(T, d), { recursive: true });
    writeFileSync(join(T, "etc", "cups-files.conf"), renderCupsFilesConf(layout));
    writeFileSync(join(T, "etc", "cupsd.conf"), renderCupsdConf(layout));
    // WHEN the platform's init step concatenates every unit's part into printers.conf, and cupsd starts
    const parts = UNITS.map(
      (u) =>
        objectNamed<{ data: Record<string, string> }>(registered, `${u}-print-queues`).data["printers.conf"]!,
    );
    writeFileSync(join(T, "etc", "printers.conf"), parts.join(""));
    must("cupsd", ["-t", "-c", join(T, "etc", "cupsd.conf"), "-s", join(T, "etc", "cups-files.conf")]);
    cupsd = startDaemon("cupsd", [
      "-f",
      "-c",
      join(T, "etc", "cupsd.conf"),
      "-s",
      join(T, "etc", "cups-files.conf"),
    ]);
    await waitFor("cupsd", cupsd, () => run("lpstat", ["-h", host, "-r"]).status === 0);
  }, 30000);

  afterAll(async () => {
    await cupsd?.stop();
    root?.remove();
  });

  it("THEN CUPS lists exactly the units' queues, prefixed with the unit id, with their driverless device URIs", () => {
    expect(must("lpstat", ["-h", host, "-v"]).trim().split("\n").sort()).toStrictEqual([
      "device for css-kadry: ipps://drukarka-112.css.lodz.pl/ipp/print",
      "device for css-obsluga-klienta: ipps://drukarka-sala.css.lodz.pl/ipp/print",
      "device for css-sekretariat: ipps://drukarka-p1.css.lodz.pl/ipp/print",
      "device for mpu-ploter: socket://ploter.mpu.lodz.pl:9100",
      "device for mpu-sekretariat: ipps://drukarka-sekretariat.mpu.lodz.pl/ipp/print",
      "device for zzm-dzial-techniczny: ipp://drukarka-b12.zzm.lodz.pl/ipp/print",
      "device for zzm-sekretariat: ipps://drukarka-a101.zzm.lodz.pl/ipp/print",
    ]);
  });

  it.each([
    ["mpu-sekretariat", "Sekretariat – kolor A4/A3", "parter, pok. 4", "@mpu-uzytkownicy"],
    ["mpu-ploter", "Ploter wielkoformatowy A0", "II piętro, pracownia planów", "@mpu-uzytkownicy"],
    ["zzm-sekretariat", "Sekretariat – A4 mono", "budynek A, pok. 101", "@zzm-uzytkownicy"],
    ["zzm-dzial-techniczny", "Dział techniczny – kolor A3", "budynek B, pok. 12", "@zzm-uzytkownicy"],
    ["css-sekretariat", "Sekretariat – kolor A4", "parter, pok. 1", "@css-uzytkownicy"],
    [
      "css-obsluga-klienta",
      "Sala obsługi – A4 mono, duplex",
      "parter, sala obsługi klienta",
      "@css-uzytkownicy",
    ],
    ["css-kadry", "CŚS kadry", "I piętro, pok. 112", "@css-uzytkownicy"],
  ])(
    "THEN lpstat shows queue %s with its description, location and only the unit's group allowed",
    (queue, description, location, group) => {
      const long = must("lpstat", ["-h", host, "-l", "-p", queue]);
      const field = (name: string) => new RegExp(`^\\t${name}: (.*)$`, "m").exec(long)?.[1];
      expect({
        description: field("Description"),
        location: field("Location"),
        allowed: /Users allowed:\n((?:\t\t.*\n)+)/.exec(long)?.[1]?.trim().split(/\s+/),
      }).toStrictEqual({
        description,
        location,
        allowed: [group],
      });
    },
  );

  it("THEN each unit's client settings make its default queue the default destination", () => {
    for (const [u, expected] of [
      ["mpu", "mpu-sekretariat"],
      ["zzm", "zzm-sekretariat"],
      ["css", "css-obsluga-klienta"],
    ] as const) {
      const client = objectNamed<{ data: Record<string, string> }>(registered, `${u}-print-client`).data;
      const home = join(root.dir, `home-${u}`);
      mkdirSync(join(home, ".cups"), { recursive: true });
      writeFileSync(join(home, ".cups", "lpoptions"), client.lpoptions!);
      expect(must("lpstat", ["-h", host, "-d"], { env: { ...process.env, HOME: home } }).trim()).toBe(
        `system default destination: ${expected}`,
      );
    }
  });
});
