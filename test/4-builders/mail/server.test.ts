import { join } from "node:path";
import type { Unit } from "../../../infra/1-model";
import { loadProject } from "../../../infra/3-rules";
import { renderPlatform } from "../../../infra/4-builders";
import { buildMailServer, reloadWrapperScript } from "../../../infra/4-builders/mail";
import { strictSchemaErrors } from "../../helpers/k8s-schemas";

const project = loadProject(join(__dirname, "..", "..", ".."), "lodz-prod");
const settings = project.stack!.settings;
const units = project.units.map((u) => u.unit as Unit);

describe("buildMailServer: tenants are read at run time, not rendered into the pod", () => {
  it("GIVEN the stack's settings WHEN the platform renders THEN it takes nothing else (no unit can reach the pod template, so onboarding never rolls it) and no mail object names a unit", () => {
    // GIVEN / WHEN: renderPlatform's one parameter is the settings (a unit cannot be passed)
    expect(renderPlatform.length).toBe(1);
    const mail = renderPlatform(settings).filter((d) =>
      buildMailServer(settings).some((m) => m.key === d.key),
    );
    // THEN the mail objects are the mail server's own, and none names a Łódź unit or a tenant Secret
    expect(mail.map((d) => d.key)).toStrictEqual(buildMailServer(settings).map((d) => d.key));
    expect(units.map((u) => u.id)).toStrictEqual(["css", "mpu", "zzm"]);
    expect(JSON.stringify(mail)).not.toMatch(/\b(css|mpu|zzm)\b/);
  });

  it("THEN the pod syncs tenants as the tenant-sync account, only the sync containers hold its token, and OpenDKIM and the sync run as the mailbox owner, the password service as its own user", () => {
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
      ["passwords", 5001],
    ]);
    // AND the mailboxes (0700 of uid 5000): written by Dovecot and Postfix; the sync's hook reads the passwords
    // users set from the volume; the password service (not uid 5000) keeps them there
    expect(
      [...pod.initContainers, ...pod.containers].flatMap((c) =>
        (c.volumeMounts as Array<{ name: string; mountPath: string; readOnly?: boolean }>)
          .filter((m) => m.name === "data")
          .map((m) => [c.name, m.mountPath, m.readOnly === true]),
      ),
    ).toStrictEqual([
      ["tenant-sync-init", "/srv/mail", true],
      ["tenant-sync", "/srv/mail", true],
      ["dovecot", "/srv/mail", false],
      ["postfix", "/srv/mail", false],
      ["passwords", "/srv/mail", false],
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
