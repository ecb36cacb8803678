import { execFileSync } from "node:child_process";
import { createPublicKey } from "node:crypto";
import { strictSchemaErrors } from "../helpers/k8s-schemas";
import {
  fakePrivateKey,
  fakeRandom,
  installMocks,
  kubernetesObjects,
  type Registered,
  settle,
  unwrap,
} from "../helpers/pulumi";
import { ROOT, objectNamed, settingsOf } from "../daemons/program";

const mocks = installMocks("lodz-prod");
let stackModule: typeof import("../../infra/7-program/stack");
let registered: Registered[];
let mailDns: Record<string, unknown>;

async function runOnce() {
  mocks.registered.length = 0;
  const out = stackModule.defineStack({ root: ROOT, stack: "lodz-prod", settings: settingsOf("lodz-prod") });
  await unwrap(out.namespaces);
  const dns: Record<string, unknown> = {};
  for (const [id, o] of Object.entries(out.mailDns)) dns[id] = await unwrap(o);
  await settle();
  return { registered: [...mocks.registered], dns };
}

beforeAll(async () => {
  stackModule = await import("../../infra/7-program/stack");
  ({ registered, dns: mailDns } = await runOnce());
}, 60000);

const openssl = (pw: string, salt: string) =>
  execFileSync("openssl", ["passwd", "-6", "-salt", salt, "-stdin"], {
    input: `${pw}\n`,
    encoding: "utf8",
  }).trim();
const LABELS = {
  "app.kubernetes.io/managed-by": "muni",
  "muni.lodz.pl/unit": "mpu",
  "muni.lodz.pl/service": "mail",
};

