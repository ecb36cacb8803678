import fc from "fast-check";
import { join } from "node:path";
import {
  cidrContains,
  cidrsOverlap,
  imageAllowed,
  imageRepository,
  inZone,
  mailHostOf,
  parseAddress,
  parseCidr,
  reservedNames,
  reserves,
  unreachableRange,
  zonesOf,
} from "../../infra/1-model";
import { loadProject } from "../../infra/3-rules";
import { mailDnsRecords } from "../../infra/4-builders/mail";

// The model the tenancy rules and builders share (1-model/tenancy.ts, net.ts).
const settings = loadProject(join(__dirname, "..", ".."), "lodz-prod").stack!.settings;
const label = fc.stringMatching(/^[a-z0-9]([-a-z0-9]{0,6}[a-z0-9])?$/);
const name = fc.array(label, { minLength: 1, maxLength: 4 }).map((ls) => ls.join("."));

describe("DNS zones", () => {
  it("GIVEN any names WHEN a name is its zone's or a label-wise suffix of it THEN it lies in the zone, and never by a bare string suffix (property)", () => {
    fc.assert(
      fc.property(name, name, (zone, prefix) => {
        expect(inZone(zone, zone)).toBe(true);
        expect(inZone(`${prefix}.${zone}`, zone)).toBe(true);
        // "evilmpu.lodz.pl" is not in "mpu.lodz.pl".
        expect(inZone(`${prefix}${zone}`, zone)).toBe(false);
      }),
    );
  });

  it("GIVEN the Łódź stack WHEN a unit's zones are derived THEN the default is <id>.<first suffix>, a delegation replaces it", () => {
    expect(zonesOf("mpu", settings)).toStrictEqual({ zones: ["mpu.lodz.pl"], delegated: false });
    const delegated = {
      ...settings,
      tenancy: { ...settings.tenancy, zones: { mpu: ["mpu.pl"] as [string] } },
    };
    expect(zonesOf("mpu", delegated)).toStrictEqual({ zones: ["mpu.pl"], delegated: true });
  });

  it("GIVEN the Łódź stack WHEN its reserved names are listed THEN the apex is reserved alone, the hosts and the city hall's domain with everything under them", () => {
    const r = reservedNames(settings);
    expect(r.map((x) => [x.name, x.exact])).toStrictEqual([
      ["lodz.pl", true],
      ["mail.lodz.pl", false],
      ["uml.lodz.pl", false],
    ]);
    expect([
      reserves(r[0]!, "lodz.pl"),
      reserves(r[0]!, "mpu.lodz.pl"),
      reserves(r[2]!, "bip.uml.lodz.pl"),
    ]).toStrictEqual([true, false, true]);
  });

  it("GIVEN the mail platform's host WHEN derived by the model THEN the MX record the mail builder publishes names it (with and without mxHost)", () => {
    const mx = (s: typeof settings) => mailDnsRecords({ domain: "mpu.lodz.pl" }, s, "k")[0];
    expect([mailHostOf(settings), mx(settings)]).toStrictEqual([
      "mail.lodz.pl",
      { name: "mpu.lodz.pl.", type: "MX", ttl: 3600, value: "10 mail.lodz.pl." },
    ]);
    const set = structuredClone(settings);
    set.platform.mail.mxHost = "poczta.lodz.pl";
    expect([mailHostOf(set), mx(set)]).toStrictEqual([
      "poczta.lodz.pl",
      { name: "mpu.lodz.pl.", type: "MX", ttl: 3600, value: "10 poczta.lodz.pl." },
    ]);
  });
});

describe("addresses and networks", () => {
  it("GIVEN literal forms of an address WHEN parsed THEN only four decimal parts and IPv6 are addresses", () => {
    expect(
      ["10.20.1.15", "127.1", "0x7f000001", "2130706433", "0177.0.0.1", "fd00::1"].map((a) =>
        parseAddress(a)?.toString(),
      ),
    ).toStrictEqual(["10.20.1.15", undefined, undefined, undefined, undefined, "fd00::1"]);
  });

  it("GIVEN networks WHEN parsed THEN their canonical form clears host bits, and invalid ones are none", () => {
    expect(
      ["10.20.1.0/16", "fd00:20::1/48", "10.0.0.0/33", "1.2.3/8", "x/8"].map((c) => parseCidr(c)?.canonical),
    ).toStrictEqual(["10.20.0.0/16", "fd00:20::/48", undefined, undefined, undefined]);
  });

  it("GIVEN any IPv4 network and address WHEN containment and overlap are asked THEN they agree with the arithmetic (property)", () => {
    const octets = fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255));
    fc.assert(
      fc.property(octets, fc.integer({ min: 0, max: 32 }), octets, (net, prefix, addr) => {
        const c = parseCidr(`${net.join(".")}/${prefix}`)!;
        const toInt = (o: number[]) => o.reduce((n, x) => n * 256 + x, 0);
        const inside =
          Math.floor(toInt(addr) / 2 ** (32 - prefix)) === Math.floor(toInt(net) / 2 ** (32 - prefix));
        expect(cidrContains(c, parseAddress(addr.join("."))!)).toBe(inside);
        expect(cidrsOverlap(c, parseCidr(`${addr.join(".")}/32`)!)).toBe(inside);
      }),
    );
  });

  it("GIVEN the metadata address, loopback and mapped forms WHEN checked THEN each lies in a never-reachable range", () => {
    expect(
      ["169.254.169.254", "127.0.0.1", "::1", "::ffff:7f00:1", "fe80::1", "10.0.0.1"].map((a) =>
        unreachableRange(parseAddress(a)!),
      ),
    ).toStrictEqual(["169.254.0.0/16", "127.0.0.0/8", "::1/128", "::ffff:0:0/96", "fe80::/10", undefined]);
  });
});

describe("allowed images", () => {
  it("GIVEN an allowed prefix WHEN any image extends it without a separator THEN it is not allowed (look-alike hosts and repositories) (property)", () => {
    fc.assert(
      fc.property(name, fc.stringMatching(/^[a-z0-9.-]{1,10}$/), (prefix, rest) => {
        expect(imageAllowed(`${prefix}${rest}/app:1`, [prefix])).toBe(false);
        expect(imageAllowed(`${prefix}/app:1`, [prefix])).toBe(true);
      }),
    );
  });

  it("GIVEN image references WHEN their repository is taken THEN tag and digest go, a registry port stays", () => {
    expect(
      [
        "docker.io/nginxinc/nginx-unprivileged:1.27-alpine",
        "registry.lodz.pl:5000/app@sha256:abc",
        "app",
      ].map(imageRepository),
    ).toStrictEqual(["docker.io/nginxinc/nginx-unprivileged", "registry.lodz.pl:5000/app", "app"]);
  });
});
