import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parse, parseAllDocuments } from "yaml";
import { loadProject } from "../../infra/3-rules/project";
import {
  BOUND_CLUSTER_ROLES,
  MANAGED_KINDS,
  type PolicyRule,
  provisionerRules,
} from "../../infra/4-builders/operator";
import { REGISTRABLE } from "../../infra/5-components/register";
import { planProject } from "../../infra/5-plan/render";
import { strictSchemaErrors } from "../helpers/k8s-schemas";
import { runCli, tempDir } from "../helpers/manifests";
import { generatedProject } from "../5-plan/project";
import { copyOfRepo, REPO_ROOT } from "../7-program/migrated";

/** An object read back from the YAML. */
type Obj = {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string };
  spec?: Record<string, unknown>;
  data?: { config: string };
};

/** Every object in the YAML files under dir, with the file it came from. */
function objectsIn(dir: string): Array<{ file: string; object: Obj }> {
  const out: Array<{ file: string; object: Obj }> = [];
  const walk = (d: string) => {
    for (const f of readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name)))
      if (f.isDirectory()) walk(join(d, f.name));
      else if (f.name.endsWith(".yaml"))
        for (const doc of parseAllDocuments(readFileSync(join(d, f.name), "utf8")))
          out.push({ file: join(d, f.name).slice(dir.length + 1), object: doc.toJS() as Obj });
  };
  walk(dir);
  return out;
}

const ENV_REFS = Object.fromEntries(
  ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "VAULT_ADDR", "VAULT_TOKEN"].map((v) => [
    v,
    { type: "Secret", secret: { name: "muni-pulumi-credentials", key: v } },
  ]),
);
const WORKSPACE = {
  spec: {
    image: "pulumi/pulumi-nodejs-24:3.270.0",
    securityProfile: "restricted",
    resources: { requests: { cpu: "500m", memory: "1Gi" }, limits: { memory: "2Gi" } },
    env: [{ name: "KUBECONFIG", value: "/etc/muni/kubeconfig/config" }],
    podTemplate: {
      spec: {
        volumes: [{ name: "muni-kubeconfig", configMap: { name: "muni-kubeconfig" } }],
        containers: [
          {
            name: "server",
            volumeMounts: [{ name: "muni-kubeconfig", mountPath: "/etc/muni/kubeconfig", readOnly: true }],
          },
        ],
      },
    },
  },
};

