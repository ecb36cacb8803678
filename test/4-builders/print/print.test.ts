/**
 * The print builders as pure functions: a unit's queues become its part of CUPS's printers.conf (in the
 * platform's namespace) and its workstations' client settings (in its own), asserted whole.
 */
import { buildPrint, printQueues, printServerOf, renderPrintersConf } from "../../../infra/4-builders/print";
import { strictSchemaErrors } from "../../helpers/k8s-schemas";
import { contextOf } from "../web/context";

const LABELS = {
  "app.kubernetes.io/managed-by": "muni",
  "muni.lodz.pl/unit": "mpu",
  "muni.lodz.pl/service": "print",
};

const MPU_PRINTERS_CONF = `# muni print queues of unit mpu: generated from units/mpu.yaml, do not edit
<Printer mpu-sekretariat>
Info Sekretariat – kolor A4/A3
Location parter, pok. 4
DeviceURI ipps://drukarka-sekretariat.mpu.lodz.pl/ipp/print
State Idle
Accepting Yes
Shared Yes
AllowUser print-mpu
</Printer>
<Printer mpu-ploter>
Info Ploter wielkoformatowy A0
Location II piętro, pracownia planów
MakeModel HP DesignJet T830
DeviceURI socket://ploter.mpu.lodz.pl:9100
State Idle
Accepting Yes
Shared Yes
AllowUser print-mpu
</Printer>
`;

describe("print queues of a unit", () => {
  it("GIVEN mpu's two queues WHEN built THEN it gets exactly its printers.conf part in platform-print and its client settings", () => {
    const ctx = contextOf("mpu");
    expect(buildPrint(ctx)).toStrictEqual([
      {
        key: "print-queues",
        service: "print",
        usesSecrets: true,
        object: {
          apiVersion: "v1",
          kind: "ConfigMap",
          metadata: {
            name: "print-queues-mpu",
            namespace: "platform-print",
            labels: { ...LABELS, "muni.lodz.pl/print-tenant": "mpu" },
          },
          data: {
            "printers.conf": MPU_PRINTERS_CONF,
            "print-account": "print-mpu:<hash:<secret:print-password>>\n",
          },
        },
      },
      {
        key: "print-account",
        service: "print",
        usesSecrets: true,
        object: {
          apiVersion: "v1",
          kind: "Secret",
          metadata: {
            name: "print-account",
            namespace: "unit-mpu",
            labels: LABELS,
            annotations: {
              "muni.lodz.pl/purpose":
                "The unit's print account (HTTP Basic over TLS to the shared print server), for its local administrators to set on its workstations.",
            },
          },
          type: "Opaque",
          stringData: { username: "print-mpu", password: "<secret:print-password>" },
        },
      },
      {
        key: "print-client",
        service: "print",
        object: {
          apiVersion: "v1",
          kind: "ConfigMap",
          metadata: { name: "print-client", namespace: "unit-mpu", labels: LABELS },
          data: {
            "client.conf":
              "# muni: CUPS client settings of unit mpu\nServerName cups.platform-print.svc:631\nEncryption Required\nUser print-mpu\n",
            lpoptions: "Default mpu-sekretariat\n",
          },
        },
      },
    ]);
  });

  it("GIVEN mpu's queues WHEN modelled THEN names are <unit>-<queue> and only the unit's print account may print", () => {
    const ctx = contextOf("mpu");
    expect(printQueues(ctx.unit, ctx.settings)).toStrictEqual([
      {
        cupsName: "mpu-sekretariat",
        info: "Sekretariat – kolor A4/A3",
        location: "parter, pok. 4",
        deviceUri: "ipps://drukarka-sekretariat.mpu.lodz.pl/ipp/print",
        driverless: true,
        allowUsers: ["print-mpu"],
      },
      {
        cupsName: "mpu-ploter",
        info: "Ploter wielkoformatowy A0",
        location: "II piętro, pracownia planów",
        deviceUri: "socket://ploter.mpu.lodz.pl:9100",
        driverless: false,
        model: "HP DesignJet T830",
        allowUsers: ["print-mpu"],
      },
    ]);
    expect(printServerOf(ctx.settings)).toBe("cups.platform-print.svc:631");
  });

  it("GIVEN a description with a line break WHEN rendered THEN it stays on one line (no directive can be injected)", () => {
    const conf = renderPrintersConf("x", [
      {
        cupsName: "x-q",
        info: "A\nDeviceURI file:///etc/passwd",
        location: "here\r\nAllowUser @all",
        deviceUri: "ipp://printer.example/ipp/print",
        driverless: true,
        allowUsers: ["@x-staff"],
      },
    ]);
    expect(conf.split("\n").filter((l) => /^(DeviceURI|AllowUser)/.test(l))).toStrictEqual([
      "DeviceURI ipp://printer.example/ipp/print",
      "AllowUser @x-staff",
    ]);
  });

  it("GIVEN a unit without print WHEN built THEN nothing is emitted; the objects of one with print pass the strict schemas", () => {
    const ctx = contextOf("mpu");
    const without = { ...ctx, unit: { ...ctx.unit, services: { ...ctx.unit.services, print: undefined } } };
    expect(buildPrint(without)).toStrictEqual([]);
    expect(
      buildPrint(ctx)
        .map((d) => d.object)
        .flatMap(strictSchemaErrors),
    ).toStrictEqual([]);
  });
});
