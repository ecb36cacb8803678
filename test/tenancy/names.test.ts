import { KEY_FAMILIES, type StackSettings, type Unit } from "../../infra/1-model";
import { renderUnit } from "../../infra/4-builders";
import {
  cliRuns,
  expectAccepted,
  expectRefused,
  located,
  settingAt,
  unitYaml,
  hostileSuite,
} from "./hostile";
import fc from "fast-check";
import { crossCheck, loadProject } from "../../infra/3-rules";
import { join } from "node:path";

// Issue 13, point 1: names never collide. The mock runtime is installed before the program is imported.
const { program, project } = hostileSuite();

const vms = `  servers:
    quota: { cpu: "4", memory: 16Gi, storage: 200Gi }
    vms: [{ name: serwer, cpu: 1, memory: 2Gi, disk: 20Gi, image: debian-12 }]`;

describe("GIVEN a hostile unit that tries to take another unit's names", () => {
  it("WHEN its id is another unit's id followed by -vm (mpu-vm takes mpu's privileged VM namespace) THEN validate, plan and the program refuse it at the id", async () => {
    const root = project({ units: { "mpu-vm": unitYaml("mpu-vm") } });
    await expectRefused(root, program, [
      'units/mpu-vm.yaml:1:5: id: id "mpu-vm" ends in "-vm": a unit\'s VM namespace is <namespace>-vm, so this unit\'s namespace would be the VM namespace of a unit "mpu" (choose an id that does not end in -vm)',
    ]);
  });

  it("WHEN its id ends in -vm and no unit of the prefix exists yet (the prefix may come later, or in another stack) THEN it is refused all the same", async () => {
    const root = project({ units: { "nowa-vm": unitYaml("nowa-vm") } });
    await expectRefused(root, program, [
      'units/nowa-vm.yaml:1:5: id: id "nowa-vm" ends in "-vm": a unit\'s VM namespace is <namespace>-vm, so this unit\'s namespace would be the VM namespace of a unit "nowa" (choose an id that does not end in -vm)',
    ]);
  });

  it("WHEN its id is platform (its Pulumi stack <city>.platform would be the shared servers' stack) THEN validate, plan and the program refuse it at the id", async () => {
    const root = project({ units: { platform: unitYaml("platform") } });
    await expectRefused(root, program, [
      'units/platform.yaml:1:5: id: id "platform" is reserved: the Pulumi stack <city>.platform holds the shared servers, and a unit\'s stack is <city>.<id> (choose another id)',
    ]);
  });

  it.each([
    ["mpu-vmns", "vmns"],
    ["mpu-netpol", "netpol"],
    ["mpu-web-x", "web"],
    ["zzm-mail", "mail"],
    ["css-rb", "rb"],
  ])(
    "WHEN its id %s is another unit's id followed by a key family (%s-...) THEN it is refused at its id, naming the other unit's file",
    async (id, family) => {
      const other = id.split("-")[0]!;
      const root = project({ units: { [id]: unitYaml(id) } });
      await expectRefused(root, program, [
        `units/${id}.yaml:1:5: id: id "${id}" is unit ${other}'s id followed by "-${family}" (units/${other}.yaml:3:5): resources are named <id>-<key> and keys of unit ${other} start with "${family}-", so the two units' resources could have one name (choose an id that does not start with "${other}-${family}")`,
      ]);
    },
  );

  it("WHEN the stack has no namespace prefix and a unit's id is a platform, DNS, kube-* or operator namespace THEN each is refused at its id, naming where the stack reserves it", async () => {
    const ids = [
      "kube-public",
      "platform-mail",
      "ingress-nginx",
      "pulumi-kubernetes-operator",
      "cert-manager",
      "os-images",
      "default",
    ];
    const root = project({
      units: Object.fromEntries(ids.map((id) => [id, unitYaml(id)])),
      settings: (s) => {
        s.namespacePrefix = "";
      },
    });
    const fix =
      " (choose another id: a unit never shares a namespace with the cluster, the platform or another unit)";
    await expectRefused(
      root,
      program,
      [
        `units/cert-manager.yaml:1:5: id: the unit's namespace would be "cert-manager", which is a namespace the stack reserves (tenancy.reservedNamespaces[1], ${settingAt(["tenancy", "reservedNamespaces", 1], root)})`,
        `units/default.yaml:1:5: id: the unit's namespace would be "default", which is Kubernetes' default namespace`,
        `units/ingress-nginx.yaml:1:5: id: the unit's namespace would be "ingress-nginx", which is the ingress platform's namespace (platform.ingress.namespace, ${settingAt(["platform", "ingress", "namespace"], root)})`,
        `units/kube-public.yaml:1:5: id: the unit's namespace would be "kube-public", which is Kubernetes' own namespaces (kube-*)`,
        `units/os-images.yaml:1:5: id: the unit's namespace would be "os-images", which is the namespace of VM image "windows-server-2022"'s data source (vm.images.windows-server-2022.dataSource.namespace, ${settingAt(["vm", "images", "windows-server-2022", "dataSource", "namespace"], root)})`,
        `units/platform-mail.yaml:1:5: id: the unit's namespace would be "platform-mail", which is the mail platform's namespace (platform.mail.namespace, ${settingAt(["platform", "mail", "namespace"], root)})`,
        `units/pulumi-kubernetes-operator.yaml:1:5: id: the unit's namespace would be "pulumi-kubernetes-operator", which is the Pulumi Kubernetes Operator's namespace (tenancy.reservedNamespaces[0], ${settingAt(["tenancy", "reservedNamespaces", 0], root)})`,
      ].map((l) => l + fix),
    );
  });

  it("WHEN a unit with VMs would have a reserved VM namespace THEN the VM namespace is refused too", async () => {
    const root = project({
      units: { archiwum: unitYaml("archiwum", vms) },
      settings: (s) => {
        s.namespacePrefix = "";
        s.tenancy = { ...s.tenancy, reservedNamespaces: ["archiwum-vm"] };
      },
    });
    const { validate } = await cliRuns(root);
    expect(located(validate)).toStrictEqual([
      expect.stringMatching(
        /^units\/archiwum\.yaml:1:5: id: the unit's VM namespace would be "archiwum-vm", which is a namespace the stack reserves \(tenancy\.reservedNamespaces\[0\], stacks\/Pulumi\.lodz-staging\.yaml:\d+:\d+\)/,
      ),
    ]);
  });

  it("WHEN ids merely share a prefix without a key family (mpu and mpu-archiwum) THEN both are accepted", async () => {
    const root = project({ units: { "mpu-archiwum": unitYaml("mpu-archiwum") } });
    await expectAccepted(root, program);
  });
});