describe("muni operator --stack lodz-prod --out DIR", () => {
  let dir: string;
  let run: Awaited<ReturnType<typeof runCli>>;
  let objects: Array<{ file: string; object: Obj }>;
  beforeAll(async () => {
    dir = join(tempDir(`muni-operator-${process.pid}-`), "out");
    run = await runCli(["operator", "--stack", "lodz-prod", "--out", dir]);
    objects = objectsIn(dir);
  });
  afterAll(() => rmSync(join(dir, ".."), { recursive: true, force: true }));

  it("GIVEN the Łódź production settings WHEN it runs THEN it writes one Stack per Pulumi stack, the namespace, the RBAC and the kubeconfig, and says which Secret to create", () => {
    expect(run.code).toBe(0);
    expect(run.out).toStrictEqual([
      expect.stringMatching(
        /^wrote 4 Stacks \(lodz-prod\.platform and 3 unit stacks\), the provisioner's ServiceAccount muni-provisioner and its RBAC to .*out \(\d+ bytes\)$/,
      ),
      "before applying, create Secret muni-pulumi-credentials in namespace muni-system with the keys AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, VAULT_ADDR, VAULT_TOKEN (docs/operator.md)",
    ]);
    // The repository's city is not moved yet: its Stacks would fail (changing nothing) until muni migrate.
    expect(run.err).toStrictEqual([
      "warning: the platform, css, mpu, zzm are still in a city-wide Pulumi stack (ledger stacks/lodz-prod.units.yaml): their Stacks fail, changing nothing, until npx muni migrate --stack lodz-prod --run has moved them",
    ]);
    expect(objects.map((o) => `${o.file} ${o.object.kind}/${o.object.metadata.name}`)).toStrictEqual([
      "00-namespace.yaml Namespace/muni-system",
      "01-rbac.yaml ServiceAccount/muni-provisioner",
      "01-rbac.yaml ClusterRole/muni-provisioner",
      "01-rbac.yaml ClusterRoleBinding/muni-provisioner",
      "01-rbac.yaml ClusterRoleBinding/muni-provisioner-auth-delegator",
      "01-rbac.yaml Role/muni-provisioner-clone-images",
      "01-rbac.yaml RoleBinding/muni-provisioner-clone-images",
      "02-kubeconfig.yaml ConfigMap/muni-kubeconfig",
      "stacks/lodz-prod-css.yaml Stack/lodz-prod-css",
      "stacks/lodz-prod-mpu.yaml Stack/lodz-prod-mpu",
      "stacks/lodz-prod-platform.yaml Stack/lodz-prod-platform",
      "stacks/lodz-prod-zzm.yaml Stack/lodz-prod-zzm",
    ]);
  });

  it("THEN every object passes the upstream strict schema of its kind (the operator's Stack CRD, RBAC, core)", () => {
    expect(objects.flatMap((o) => strictSchemaErrors(o.object))).toStrictEqual([]);
  });

  it("THEN a unit's Stack deploys <city>.<unit> from the repository with the backend, secrets provider, credentials, refresh, the platform as prerequisite, and never destroys on deletion", () => {
    const css = objects.find((o) => o.object.metadata.name === "lodz-prod-css")!.object;
    expect(css).toStrictEqual({
      apiVersion: "pulumi.com/v1",
      kind: "Stack",
      metadata: {
        name: "lodz-prod-css",
        namespace: "muni-system",
        labels: {
          "app.kubernetes.io/managed-by": "muni",
          "app.kubernetes.io/part-of": "muni-operator",
          "muni.lodz.pl/stack": "lodz-prod",
          "app.kubernetes.io/component": "unit",
          "muni.lodz.pl/unit": "css",
        },
      },
      spec: {
        stack: "lodz-prod.css",
        projectRepo: "https://git.uml.lodz.pl/it/muni.git",
        branch: "main",
        backend: "s3://muni-state?endpoint=s3.dc.uml.lodz.pl&s3ForcePathStyle=true&region=pl-lodz-1",
        secretsProvider: "hashivault://muni-lodz-prod",
        envRefs: ENV_REFS,
        refresh: true,
        continueResyncOnCommitMatch: false,
        resyncFrequencySeconds: 600,
        destroyOnFinalize: false,
        prerequisites: [{ name: "lodz-prod-platform", requirement: { succeededWithinDuration: "24h" } }],
        serviceAccountName: "muni-provisioner",
        workspaceReclaimPolicy: "Delete",
        workspaceTemplate: WORKSPACE,
      },
    });
    const platform = objects.find((o) => o.object.metadata.name === "lodz-prod-platform")!
      .object as Required<Obj>;
    expect(platform.spec.stack).toBe("lodz-prod.platform");
    expect(platform.spec.prerequisites).toBeUndefined();
  });

  it("THEN the workspaces' kubeconfig names the settings' cluster context and reaches the API server with the pod's own token", () => {
    const cm = objects.find((o) => o.object.kind === "ConfigMap")!.object as Required<Obj>;
    expect(parse(cm.data.config)).toStrictEqual({
      apiVersion: "v1",
      kind: "Config",
      clusters: [
        {
          name: "in-cluster",
          cluster: {
            server: "https://kubernetes.default.svc",
            "certificate-authority": "/var/run/secrets/kubernetes.io/serviceaccount/ca.crt",
          },
        },
      ],
      users: [
        { name: "provisioner", user: { tokenFile: "/var/run/secrets/kubernetes.io/serviceaccount/token" } },
      ],
      contexts: [{ name: "lodz-prod", context: { cluster: "in-cluster", user: "provisioner" } }],
      "current-context": "lodz-prod",
    });
  });

  it("GIVEN a second run THEN it rewrites its own directory; a directory it did not write is refused (exit 2)", async () => {
    expect((await runCli(["operator", "--stack", "lodz-prod", "--out", dir])).code).toBe(0);
    const foreign = tempDir(`muni-operator-foreign-${process.pid}-`);
    writeFileSync(join(foreign, "keep.txt"), "mine");
    expect(await runCli(["operator", "--stack", "lodz-prod", "--out", foreign])).toStrictEqual({
      code: 2,
      out: [],
      err: [
        `muni: --out ${foreign} is not empty and was not written by muni operator: give a new or empty directory`,
      ],
    });
    expect(readFileSync(join(foreign, "keep.txt"), "utf8")).toBe("mine");
    rmSync(foreign, { recursive: true, force: true });
  });
});

