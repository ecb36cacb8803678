import { join } from "node:path";
import { parse } from "yaml";
import type { Unit } from "../../../infra/1-model";
import { loadProject } from "../../../infra/3-rules";
import { renderPlatform } from "../../../infra/4-builders";
import { buildMailServer, reloadWrapperScript } from "../../../infra/4-builders/mail";
import { strictSchemaErrors } from "../../helpers/k8s-schemas";
import { generatedUnit } from "../../helpers/manifests";

const project = loadProject(join(__dirname, "..", "..", ".."), "lodz-prod");
const settings = project.stack!.settings;
const units = project.units.map((u) => u.unit as Unit);
const mailObject = (all: ReturnType<typeof renderPlatform>, key: string) =>
  all.find((d) => d.key === key)?.object;

describe("buildMailServer: tenants are read at run time, not rendered into the pod", () => {
  it("GIVEN 0, the 3 Łódź and 10,000 generated units WHEN the platform renders THEN every mail server object is identical (onboarding never rolls the pod)", () => {
    // GIVEN three sets of units
    const many = Array.from({ length: 10000 }, (_, i) => parse(generatedUnit(i).yaml) as Unit);
    // WHEN the platform is rendered for each
    const keys = buildMailServer(settings).map((d) => d.key);
    const of = (us: readonly Unit[]) => {
      const all = renderPlatform(settings);
      return keys.map((k) => mailObject(all, k));
    };
    const none = of([]);
    // THEN the mail objects do not depend on the units
    expect(units.map((u) => u.id)).toStrictEqual(["css", "mpu", "zzm"]);
    expect(of(units)).toStrictEqual(none);
    expect(of(many)).toStrictEqual(none);
    expect(JSON.stringify(none)).not.toMatch(/mail-tenant-|css|mpu|zzm/);
  });

  it("THEN the pod syncs tenants as the tenant-sync account, only the sync containers hold its token, and OpenDKIM and the sync run as the mailbox owner", () => {
    const objects = buildMailServer(settings);
    const sts = objects.find((d) => d.key === "mail-statefulset")!.object as unknown as {
      spec: {
        template: {
          spec: Record<string, unknown> & {
            containers: Array<Record<string, unknown>>;
            initContainers: Array<Record<string, unknown>>;
          };
        };
      };
    };
    const pod = sts.spec.template.spec;
    const tokenHolders = [...pod.initContainers, ...pod.containers]
      .filter((c) => (c.volumeMounts as Array<{ name: string }>).some((m) => m.name === "tenant-sync-token"))
      .map((c) => c.name);
    expect([pod.serviceAccountName, pod.automountServiceAccountToken, tokenHolders]).toStrictEqual([
      "tenant-sync",
      false,
      ["tenant-sync-init", "tenant-sync"],
    ]);
    expect(
      pod.containers.map((c) => [
        c.name,
        (c.securityContext as { runAsUser?: number } | undefined)?.runAsUser ?? "root",
      ]),
    ).toStrictEqual([
      ["tenant-sync", 5000],
      ["dovecot", "root"],
      ["postfix", "root"],
      ["opendkim", 5000],
    ]);
    expect(pod.initContainers[0]!.command).toStrictEqual([
      "python3",
      "/usr/local/lib/muni/tenant_sync.py",
      "--kind=secrets",
      "--label=muni.lodz.pl/mail-tenant",
      "--dir=/run/muni/tenants",
      "--validate=mail",
      "--mode=0600",
      "--then=sh /etc/muni/config/assemble.sh",
      "--once",
    ]);
    const role = objects.find((d) => d.key === "mail-tenant-sync-role")!.object;
    expect(role).toStrictEqual({
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "Role",
      metadata: {
        name: "tenant-sync",
        namespace: "platform-mail",
        labels: {
          "app.kubernetes.io/component": "mail",
          "app.kubernetes.io/managed-by": "muni",
          "app.kubernetes.io/part-of": "muni-platform",
        },
      },
      rules: [{ apiGroups: [""], resources: ["secrets"], verbs: ["get", "list", "watch"] }],
    });
    expect(
      objects.map((d) => d.object).flatMap((o) => strictSchemaErrors(o as { kind: string })),
    ).toStrictEqual([]);
  });

  it("THEN the reload wrapper names the generation file it watches and passes the daemon's pid to the reload", () => {
    const w = reloadWrapperScript("/etc/muni/mail/.generation");
    expect(w).toContain('now="$(cat /etc/muni/mail/.generation 2>/dev/null || true)"');
    expect(w).toContain('sh -c "$reload"');
  });
});