describe("Pulumi names <id>-<key> across units, by construction", () => {
  const project = loadProject(join(__dirname, "..", ".."), "lodz-prod");
  const settings = project.stack!.settings as StackSettings;
  const units = project.units.map((u) => u.unit);

  it("GIVEN every builder of the Annex 1 units WHEN rendered THEN every key starts with a KEY_FAMILIES word (the rule's premise)", () => {
    const firsts = new Set(units.flatMap((u) => renderUnit(u, settings).map((d) => d.key.split("-")[0]!)));
    expect([...firsts].filter((f) => !(KEY_FAMILIES as readonly string[]).includes(f))).toStrictEqual([]);
  });

  it("GIVEN any two ids the rules accept WHEN both units render every service THEN no <id>-<key> of one is a name of the other (property)", () => {
    const segment = fc.constantFrom("a", "b", "mpu", "x1", ...KEY_FAMILIES);
    const id = fc
      .array(segment, { minLength: 1, maxLength: 3 })
      .map((s) => (/^[a-z]/.test(s[0]!) ? s : ["u", ...s]).join("-"))
      .filter((s) => s.length >= 2 && !s.endsWith("-vm"));
    const template = units.find((u) => u.id === "mpu")!;
    const as = (uid: string): Unit => ({ ...structuredClone(template), id: uid });
    fc.assert(
      fc.property(id, id, (a, b) => {
        fc.pre(a !== b);
        const inputs = [
          { file: `units/${a}.yaml`, unit: as(a) },
          { file: `units/${b}.yaml`, unit: as(b) },
        ];
        const refused = crossCheck(inputs, () => "?").some(
          (f) => f.path[0] === "id" && /followed by/.test(f.message),
        );
        fc.pre(!refused);
        const names = (u: Unit) => new Set(renderUnit(u, settings).map((d) => `${u.id}-${d.key}`));
        const na = names(as(a));
        return [...names(as(b))].every((n) => !na.has(n));
      }),
      { numRuns: 60 },
    );
  });
});
