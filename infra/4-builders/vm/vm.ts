import {
  bytes,
  formatBytes,
  LABEL,
  type Vm,
  type VmImage,
  vmMemoryOverhead,
  vmNamespaceOf,
} from "../../1-model";
import type { BuildContext, Desired } from "../types";

/** Name of a VM's system disk (its DataVolume and PVC). */
export function systemDiskName(vm: Pick<Vm, "name">): string {
  return `${vm.name}-system`;
}

/** Key of a VM's Desired: `vm-<name>`. */
export function vmKey(vm: Pick<Vm, "name">): string {
  return `vm-${vm.name}`;
}

/** DataVolume source of a catalogue image. */
function diskSource(image: VmImage): Record<string, unknown> {
  if (image.registry) return { source: { registry: { url: image.registry } } };
  if (image.http) return { source: { http: { url: image.http } } };
  if (image.dataSource)
    return {
      sourceRef: { kind: "DataSource", name: image.dataSource.name, namespace: image.dataSource.namespace },
    };
  throw new Error("catalogue image without a source: the stack checks reject this");
}

/** Hyper-V enlightenments and a local-time clock for Windows guests. */
function windowsDomain() {
  return {
    features: { acpi: {}, apic: {}, hyperv: { relaxed: {}, vapic: {}, spinlocks: { spinlocks: 8191 } } },
    clock: {
      timezone: "Europe/Warsaw",
      timer: {
        hpet: { present: false },
        pit: { tickPolicy: "delay" },
        rtc: { tickPolicy: "catchup" },
        hyperv: {},
      },
    },
  };
}

/**
 * One KubeVirt VirtualMachine. The system disk is a DataVolume template imported from the stack's
 * image catalogue (CDI creates and owns the PVC); the VM is data-bearing (retained on delete), so
 * removing it from a manifest never deletes its disk. `running` maps to runStrategy Always or Halted.
 */
export function buildVm(ctx: BuildContext, vm: Vm): Desired {
  const image = ctx.settings.vm.images[vm.image];
  if (!image)
    throw new Error(
      `VM ${vm.name}: image "${vm.image}" is not in the catalogue (the stack checks reject this)`,
    );
  const labels = { ...ctx.labels, [LABEL.service]: "servers" };
  const selector = { "app.kubernetes.io/name": "vm", "app.kubernetes.io/instance": vm.name };
  const memoryLimit = formatBytes(bytes(vm.memory) + vmMemoryOverhead(vm, ctx.settings));
  const cores = String(vm.cpu);
  const disk = systemDiskName(vm);
  return {
    key: vmKey(vm),
    service: "servers",
    dataBearing: true,
    object: {
      apiVersion: "kubevirt.io/v1",
      kind: "VirtualMachine",
      metadata: {
        name: vm.name,
        namespace: vmNamespaceOf(ctx.unit, ctx.settings),
        labels: { ...labels, ...selector },
      },
      spec: {
        runStrategy: vm.running ? "Always" : "Halted",
        dataVolumeTemplates: [
          {
            metadata: { name: disk, labels },
            spec: {
              ...diskSource(image),
              storage: {
                resources: { requests: { storage: vm.disk } },
                ...(ctx.settings.vm.storageClass ? { storageClassName: ctx.settings.vm.storageClass } : {}),
              },
            },
          },
        ],
        template: {
          metadata: { labels: { ...labels, ...selector } },
          spec: {
            domain: {
              cpu: { cores: vm.cpu, sockets: 1, threads: 1 },
              memory: { guest: vm.memory },
              resources: {
                requests: { cpu: cores, memory: vm.memory },
                limits: { cpu: cores, memory: memoryLimit },
              },
              devices: {
                disks: [{ name: "system", bootOrder: 1, disk: { bus: image.bus } }],
                interfaces: [{ name: "default", masquerade: {} }],
              },
              ...(image.os === "windows" ? windowsDomain() : {}),
            },
            networks: [{ name: "default", pod: {} }],
            volumes: [{ name: "system", dataVolume: { name: disk } }],
            terminationGracePeriodSeconds: image.os === "windows" ? 300 : 120,
          },
        },
      },
    },
  };
}
