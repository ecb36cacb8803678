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

  it("THEN Postfix serves the MX (25), submission with STARTTLS (587) and with implicit TLS (465, RFC 8314) under the same restrictions, the Service publishes them, and Dovecot, Postfix and the password service have TCP probes", () => {
    const objects = buildMailServer(settings);
    type Container = { name: string; ports?: unknown; readinessProbe?: unknown; livenessProbe?: unknown };
    const containers = (
      objects.find((d) => d.key === "mail-statefulset")!.object as unknown as {
        spec: { template: { spec: { containers: Container[] } } };
      }
    ).spec.template.spec.containers;
    const tcp = (port: number) => ({ containerPort: port, protocol: "TCP" });
    const probes = (ready: number, live: number) => ({
      readinessProbe: { tcpSocket: { port: ready }, periodSeconds: 10, failureThreshold: 3 },
      livenessProbe: {
        tcpSocket: { port: live },
        initialDelaySeconds: 30,
        periodSeconds: 20,
        timeoutSeconds: 5,
        failureThreshold: 3,
      },
    });
    expect(
      containers.map(({ name, ports, readinessProbe, livenessProbe }) => ({
        name,
        ports,
        readinessProbe,
        livenessProbe,
      })),
    ).toStrictEqual([
      { name: "tenant-sync", ports: undefined, readinessProbe: undefined, livenessProbe: undefined },
      { name: "dovecot", ports: [tcp(143), tcp(993)], ...probes(143, 143) },
      { name: "postfix", ports: [tcp(25), tcp(465), tcp(587)], ...probes(25, 587) },
      { name: "opendkim", ports: undefined, readinessProbe: undefined, livenessProbe: undefined },
      { name: "passwords", ports: [{ ...tcp(8443), name: "passwords" }], ...probes(8443, 8443) },
    ]);
    const service = objects.find((d) => d.key === "mail-service")!.object as unknown as {
      spec: { ports: { port: number }[] };
    };
    // and the password self-service's 8443 (the fence opens the same ports)
    expect(service.spec.ports.map((p) => p.port)).toStrictEqual([25, 143, 465, 587, 993, 8443]);
    // master.cf: 465's options are 587's with wrapper-mode TLS instead of STARTTLS
    const masterCf = (
      objects.find((d) => d.key === "mail-config")!.object as unknown as { data: Record<string, string> }
    ).data["master.cf"]!;
    const options = (port: number) =>
      /^(\d+) .*\n((?:  -o .*\n)*)/m
        .exec(masterCf.slice(masterCf.indexOf(`\n${port} `) + 1))![2]!
        .trim()
        .split(/\n\s*/);
    const submission = options(587);
    expect(submission.slice(0, 2)).toStrictEqual([
      "-o syslog_name=postfix/submission",
      "-o smtpd_tls_security_level=encrypt",
    ]);
    expect(options(465)).toStrictEqual([
      "-o syslog_name=postfix/submissions",
      "-o smtpd_tls_wrappermode=yes",
      ...submission.slice(2),
    ]);
    expect(submission.slice(2)).toContain("-o smtpd_client_restrictions=permit_sasl_authenticated,reject");
  });

  it("THEN the reload wrapper names the generation file it watches and passes the daemon's pid to the reload", () => {
    const w = reloadWrapperScript("/etc/muni/mail/.generation");
    expect(w).toContain('now="$(cat /etc/muni/mail/.generation 2>/dev/null || true)"');
    expect(w).toContain('sh -c "$reload"');
  });
});
