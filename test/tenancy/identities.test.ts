import { expectAccepted, expectRefused, positionOf, unitYaml, hostileSuite } from "./hostile";

// Issue 13, point 3: whom a unit may name in its roles. The mock runtime is installed before the program
// is imported.
const { program, project } = hostileSuite();

/** Roles of unit wrogi: administrators and leads as `kind:name` lists. */
const roles = (admins: string[], leads: string[] = ["user:kierownik@wrogi.lodz.pl"]) => {
  const id = (s: string) => {
    const [kind, ...name] = s.split(":");
    return `{ kind: ${kind}, name: "${name.join(":")}" }`;
  };
  return `  localAdministrators: [${admins.map(id).join(", ")}]\n  operationsLeads: [${leads.map(id).join(", ")}]`;
};
const wrogi = (admins: string[], leads?: string[]) => unitYaml("wrogi", "", roles(admins, leads));
/** The stack's pattern of unit group names, as the central administrators could set it. */
const withPattern = (s: Record<string, any>) => {
  s.tenancy = { ...s.tenancy, identities: { groupPattern: "^{id}-[a-z0-9-]+$" } };
};

describe("GIVEN a hostile unit naming identities in its roles", () => {
  it("WHEN it names Kubernetes' system: groups and users (system:masters in any case, a service account, every authenticated user) THEN each is refused", async () => {
    const root = project({
      units: {
        wrogi: wrogi(
          ["group:system:masters", "group:System:Masters", "user:system:serviceaccount:kube-system:default"],
          ["group:system:authenticated"],
        ),
      },
      settings: withPattern,
    });
    const PATTERN = `(${positionOf(root, "stacks/Pulumi.lodz-staging.yaml", "^{id}")})`;
    const system =
      "(system users, groups such as system:masters, service accounts) (name a user or group of the city's directory)";
    const pattern = (g: string) =>
      `group "${g}" does not match the stack's pattern of unit groups "^wrogi-[a-z0-9-]+$" ${PATTERN} (name the unit's own directory group)`;
    const reserved = (who: string) => `${who} is in Kubernetes' reserved "system:" space ${system}`;
    await expectRefused(root, program, [
      `units/wrogi.yaml:7:46: roles.localAdministrators[0].name: ${pattern("system:masters")}`,
      `units/wrogi.yaml:7:46: roles.localAdministrators[0].name: ${reserved('group "system:masters"')}`,
      `units/wrogi.yaml:7:87: roles.localAdministrators[1].name: ${pattern("System:Masters")}`,
      `units/wrogi.yaml:7:87: roles.localAdministrators[1].name: ${reserved('group "System:Masters"')}`,
      `units/wrogi.yaml:7:127: roles.localAdministrators[2].name: ${reserved('user "system:serviceaccount:kube-system:default"')}`,
      `units/wrogi.yaml:8:42: roles.operationsLeads[0].name: ${pattern("system:authenticated")}`,
      `units/wrogi.yaml:8:42: roles.operationsLeads[0].name: ${reserved('group "system:authenticated"')}`,
    ]);
  });

  it("WHEN it names the stack's central administrators (to get admin from the unit side) THEN it is refused", async () => {
    const root = project({
      units: { wrogi: wrogi(["group:wrogi-admini", "group:UML-administratorzy-techniczni"]) },
    });
    await expectRefused(root, program, [
      expect.stringMatching(
        /^units\/wrogi\.yaml:7:\d+: roles\.localAdministrators\[1\]\.name: "UML-administratorzy-techniczni" is the stack's central administrators group \(stacks\/Pulumi\.lodz-staging\.yaml:\d+:\d+\), who are admins in every unit from the stack \(name the unit's own administrators: central administrators come from the stack only\)$/,
      ),
    ] as never);
  });

  it("WHEN it names another unit's administrators group and its staff (print) group, with no group pattern set THEN both are refused, naming the other unit", async () => {
    const root = project({
      units: { wrogi: wrogi(["group:mpu-administratorzy", "group:css-uzytkownicy"]) },
    });
    await expectRefused(root, program, [
      `units/wrogi.yaml:7:46: roles.localAdministrators[0].name: group "mpu-administratorzy" is already a group of unit mpu (units/mpu.yaml:16:13) (a directory group belongs to one unit: name the unit's own group)`,
      `units/wrogi.yaml:7:92: roles.localAdministrators[1].name: group "css-uzytkownicy" is unit css's staff group (<id>-uzytkownicy, platform.print.groupSuffix) (a directory group belongs to one unit: name the unit's own group)`,
    ]);
  });

  it("WHEN it names a person who serves another unit THEN it is refused unless the stack lets that user (or every user) serve several units", async () => {
    const lead = ["user:anna.wisniewska@mpu.lodz.pl"];
    const refused = project({ units: { wrogi: wrogi(["group:wrogi-admini"], lead) } });
    await expectRefused(refused, program, [
      `units/wrogi.yaml:8:41: roles.operationsLeads[0].name: user "anna.wisniewska@mpu.lodz.pl" already serves unit mpu (units/mpu.yaml:20:13), and stack lodz-staging lets no user serve several units (name another person, or have the central administrators add the user to tenancy.identities.sharedUsers)`,
    ]);
    const listed = project({
      units: { wrogi: wrogi(["group:wrogi-admini"], lead) },
      settings: (s) => {
        s.tenancy = { ...s.tenancy, identities: { sharedUsers: ["anna.wisniewska@mpu.lodz.pl"] } };
      },
    });
    await expectAccepted(listed, program);
    const everyone = project({
      units: { wrogi: wrogi(["group:wrogi-admini"], lead) },
      settings: (s) => {
        s.tenancy = { ...s.tenancy, identities: { allowSharedUsers: true } };
      },
    });
    await expectAccepted(everyone, program);
  });

  it("WHEN the stack's group pattern is no regular expression THEN the stack file is refused at it", async () => {
    const root = project({
      settings: (s) => {
        s.tenancy = { ...s.tenancy, identities: { groupPattern: "^{id}-(" } };
      },
    });
    await expectRefused(root, program, [
      expect.stringMatching(
        /^stacks\/Pulumi\.lodz-staging\.yaml:\d+:\d+: config\["muni:settings"\]\.tenancy\.identities\.groupPattern: "\^\{id\}-\(" is not a regular expression: .* \(write a JavaScript regular expression, e\.g\. \^\{id\}-\[a-z0-9-\]\+\$\)$/,
      ),
    ] as never);
  });
});