describe("mail tenants and the platform under the mock runtime (stack lodz-prod)", () => {
  it("GIVEN unit mpu WHEN the program runs THEN its tenant Secret in platform-mail holds exactly its accounts, aliases, domain and DKIM key", () => {
    const pw = (l: string) => fakeRandom(`mpu-mail-${l}-password`, 20);
    const hash = (l: string) =>
      `{SHA512-CRYPT}${openssl(pw(l), `rounds=1000$${fakeRandom(`mpu-mail-${l}-salt`, 16)}`)}`;
    const head = "# muni mail tenant mpu (mpu.lodz.pl): generated from units/mpu.yaml, do not edit\n";
    const Gi = 2 ** 30;
    const user = (l: string, q: number) =>
      `${l}@mpu.lodz.pl:${hash(l)}:5000:5000::::userdb_quota_rule=*:bytes=${q * Gi}\n`;
    expect(objectNamed(registered, "mpu-mail-tenant")).toStrictEqual({
      apiVersion: "v1",
      kind: "Secret",
      metadata: {
        name: "mail-tenant-mpu",
        namespace: "platform-mail",
        labels: { ...LABELS, "muni.lodz.pl/mail-tenant": "mpu" },
      },
      type: "Opaque",
      stringData: {
        users:
          head +
          user("sekretariat", 10) +
          user("dyrektor", 5) +
          user("anna.wisniewska", 2) +
          user("piotr.zielinski", 2) +
          user("postmaster", 2),
        vmailbox:
          head +
          ["sekretariat", "dyrektor", "anna.wisniewska", "piotr.zielinski", "postmaster"]
            .map((l) => `${l}@mpu.lodz.pl mpu.lodz.pl/${l}/\n`)
            .join(""),
        virtual:
          head +
          "kancelaria@mpu.lodz.pl sekretariat@mpu.lodz.pl\niod@mpu.lodz.pl iod@uml.lodz.pl\nbip@mpu.lodz.pl sekretariat@mpu.lodz.pl, anna.wisniewska@mpu.lodz.pl\n",
        domains: `${head}mpu.lodz.pl mpu\n`,
        "dkim.key": fakePrivateKey("mpu-mail-dkim-key", 2048).privateKeyPem,
        "opendkim-keytable": `${head}muni._domainkey.mpu.lodz.pl mpu.lodz.pl:muni:/run/muni/tenants/mpu/dkim.key\n`,
        "opendkim-signingtable": `${head}*@mpu.lodz.pl muni._domainkey.mpu.lodz.pl\n`,
      },
    });
  });

  it("THEN the plaintext initial passwords are only in the unit's own namespace", () => {
    const secret = objectNamed<{ stringData: Record<string, string> }>(
      registered,
      "mpu-mail-initial-passwords",
    );
    expect(secret.metadata.namespace).toBe("unit-mpu");
    expect(secret.stringData).toStrictEqual(
      Object.fromEntries(
        ["sekretariat", "dyrektor", "anna.wisniewska", "piotr.zielinski", "postmaster"].map((l) => [
          `${l}@mpu.lodz.pl`,
          fakeRandom(`mpu-mail-${l}-password`, 20),
        ]),
      ),
    );
    const plaintext = new Set(Object.values(secret.stringData));
    const elsewhere = kubernetesObjects(registered).filter(
      (o) => (o.metadata as { namespace?: string }).namespace !== "unit-mpu",
    );
    expect(elsewhere.filter((o) => [...plaintext].some((p) => JSON.stringify(o).includes(p)))).toStrictEqual(
      [],
    );
  });

  it("THEN the stack output and the unit's mail-dns ConfigMap carry MX, SPF, DKIM (the key's public half) and DMARC", () => {
    const p = createPublicKey(fakePrivateKey("mpu-mail-dkim-key", 2048).privateKeyPem!)
      .export({ type: "spki", format: "der" })
      .toString("base64");
    const records = [
      { name: "mpu.lodz.pl.", type: "MX", ttl: 3600, value: "10 mail.lodz.pl." },
      { name: "mpu.lodz.pl.", type: "TXT", ttl: 3600, value: "v=spf1 mx -all" },
      { name: "muni._domainkey.mpu.lodz.pl.", type: "TXT", ttl: 3600, value: `v=DKIM1; k=rsa; p=${p}` },
      {
        name: "_dmarc.mpu.lodz.pl.",
        type: "TXT",
        ttl: 3600,
        value: "v=DMARC1; p=quarantine; adkim=s; aspf=s",
      },
    ];
    expect(Object.keys(mailDns).sort()).toStrictEqual(["css", "mpu", "zzm"]);
    expect(mailDns.mpu).toStrictEqual(records);
    const cm = objectNamed<{ data: Record<string, string> }>(registered, "mpu-mail-dns");
    expect(JSON.parse(cm.data["records.json"]!)).toStrictEqual(records);
    const dkim = `v=DKIM1; k=rsa; p=${p}`;
    expect(cm.data["mpu.lodz.pl.zone"]).toBe(
      "; muni: mail records of unit mpu; publish them in the zone of the domain\n" +
        "mpu.lodz.pl.\t3600\tIN\tMX\t10 mail.lodz.pl.\n" +
        'mpu.lodz.pl.\t3600\tIN\tTXT\t"v=spf1 mx -all"\n' +
        `muni._domainkey.mpu.lodz.pl.\t3600\tIN\tTXT\t( "${dkim.slice(0, 255)}" "${dkim.slice(255)}" )\n` +
        '_dmarc.mpu.lodz.pl.\t3600\tIN\tTXT\t"v=DMARC1; p=quarantine; adkim=s; aspf=s"\n',
    );
  });

  it("THEN the platform registers the mail and print servers with retained volumes, under stable names", () => {
    // The tenant isolation objects of the platform (tenancy-*, fence-*) are test/tenancy/'s; its backups and
    // monitoring (backup-*, monitor-*) are test/4-builders/backup and monitoring's.
    const names = registered
      .filter(
        (r) => r.name.startsWith("platform") && !/^platform-(tenancy|fence|backup|monitor)-/.test(r.name),
      )
      .map((r) => `${r.type} ${r.name}`)
      .sort();
    expect(names).toStrictEqual(
      [
        "muni:platform:Platform platform",
        "kubernetes:core/v1:Namespace platform-mail-namespace",
        "kubernetes:core/v1:ConfigMap platform-mail-config",
        "kubernetes:core/v1:PersistentVolumeClaim platform-mail-data",
        "kubernetes:core/v1:Service platform-mail-service",
        "kubernetes:apps/v1:StatefulSet platform-mail-statefulset",
        "kubernetes:core/v1:ServiceAccount platform-mail-tenant-sync-account",
        "kubernetes:rbac.authorization.k8s.io/v1:Role platform-mail-tenant-sync-role",
        "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding platform-mail-tenant-sync-binding",
        "kubernetes:core/v1:Namespace platform-print-namespace",
        "kubernetes:core/v1:ConfigMap platform-print-config",
        "kubernetes:core/v1:PersistentVolumeClaim platform-print-data",
        "kubernetes:core/v1:Service platform-print-service",
        "kubernetes:apps/v1:StatefulSet platform-print-statefulset",
        "kubernetes:core/v1:ServiceAccount platform-print-tenant-sync-account",
        "kubernetes:rbac.authorization.k8s.io/v1:Role platform-print-tenant-sync-role",
        "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding platform-print-tenant-sync-binding",
      ].sort(),
    );
  });

  it("THEN the mail server reads its tenants at run time (no tenant in its pod template) and the print server mounts every tenant's queues; their pods carry the labels units' network policies allow", () => {
    const sts = objectNamed<{
      spec: {
        template: {
          metadata: { labels: Record<string, string> };
          spec: { volumes: Array<Record<string, unknown>> };
        };
      };
    }>(registered, "platform-mail-statefulset");
    expect(sts.spec.template.metadata.labels["app.kubernetes.io/name"]).toBe("mail");
    expect(JSON.stringify(sts)).not.toMatch(/mail-tenant-/);
    expect(sts.spec.template.spec.volumes.find((v) => v.name === "tenants")).toStrictEqual({
      name: "tenants",
      emptyDir: {},
    });
    const cups = objectNamed<{
      spec: {
        template: {
          metadata: { labels: Record<string, string> };
          spec: { volumes: Array<Record<string, unknown>> };
        };
      };
    }>(registered, "platform-print-statefulset");
    expect(cups.spec.template.metadata.labels["app.kubernetes.io/name"]).toBe("cups");
    // The print server reads its tenants at run time (tenant sync): no unit's ConfigMap is mounted.
    expect(
      cups.spec.template.spec.volumes.filter((v) => JSON.stringify(v).includes("print-queues-")),
    ).toStrictEqual([]);
  });

  it("THEN every mail, print and platform object passes the upstream strict schema of its kind", () => {
    const mine = kubernetesObjects(
      registered.filter(
        (r) =>
          /^(platform-|[a-z]+-(mail|print)-)/.test(r.name) &&
          !/^platform-(tenancy|fence|backup|monitor)-/.test(r.name),
      ),
    );
    // platform: 10 + each server's tenant-sync account, Role and RoleBinding; per unit: mail 3, print 3 (queues, account, client)
    expect(mine.length).toBe(10 + 2 * 3 + 3 * 3 + 3 * 3);
    expect(mine.flatMap(strictSchemaErrors)).toStrictEqual([]);
  });

  it("GIVEN the program WHEN it runs a second time THEN hashes, keys and every input are identical (no perpetual diff)", async () => {
    const again = await runOnce();
    const sorted = (rs: Registered[]) =>
      [...rs].sort((a, b) => `${a.type}::${a.name}`.localeCompare(`${b.type}::${b.name}`));
    expect(sorted(again.registered)).toStrictEqual(sorted(registered));
    expect(again.dns).toStrictEqual(mailDns);
  });
});

describe("the platform's retained data", () => {
  it("GIVEN the platform render WHEN inspected THEN exactly the two volumes are data-bearing (retained on delete)", async () => {
    const { renderPlatform } = await import("../../infra/4-builders");
    const { loadProject } = await import("../../infra/3-rules");
    const p = loadProject(ROOT, "lodz-prod");
    const desired = renderPlatform(p.stack!.settings);
    expect(
      desired
        .filter((d) => d.dataBearing)
        .map((d) => `${d.object.kind}/${d.object.metadata.namespace}/${d.object.metadata.name}`),
    ).toStrictEqual([
      "PersistentVolumeClaim/platform-mail/mail-data",
      "PersistentVolumeClaim/platform-print/cups-data",
    ]);
  });
});
