import { buildEnrollment } from "../../../infra/4-builders/enrollment";
import { strictSchemaErrors } from "../../helpers/k8s-schemas";
import { contextOf, lodzProd } from "../web/context";

describe("finance-accounting and antivirus enrollment", () => {
  it("GIVEN css enrolled in finance and antivirus WHEN built THEN it gets a tenant record and an ingress allowance in each platform namespace", () => {
    // GIVEN / WHEN
    const got = buildEnrollment(contextOf("css"));
    // THEN
    const labels = (svc: string) => ({
      "app.kubernetes.io/managed-by": "muni",
      "muni.lodz.pl/unit": "css",
      "muni.lodz.pl/service": svc,
      "muni.lodz.pl/tenant-of": svc,
    });
    const who = {
      unit: "css",
      name: "Centrum Świadczeń Socjalnych w Łodzi",
      shortName: "CŚS",
      costCentre: "MPK-CSS-01",
      namespace: "unit-css",
    };
    const allowance = (svc: string, ns: string, app: string, ports: number[]) => ({
      key: `${svc}-allow-from-unit`,
      service: svc,
      object: {
        apiVersion: "networking.k8s.io/v1",
        kind: "NetworkPolicy",
        metadata: { name: "allow-from-unit-css", namespace: ns, labels: labels(svc) },
        spec: {
          podSelector: { matchLabels: { "app.kubernetes.io/name": app } },
          policyTypes: ["Ingress"],
          ingress: [
            {
              from: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "unit-css" } } }],
              ports: ports.map((port) => ({ protocol: "TCP", port })),
            },
          ],
        },
      },
    });
    expect(got).toStrictEqual([
      {
        key: "finance-tenant",
        service: "finance",
        object: {
          apiVersion: "v1",
          kind: "ConfigMap",
          metadata: { name: "tenant-css", namespace: "platform-finance", labels: labels("finance") },
          data: {
            ...who,
            modules:
              "budgetReporting,budgetPlanning,generalLedger,settlements,contractsRegister,invoicing,assetRegister",
            users: "25",
          },
        },
      },
      allowance("finance", "platform-finance", "finance", [443]),
      {
        key: "antivirus-tenant",
        service: "antivirus",
        object: {
          apiVersion: "v1",
          kind: "ConfigMap",
          metadata: { name: "tenant-css", namespace: "platform-antivirus", labels: labels("antivirus") },
          data: { ...who, seats: "240", policy: "strict" },
        },
      },
      allowance("antivirus", "platform-antivirus", "antivirus", [443, 8443]),
    ]);
    expect(got.flatMap((d) => strictSchemaErrors(d.object))).toStrictEqual([]);
  });

  it("GIVEN a unit enrolled in neither WHEN built THEN nothing is emitted; with a NIP and REGON THEN the record carries them", () => {
    const ctx = contextOf("zzm");
    delete ctx.unit.services.finance;
    delete ctx.unit.services.antivirus;
    expect(buildEnrollment(ctx)).toStrictEqual([]);
    const withIds = contextOf("mpu");
    withIds.unit.nip = "7251234567";
    withIds.unit.regon = "123456785";
    delete withIds.unit.services.antivirus;
    const [record] = buildEnrollment(withIds);
    expect((record!.object as unknown as { data: Record<string, string> }).data).toStrictEqual({
      unit: "mpu",
      name: "Miejska Pracownia Urbanistyczna w Łodzi",
      shortName: "MPU",
      costCentre: "MPK-MPU-01",
      namespace: "unit-mpu",
      nip: "7251234567",
      regon: "123456785",
      modules:
        "budgetReporting,budgetPlanning,generalLedger,settlements,contractsRegister,invoicing,assetRegister",
      users: "8",
    });
  });

  it("GIVEN all Łódź units WHEN enrolled THEN tenant record names never clash inside a platform namespace", () => {
    const names = lodzProd()
      .units.flatMap((u) => buildEnrollment(contextOf(u.id)))
      .map((d) => `${d.object.kind}/${d.object.metadata.namespace}/${d.object.metadata.name}`);
    expect(new Set(names).size).toBe(names.length);
    expect(names).toHaveLength(12);
  });
});
