import fc from "fast-check";
import { stackDnsName, type Unit, unitForStack } from "../../infra/1-model";

const STAGING = { dnsRewrite: { "lodz.pl": "staging.lodz.pl", "uml.lodz.pl": "test.uml.lodz.pl" } };

/** A DNS label of the schema's form. */
const label = fc.stringMatching(/^[a-z0-9]([-a-z0-9]{0,10}[a-z0-9])?$/);
/** A name under lodz.pl: one to four labels before the suffix. */
const underLodz = fc.array(label, { minLength: 1, maxLength: 4 }).map((ls) => `${ls.join(".")}.lodz.pl`);

const unit = (services: Unit["services"]): Unit =>
  ({
    id: "mpu",
    name: "Miejska Pracownia Urbanistyczna w Łodzi",
    shortName: "MPU",
    address: { street: "ul. Piotrkowska 1", postalCode: "90-001", city: "Łódź" },
    costCentre: "MPK-MPU-01",
    labels: {},
    roles: { localAdministrators: [], operationsLeads: [] },
    lifecycle: { state: "active", wave: 1 },
    services,
  }) as Unit;

describe("stackDnsName: a stack's own names (dnsRewrite)", () => {
  it.each([
    ["bip.mpu.lodz.pl", "bip.mpu.staging.lodz.pl"],
    ["mpu.lodz.pl", "mpu.staging.lodz.pl"],
    ["lodz.pl", "staging.lodz.pl"],
    ["sekretariat.uml.lodz.pl", "sekretariat.test.uml.lodz.pl"],
    ["uml.lodz.pl", "test.uml.lodz.pl"],
    ["www.example.org", "www.example.org"],
    ["xlodz.pl", "xlodz.pl"],
  ])(
    "GIVEN %s on a stack renaming lodz.pl and uml.lodz.pl WHEN named THEN the longest suffix wins: %s",
    (name, served) => {
      expect(stackDnsName(name, STAGING)).toBe(served);
    },
  );

  it("GIVEN no dnsRewrite (production) WHEN any name is named THEN it is the manifest's", () => {
    fc.assert(fc.property(underLodz, (name) => stackDnsName(name, {}) === name));
  });

  it("GIVEN two different names under lodz.pl WHEN renamed for staging THEN they stay different, and differ from every production name under lodz.pl not under staging.lodz.pl", () => {
    fc.assert(
      fc.property(underLodz, underLodz, (a, b) => {
        const [sa, sb] = [stackDnsName(a, STAGING), stackDnsName(b, STAGING)];
        expect(sa === sb).toBe(a === b);
        expect(sa.endsWith(".staging.lodz.pl") || sa.endsWith(".test.uml.lodz.pl")).toBe(true);
        if (!b.endsWith(".staging.lodz.pl") && !b.endsWith(".test.uml.lodz.pl")) expect(sa).not.toBe(b);
      }),
    );
  });
});

describe("unitForStack", () => {
  it("GIVEN a unit with mail, aliases and sites WHEN served by staging THEN domain, alias addresses and host names are staging's, nothing else changes", () => {
    // GIVEN
    const prod = unit({
      mail: {
        domain: "mpu.lodz.pl",
        mailboxLimit: 5,
        defaultQuota: "2Gi",
        mailboxes: [{ localPart: "sekretariat", displayName: "Sekretariat" }],
        aliases: [{ name: "iod", to: ["sekretariat", "iod@uml.lodz.pl", "kontakt@example.org"] }],
      },
      web: {
        sites: [
          { hostname: "mpu.lodz.pl", kind: "www", storage: "1Gi", replicas: 1 },
          { hostname: "bip.mpu.lodz.pl", kind: "bip", storage: "1Gi", replicas: 1 },
        ],
      },
      internet: { bandwidthMbps: 100 },
    });
    // WHEN
    const served = unitForStack(prod, STAGING);
    // THEN
    expect(served).toStrictEqual(
      unit({
        mail: {
          domain: "mpu.staging.lodz.pl",
          mailboxLimit: 5,
          defaultQuota: "2Gi",
          mailboxes: [{ localPart: "sekretariat", displayName: "Sekretariat" }],
          aliases: [{ name: "iod", to: ["sekretariat", "iod@test.uml.lodz.pl", "kontakt@example.org"] }],
        },
        web: {
          sites: [
            { hostname: "mpu.staging.lodz.pl", kind: "www", storage: "1Gi", replicas: 1 },
            { hostname: "bip.mpu.staging.lodz.pl", kind: "bip", storage: "1Gi", replicas: 1 },
          ],
        },
        internet: { bandwidthMbps: 100 },
      }),
    );
    // AND the manifest's model is untouched
    expect(prod.services.mail!.domain).toBe("mpu.lodz.pl");
  });

  it("GIVEN a stack that renames nothing WHEN a unit is served THEN it is the very same object", () => {
    const u = unit({
      web: { sites: [{ hostname: "mpu.lodz.pl", kind: "www", storage: "1Gi", replicas: 1 }] },
    });
    expect(unitForStack(u, { dnsRewrite: {} })).toBe(u);
  });
});