describe("muni operator: modes and refusals", () => {
  it("GIVEN lodz-staging (deploy-and-remediate) THEN its Stacks re-run on the same commit every resync, applying", async () => {
    const dir = join(tempDir(`muni-operator-${process.pid}-`), "out");
    expect((await runCli(["operator", "--stack", "lodz-staging", "--out", dir])).code).toBe(0);
    const s = objectsIn(dir).find((o) => o.object.metadata.name === "lodz-staging-css")!
      .object as Required<Obj>;
    expect([s.spec.continueResyncOnCommitMatch, s.spec.preview, s.spec.secretsProvider]).toStrictEqual([
      true,
      undefined,
      "hashivault://muni-lodz-staging",
    ]);
    rmSync(join(dir, ".."), { recursive: true, force: true });
  });

  it("GIVEN mode preview and a passphrase provider and a private repository THEN preview-only Stacks, the passphrase and the token from Secrets", async () => {
    const root = copyOfRepo();
    const file = join(root, "stacks", "Pulumi.lodz-prod.yaml");
    writeFileSync(
      file,
      readFileSync(file, "utf8")
        .replace("secretsProvider: hashivault://muni-lodz-prod", "secretsProvider: passphrase")
        .replace("        branch: main\n", "        branch: main\n        tokenSecret: muni-git-token\n")
        .replace("mode: deploy", "mode: preview"),
    );
    writeFileSync(join(root, ".pulumi.version"), "3.270.0\n");
    const dir = join(root, "operator-out");
    expect((await runCli(["operator", "--stack", "lodz-prod", "--out", dir, "--root", root])).code).toBe(0);
    const s = objectsIn(dir).find((o) => o.object.metadata.name === "lodz-prod-mpu")!.object as Required<Obj>;
    expect({
      preview: s.spec.preview,
      resync: s.spec.continueResyncOnCommitMatch,
      env: Object.keys(s.spec.envRefs as object),
      gitAuth: s.spec.gitAuth,
    }).toStrictEqual({
      preview: true,
      resync: true,
      env: ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "PULUMI_CONFIG_PASSPHRASE"],
      gitAuth: { accessToken: { type: "Secret", secret: { name: "muni-git-token", key: "accessToken" } } },
    });
    rmSync(root, { recursive: true, force: true });
  });

  it("GIVEN settings without pulumi, or with a kubeconfig path THEN located errors, exit 1, nothing written", async () => {
    const root = copyOfRepo();
    writeFileSync(join(root, ".pulumi.version"), "3.270.0\n");
    const file = join(root, "stacks", "Pulumi.lodz-prod.yaml");
    const text = readFileSync(file, "utf8");
    writeFileSync(file, text.replace(/    pulumi:\n(      .*\n)+/, ""));
    const dir = join(root, "out");
    const a = await runCli(["operator", "--stack", "lodz-prod", "--out", dir, "--root", root]);
    expect(a.code).toBe(1);
    expect(a.err[0]).toMatch(
      /stacks\/Pulumi\.lodz-prod\.yaml:4:3: config\["muni:settings"\]: stack lodz-prod has no "pulumi" settings: the state backend, secrets provider and repository its Pulumi stacks use \(add pulumi: /,
    );
    writeFileSync(
      file,
      text.replace(
        "      context: lodz-prod\n",
        "      context: lodz-prod\n      kubeconfigPath: /home/jan/.kube/config\n",
      ),
    );
    const b = await runCli(["operator", "--stack", "lodz-prod", "--out", dir, "--root", root]);
    expect(b.code).toBe(1);
    expect(b.err[0]).toMatch(
      /stacks\/Pulumi\.lodz-prod\.yaml:7:23: config\["muni:settings"\]\.cluster\.kubeconfigPath: "\/home\/jan\/\.kube\/config" is a file on an engineer's machine/,
    );
    expect(existsSync(dir)).toBe(false);
    rmSync(root, { recursive: true, force: true });
  });

  it("GIVEN an invalid manifest anywhere in the city THEN the cross-unit checks refuse it before anything is written", async () => {
    const root = copyOfRepo();
    writeFileSync(join(root, ".pulumi.version"), "3.270.0\n");
    const mpu = join(root, "units", "mpu.yaml");
    const css = readFileSync(join(root, "units", "css.yaml"), "utf8");
    // Two units claiming the same mail domain: a cross-unit problem no unit stack would see (and css's zone).
    const domain = /domain: (\S+)/.exec(css)![1]!;
    writeFileSync(mpu, readFileSync(mpu, "utf8").replace(/domain: \S+/, `domain: ${domain}`));
    mkdirSync(join(root, "out"));
    const r = await runCli(["operator", "--stack", "lodz-prod", "--out", join(root, "out"), "--root", root]);
    expect(r.code).toBe(1);
    expect(r.err.at(-1)).toBe("muni operator: 2 problem(s) in stack lodz-prod; nothing was done");
    expect(readdirSync(join(root, "out"))).toStrictEqual([]);
    rmSync(root, { recursive: true, force: true });
  });
});

/** Whether `rules` allow `verb` on `group/resource` (optionally a named object). */
function allows(
  rules: readonly PolicyRule[],
  group: string,
  resource: string,
  verb: string,
  name?: string,
): boolean {
  return rules.some(
    (r) =>
      r.apiGroups.includes(group) &&
      r.resources.includes(resource) &&
      r.verbs.includes(verb) &&
      (!r.resourceNames || (name !== undefined && r.resourceNames.includes(name))),
  );
}

