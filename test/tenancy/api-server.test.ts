import { apiServerNetworksListed } from "../../infra/3-rules/api-server";
import type { ProjectView } from "../../infra/3-rules/finding";
import { expectRefused, settingAt, hostileSuite } from "./hostile";

// Issue 14: the mail and print servers read their tenants from the Kubernetes API, which the platform
// fence opens only at tenancy.apiServerNetworks. A stack whose units use mail or print without those
// networks would deploy servers that never start: refused at the setting, by validate, plan and the program.
const { program, project } = hostileSuite();

describe("GIVEN a stack without the API server's networks", () => {
  it("WHEN its units use mail or print THEN validate, plan and the program refuse it at the setting, naming the units and how to find the addresses", async () => {
    const root = project({
      settings: (s) => {
        s.tenancy.apiServerNetworks = [];
      },
    });
    await expectRefused(root, program, [
      `${settingAt(["tenancy", "apiServerNetworks"], root)}: config["muni:settings"].tenancy.apiServerNetworks: units css, mpu, zzm use mail or print, but the stack lists no API server networks: the mail and print servers read their tenants from the Kubernetes API, which the platform fence opens only at those addresses, so the servers would not start (list the API server's endpoint addresses under tenancy.apiServerNetworks (kubectl get endpointslices -n default -l kubernetes.io/service-name=kubernetes), e.g. - 10.10.0.11/32)`,
    ]);
  });

  it("WHEN the setting is absent altogether THEN the same refusal is located at tenancy", async () => {
    const root = project({
      settings: (s) => {
        delete s.tenancy.apiServerNetworks;
      },
    });
    await expectRefused(root, program, [
      `${settingAt(["tenancy"], root)}: config["muni:settings"].tenancy.apiServerNetworks: units css, mpu, zzm use mail or print, but the stack lists no API server networks: the mail and print servers read their tenants from the Kubernetes API, which the platform fence opens only at those addresses, so the servers would not start (list the API server's endpoint addresses under tenancy.apiServerNetworks (kubectl get endpointslices -n default -l kubernetes.io/service-name=kubernetes), e.g. - 10.10.0.11/32)`,
    ]);
  });

  it("WHEN no unit uses mail or print THEN the check finds nothing", () => {
    const stack = {
      file: "stacks/Pulumi.lodz-staging.yaml",
      settings: { tenancy: { apiServerNetworks: [] } },
    };
    const units = [{ file: "units/css.yaml", unit: { id: "css", services: { internet: {} } } }];
    const view = { stack, units, locate: () => undefined } as unknown as ProjectView;
    expect(apiServerNetworksListed(view)).toStrictEqual([]);
    const mail = [{ file: "units/css.yaml", unit: { id: "css", services: { mail: {} } } }];
    expect(
      apiServerNetworksListed({ ...view, units: mail } as unknown as ProjectView).map((f) => f.path),
    ).toStrictEqual([["config", "muni:settings", "tenancy", "apiServerNetworks"]]);
  });
});
