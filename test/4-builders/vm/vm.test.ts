import { bytes, vmMemoryOverhead, vmRequests } from "../../../infra/1-model";
import { buildVms as buildAll } from "../../../infra/4-builders/vm";
import type { BuildContext } from "../../../infra/4-builders/types";

/** The unit's VirtualMachines alone (buildVms also renders their namespace, quota, policies and RBAC). */
const buildVms = (ctx: BuildContext) => buildAll(ctx).filter((d) => d.object.kind === "VirtualMachine");
import { strictSchemaErrors } from "../../helpers/k8s-schemas";
import { contextOf, lodzProd } from "../web/context";

const LABELS = {
  "app.kubernetes.io/managed-by": "muni",
  "muni.lodz.pl/unit": "mpu",
  "muni.lodz.pl/service": "servers",
};

describe("KubeVirt virtual machines", () => {
  it("GIVEN mpu's Linux and Windows VMs WHEN built THEN they are exactly these retained VirtualMachines with catalogue disks", () => {
    // GIVEN / WHEN
    const vms = buildVms(contextOf("mpu"));
    // THEN
    const vm = (
      name: string,
      spec: {
        cpu: number;
        guest: string;
        limit: string;
        disk: string;
        source: Record<string, unknown>;
        bus: string;
        windows: boolean;
        running: boolean;
      },
    ) => ({
      key: `vm-${name}`,
      service: "servers",
      dataBearing: true,
      object: {
        apiVersion: "kubevirt.io/v1",
        kind: "VirtualMachine",
        metadata: {
          name,
          namespace: "unit-mpu-vm",
          labels: { ...LABELS, "app.kubernetes.io/name": "vm", "app.kubernetes.io/instance": name },
        },
        spec: {
          runStrategy: spec.running ? "Always" : "Halted",
          dataVolumeTemplates: [
            {
              metadata: { name: `${name}-system`, labels: LABELS },
              spec: {
                ...spec.source,
                storage: {
                  resources: { requests: { storage: spec.disk } },
                  storageClassName: "ceph-rbd-block",
                },
              },
            },
          ],
          template: {
            metadata: {
              labels: { ...LABELS, "app.kubernetes.io/name": "vm", "app.kubernetes.io/instance": name },
            },
            spec: {
              domain: {
                cpu: { cores: spec.cpu, sockets: 1, threads: 1 },
                memory: { guest: spec.guest },
                resources: {
                  requests: { cpu: String(spec.cpu), memory: spec.guest },
                  limits: { cpu: String(spec.cpu), memory: spec.limit },
                },
                devices: {
                  disks: [{ name: "system", bootOrder: 1, disk: { bus: spec.bus } }],
                  interfaces: [{ name: "default", masquerade: {} }],
                },
                ...(spec.windows
                  ? {
                      features: {
                        acpi: {},
                        apic: {},
                        hyperv: { relaxed: {}, vapic: {}, spinlocks: { spinlocks: 8191 } },
                      },
                      clock: {
                        timezone: "Europe/Warsaw",
                        timer: {
                          hpet: { present: false },
                          pit: { tickPolicy: "delay" },
                          rtc: { tickPolicy: "catchup" },
                          hyperv: {},
                        },
                      },
                    }
                  : {}),
              },
              networks: [{ name: "default", pod: {} }],
              volumes: [{ name: "system", dataVolume: { name: `${name}-system` } }],
              terminationGracePeriodSeconds: spec.windows ? 300 : 120,
            },
          },
        },
      },
    });
    expect(vms).toStrictEqual([
      // 16Gi + 256Mi + 4 × 8Mi + ⌈0.002 × 16Gi⌉ (32.8Mi) → 16705Mi
      vm("gis", {
        cpu: 4,
        guest: "16Gi",
        limit: "16705Mi",
        disk: "500Gi",
        source: { sourceRef: { kind: "DataSource", name: "windows-server-2022", namespace: "os-images" } },
        bus: "sata",
        windows: true,
        running: true,
      }),
      // 4Gi + 256Mi + 2 × 8Mi + 8.2Mi → 4377Mi
      vm("archiwum-planow", {
        cpu: 2,
        guest: "4Gi",
        limit: "4377Mi",
        disk: "800Gi",
        source: { source: { registry: { url: "docker://quay.io/containerdisks/debian:12" } } },
        bus: "virtio",
        windows: false,
        running: true,
      }),
    ]);
  });

  it("GIVEN every VM of lodz-prod WHEN built THEN each passes the strict KubeVirt VirtualMachine schema and the strict ObjectMeta", () => {
    const vms = lodzProd().units.flatMap((u) => buildVms(contextOf(u.id)));
    expect(vms.map((v) => v.object.metadata.name)).toStrictEqual([
      "swiadczenia-db",
      "kiosk-wnioskow",
      "gis",
      "archiwum-planow",
      "ewidencja-drzew",
    ]);
    expect(vms.flatMap((v) => strictSchemaErrors(v.object))).toStrictEqual([]);
    // The check can fail: a typo inside the domain is caught.
    const bad = structuredClone(vms[0]!.object) as unknown as {
      spec: { template: { spec: { domain: Record<string, unknown> } } };
    };
    bad.spec.template.spec.domain.cpus = 2;
    expect(strictSchemaErrors(bad as never).length).toBeGreaterThan(0);
  });

  it("GIVEN a halted VM and an http catalogue image WHEN built THEN runStrategy is Halted and the disk imports over http", () => {
    const ctx = contextOf("zzm");
    ctx.settings.vm.images["debian-12"] = {
      http: "https://images.lodz.pl/debian-12.qcow2",
      os: "linux",
      bus: "virtio",
    };
    ctx.unit.services.servers!.vms[0]!.running = false;
    const [vm] = buildVms(ctx);
    const spec = vm!.object.spec as {
      runStrategy: string;
      dataVolumeTemplates: Array<{ spec: Record<string, unknown> }>;
    };
    expect(spec.runStrategy).toBe("Halted");
    expect(spec.dataVolumeTemplates[0]!.spec.source).toStrictEqual({
      http: { url: "https://images.lodz.pl/debian-12.qcow2" },
    });
    expect(strictSchemaErrors(vm!.object)).toStrictEqual([]);
  });

  it("GIVEN VM sizes WHEN the overhead is estimated THEN it is base + perVcpu × vCPUs + 0.2% of guest memory, rounded up to a MiB", () => {
    const { settings } = lodzProd();
    const mi = (n: number) => n / 2 ** 20;
    expect(mi(vmMemoryOverhead({ cpu: 1, memory: "1Gi" }, settings))).toBe(256 + 8 + 3); // 2.05Mi → 3Mi
    expect(mi(vmMemoryOverhead({ cpu: 4, memory: "16Gi" }, settings))).toBe(256 + 32 + 33); // 32.77Mi → 33Mi
    expect(mi(vmMemoryOverhead({ cpu: 64, memory: "1500Mi" }, settings))).toBe(256 + 512 + 3); // 3Mi exactly
    expect(
      vmRequests(
        { name: "x", cpu: 2, memory: "4Gi", disk: "1.5Ti", image: "debian-12", running: false },
        settings,
      ),
    ).toStrictEqual({
      cpuMillis: 2000,
      cpuLimitMillis: 2000,
      memory: bytes("4Gi") + bytes("281Mi"),
      memoryLimit: bytes("4Gi") + bytes("281Mi"),
      storage: bytes("1536Gi"),
      pods: 1,
      volumes: 1,
      vms: 1,
    });
  });

  it("GIVEN the quota arithmetic WHEN compared with what the VM objects declare THEN they agree (the check counts what is built)", () => {
    for (const u of lodzProd().units) {
      const ctx = contextOf(u.id);
      for (const [i, d] of buildVms(ctx).entries()) {
        const r = vmRequests(u.services.servers!.vms[i]!, ctx.settings);
        const s = d.object.spec as {
          template: {
            spec: {
              domain: { resources: { requests: { cpu: string }; limits: { cpu: string; memory: string } } };
            };
          };
          dataVolumeTemplates: Array<{ spec: { storage: { resources: { requests: { storage: string } } } } }>;
        };
        const res = s.template.spec.domain.resources;
        expect([
          Number(res.requests.cpu) * 1000,
          Number(res.limits.cpu) * 1000,
          bytes(res.limits.memory),
          bytes(s.dataVolumeTemplates[0]!.spec.storage.resources.requests.storage),
        ]).toStrictEqual([r.cpuMillis, r.cpuLimitMillis, r.memoryLimit, r.storage]);
      }
    }
  });
});
