import { applyLifecycle, KEEP_SERVING_ANNOTATION } from "../../infra/4-builders/lifecycle";
import { retainedData } from "../../infra/4-builders/retention";
import type { Desired } from "../../infra/4-builders/types";
import type { Unit } from "../../infra/1-model";
import { makeProject, unitYaml } from "../3-rules/lifecycle/project";

const meta = (name: string, extra: Record<string, unknown> = {}) => ({
  name,
  namespace: "unit-mpu",
  labels: { "muni.lodz.pl/unit": "mpu" },
  ...extra,
});
const DESIRED: Desired[] = [
  {
    key: "quota",
    service: "baseline",
    object: {
      apiVersion: "v1",
      kind: "ResourceQuota",
      metadata: meta("unit-quota"),
      spec: { hard: { pods: "10", persistentvolumeclaims: "5" } },
    },
  },
  {
    key: "web",
    service: "web",
    object: { apiVersion: "apps/v1", kind: "Deployment", metadata: meta("www"), spec: { replicas: 2 } },
  },
  {
    key: "bip",
    service: "web",
    object: {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: meta("bip", { annotations: { [KEEP_SERVING_ANNOTATION]: "true" } }),
      spec: { replicas: 2 },
    },
  },
  {
    key: "db",
    service: "servers",
    object: {
      apiVersion: "apps/v1",
      kind: "StatefulSet",
      metadata: meta("db"),
      spec: {
        replicas: 1,
        volumeClaimTemplates: [{ metadata: { name: "data" } }],
        persistentVolumeClaimRetentionPolicy: { whenDeleted: "Delete", whenScaled: "Delete" },
      },
    },
  },
  {
    key: "vm",
    service: "servers",
    object: {
      apiVersion: "kubevirt.io/v1",
      kind: "VirtualMachine",
      metadata: meta("vm"),
      spec: { running: true, template: {} },
    },
  },
  {
    key: "content",
    service: "web",
    dataBearing: true,
    object: {
      apiVersion: "v1",
      kind: "PersistentVolumeClaim",
      metadata: meta("content"),
      spec: { resources: { requests: { storage: "1Gi" } } },
    },
  },
];
const lc = (state: Unit["lifecycle"]["state"]) =>
  ({ lifecycle: { state, wave: 1 } }) as Pick<Unit, "lifecycle">;
const leaving = { "muni.lodz.pl/unit": "mpu", "muni.lodz.pl/lifecycle": "decommissioning" };

describe("decommissioning stops new data and keeps every object", () => {
  it("GIVEN an active unit WHEN rendered THEN its objects pass unchanged", () => {
    expect(applyLifecycle(lc("active"), DESIRED)).toStrictEqual(DESIRED);
  });

  it("GIVEN a decommissioning unit WHEN rendered THEN workloads stop, VMs halt, claims are kept and no new volume is admitted", () => {
    const before = JSON.parse(JSON.stringify(DESIRED)) as typeof DESIRED; // a same-realm copy (structuredClone makes host-realm objects under jest)
    const out = applyLifecycle(lc("decommissioning"), DESIRED);
    expect(DESIRED).toStrictEqual(before); // pure: the input is not changed
    expect(out.map((d) => d.object)).toStrictEqual([
      {
        apiVersion: "v1",
        kind: "ResourceQuota",
        metadata: { ...meta("unit-quota"), labels: leaving },
        spec: { hard: { pods: "10", persistentvolumeclaims: "0", "requests.storage": "0" } },
      },
      {
        apiVersion: "apps/v1",
        kind: "Deployment",
        metadata: { ...meta("www"), labels: leaving },
        spec: { replicas: 0 },
      },
      {
        apiVersion: "apps/v1",
        kind: "Deployment",
        metadata: { ...meta("bip", { annotations: { [KEEP_SERVING_ANNOTATION]: "true" } }), labels: leaving },
        spec: { replicas: 2 },
      },
      {
        apiVersion: "apps/v1",
        kind: "StatefulSet",
        metadata: { ...meta("db"), labels: leaving },
        spec: {
          replicas: 0,
          volumeClaimTemplates: [{ metadata: { name: "data" } }],
          persistentVolumeClaimRetentionPolicy: { whenDeleted: "Retain", whenScaled: "Retain" },
        },
      },
      {
        apiVersion: "kubevirt.io/v1",
        kind: "VirtualMachine",
        metadata: { ...meta("vm"), labels: leaving },
        spec: { runStrategy: "Halted", template: {} },
      },
      {
        apiVersion: "v1",
        kind: "PersistentVolumeClaim",
        metadata: { ...meta("content"), labels: leaving },
        spec: { resources: { requests: { storage: "1Gi" } } },
      },
    ]);
    expect(out.map((d) => [d.key, d.dataBearing])).toStrictEqual(DESIRED.map((d) => [d.key, d.dataBearing]));
  });
});

describe("retained data of decommissioned units", () => {
  it("GIVEN a decommissioned unit with a site WHEN listed THEN its namespace and content claim are named; other states list nothing", () => {
    const web = [
      "services:",
      "  web:",
      "    sites:",
      "      - hostname: www.mpu.lodz.pl",
      "        kind: www",
    ].join("\n");
    const p = makeProject(
      {
        mpu: unitYaml("mpu", { state: "decommissioned", approval: ["2027-05-10", "2027-08-10"] }, web),
        zzm: unitYaml("zzm", { state: "active" }, web.replace(/mpu/g, "zzm")),
      },
      { today: "2027-06-01" },
    );
    const project = p.load();
    expect(p.messages(project.diagnostics)).toStrictEqual([]);
    const [mpu, zzm] = project.units;
    const listed = retainedData(mpu!.unit, project.stack!.settings);
    expect(listed[0]).toStrictEqual({
      unit: "mpu",
      namespace: "unit-mpu",
      kind: "Namespace",
      name: "unit-mpu",
    });
    expect(listed.slice(1).map((r) => r.kind)).toContain("PersistentVolumeClaim");
    expect(listed.every((r) => r.namespace === "unit-mpu")).toBe(true);
    expect(retainedData(zzm!.unit, project.stack!.settings)).toStrictEqual([]);
  });
});