describe("the provisioner's RBAC: what the program registers, and no more", () => {
  const rules = provisionerRules();
  const rendered = [
    loadProject(REPO_ROOT, "lodz-prod"),
    loadProject(REPO_ROOT, "lodz-staging"),
    (() => {
      process.env.MUNI_TODAY = "2027-06-01";
      const root = generatedProject(40);
      const project = loadProject(root, "gen");
      afterAll(() => rmSync(root, { recursive: true, force: true }));
      return project;
    })(),
  ].flatMap((p) => {
    const plan = planProject({ stack: p.stack!, units: p.units });
    return [...plan.units.flatMap((u) => u.objects), ...plan.platform].map((o) => o.object as unknown as Obj);
  });

  it("GIVEN every object rendered for lodz-prod, lodz-staging and 40 generated units THEN the ClusterRole lets the provisioner create, patch and delete each", () => {
    expect(rendered.length).toBeGreaterThan(500);
    const missing = rendered.filter((o) => {
      const k = MANAGED_KINDS.find((m) => m.apiVersion === o.apiVersion && m.kind === o.kind);
      const group = o.apiVersion.includes("/") ? o.apiVersion.split("/")[0]! : "";
      const name = k?.namespaced === false ? o.metadata.name : undefined;
      return (
        !k || !["get", "create", "patch", "delete"].every((v) => allows(rules, group, k.resource, v, name))
      );
    });
    expect(missing.map((o) => `${o.apiVersion}/${o.kind}`)).toStrictEqual([]);
  });

  it("THEN it holds every permission muni's Roles grant (so no escalate) and may bind exactly the ClusterRoles its RoleBindings name", () => {
    const roles = rendered.filter((o) => o.kind === "Role") as unknown as Array<{ rules: PolicyRule[] }>;
    expect(roles.length).toBeGreaterThan(0);
    const notHeld = roles.flatMap((r) =>
      r.rules.flatMap((rule) =>
        rule.apiGroups.flatMap((g) =>
          rule.resources.flatMap((res) =>
            rule.verbs.filter((v) => !allows(rules, g, res, v)).map((v) => `${g}/${res} ${v}`),
          ),
        ),
      ),
    );
    expect(notHeld).toStrictEqual([]);
    const bound = [
      ...new Set(
        (
          rendered.filter((o) => o.kind === "RoleBinding") as unknown as Array<{
            roleRef: { kind: string; name: string };
          }>
        )
          .filter((b) => b.roleRef.kind === "ClusterRole")
          .map((b) => b.roleRef.name),
      ),
    ].sort();
    expect(bound).toStrictEqual([...BOUND_CLUSTER_ROLES].sort());
    expect(allows(rules, "rbac.authorization.k8s.io", "clusterroles", "bind", "admin")).toBe(true);
    expect(allows(rules, "rbac.authorization.k8s.io", "clusterroles", "bind", "cluster-admin")).toBe(false);
  });

  it("THEN every kind register.ts can register is managed, and nothing else: no wildcard, no impersonate, escalate only on the two ClusterRoles muni writes, cluster-scoped objects changed only by name (create cannot be), no ClusterRoleBinding", () => {
    const managed = MANAGED_KINDS.map((k) => `${k.apiVersion}/${k.kind}`);
    expect(REGISTRABLE.typed.filter((k) => !managed.includes(k))).toStrictEqual([]);
    const group = (k: string) => (k.split("/").length > 2 ? k.split("/")[0]! : "");
    expect(
      managed.filter((k) => !REGISTRABLE.typed.includes(k) && !REGISTRABLE.customGroups.includes(group(k))),
    ).toStrictEqual([]);
    const flat = rules.flatMap((r) => [...r.apiGroups, ...r.resources, ...r.verbs]);
    expect(flat.filter((x) => x.includes("*"))).toStrictEqual([]);
    expect(rules.flatMap((r) => r.verbs).filter((v) => ["impersonate", "*"].includes(v))).toStrictEqual([]);
    expect(rules.filter((r) => r.verbs.includes("escalate"))).toStrictEqual([
      {
        apiGroups: ["rbac.authorization.k8s.io"],
        resources: ["clusterroles"],
        verbs: ["escalate"],
        resourceNames: ["muni-unit-admin", "muni-unit-view"],
      },
    ]);
    const clusterScoped = MANAGED_KINDS.filter((k) => !k.namespaced && k.kind !== "Namespace").map(
      (k) => k.resource,
    );
    expect(
      rules
        .filter(
          (r) =>
            r.resources.some((x) => [...clusterScoped, "clusterrolebindings"].includes(x)) &&
            !r.resourceNames,
        )
        .map((r) => r.verbs),
    ).toStrictEqual(clusterScoped.map(() => ["create"]));
  });
});
