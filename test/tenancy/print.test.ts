import { parseCidr, type Cidr } from "../../infra/1-model";
import { deviceUriProblem } from "../../infra/3-rules";
import { expectAccepted, expectRefused, settingAt, unitYaml, hostileSuite } from "./hostile";

// Issue 13, point 5: print device URIs parsed as URIs, and the stack's printer networks; point 6:
// characters that would reach the print server's configuration.
const { program, project } = hostileSuite();

const scope = {
  zones: ["mpu.lodz.pl"],
  networks: ["10.20.0.0/16", "fd00:20::/48"].map((c) => parseCidr(c)!) as Cidr[],
};
const problem = (uri: string, driverless = false) => deviceUriProblem(uri, driverless, scope)?.message;

describe("GIVEN a hostile unit's print queue device URIs", () => {
  it.each([
    ["ipps://admin:secret@drukarka.mpu.lodz.pl/ipp/print", "carries user information before the host"],
    ["ipps://admin@drukarka.mpu.lodz.pl/ipp/print", "carries user information before the host"],
    ["ipps://drukarka.mpu.lodz.pl/ipp/print#x", "has a fragment (#x)"],
    ["socket://2130706433:9100", 'writes an address in a numeric, hex or short form ("2130706433")'],
    ["socket://0x7f000001:9100", 'writes an address in a numeric, hex or short form ("0x7f000001")'],
    ["socket://127.1:9100", 'writes an address in a numeric, hex or short form ("127.1")'],
    ["socket://0177.0.0.1:9100", 'writes an address in a numeric, hex or short form ("0177.0.0.1")'],
    ["socket://10.20.010.5:9100", 'writes an address in a numeric, hex or short form ("10.20.010.5")'],
    ["ipps://127.0.0.1/ipp/print", "points at 127.0.0.1, in 127.0.0.0/8"],
    ["ipps://[::1]/ipp/print", "points at [::1], in ::1/128"],
    ["ipps://[::ffff:127.0.0.1]/ipp/print", "points at [::ffff:7f00:1], in ::ffff:0:0/96"],
    ["socket://169.254.169.254:80", "points at 169.254.169.254, in 169.254.0.0/16"],
    ["ipps://[fe80::1]/ipp/print", "points at [fe80::1], in fe80::/10"],
    [
      "socket://10.30.0.5:9100",
      "points at 10.30.0.5, outside the stack's printer networks 10.20.0.0/16, fd00:20::/48",
    ],
    ["ipps://kubernetes.default.svc/ipp/print", 'names the cluster-internal host "kubernetes.default.svc"'],
    [
      "ipps://mail.platform-mail.svc.cluster.local/ipp/print",
      'names the cluster-internal host "mail.platform-mail.svc.cluster.local"',
    ],
    ["ipps://etcd.cluster.local/ipp/print", 'names the cluster-internal host "etcd.cluster.local"'],
    [
      "ipps://kubernetes/ipp/print",
      'names "kubernetes", which the print server would resolve inside the cluster',
    ],
    [
      "ipps://localhost/ipp/print",
      'names "localhost", which the print server would resolve inside the cluster',
    ],
    ["ipps://%6c%6fcalhost/ipp/print", 'has a percent-encoded host "%6c%6fcalhost"'],
    ["ipps://drukarka_1.mpu.lodz.pl/ipp/print", 'has a host "drukarka_1.mpu.lodz.pl" that is no DNS name'],
    [
      "ipps://drukarka.css.lodz.pl/ipp/print",
      'names host "drukarka.css.lodz.pl", outside the unit\'s zone mpu.lodz.pl',
    ],
    ["socket://mail.lodz.pl:25", 'names host "mail.lodz.pl", outside the unit\'s zone mpu.lodz.pl'],
    ["http://drukarka.mpu.lodz.pl/", "is not an ipp, ipps, socket or lpd device URI"],
    ["socket://drukarka.mpu.lodz.pl:70000", "has port 70000, outside 1-65535"],
  ])("WHEN a queue points at %s THEN it is refused: %s", (uri, message) => {
    expect(problem(uri)).toContain(message);
  });

  it.each([
    "ipps://drukarka.mpu.lodz.pl/ipp/print",
    "ipp://drukarka.mpu.lodz.pl:631/ipp/print",
    "socket://10.20.1.15:9100",
    "socket://ploter.mpu.lodz.pl:9100?waitof=false",
    "lpd://drukarka.mpu.lodz.pl/kolejka",
    "ipps://[fd00:20::15]/ipp/print",
  ])("WHEN a queue points at its own printer %s THEN it is accepted", (uri) => {
    expect(problem(uri)).toBeUndefined();
  });

  it("WHEN validate, plan and the program meet such queues THEN they refuse them, located at each device URI", async () => {
    const queues = [
      "socket://0x7f000001:9100",
      "socket://169.254.169.254:80",
      "ipps://kubernetes.default.svc/ipp/print",
      "ipps://drukarka.css.lodz.pl/ipp/print",
      "socket://10.20.1.15:9100",
    ];
    const print = `  print:\n    queues:\n${queues.map((u, i) => `      - { name: q${i}, location: x, deviceUri: "${u}", driverless: false, model: HP }`).join("\n")}`;
    const root = project({ units: { wrogi: unitYaml("wrogi", print) } });
    await expectRefused(root, program, [
      `units/wrogi.yaml:13:45: services.print.queues[0].deviceUri: "socket://0x7f000001:9100" writes an address in a numeric, hex or short form ("0x7f000001"), which resolvers read differently from how it looks (write an IPv4 address as four decimal numbers, e.g. 10.20.1.15)`,
      `units/wrogi.yaml:14:45: services.print.queues[1].deviceUri: "socket://169.254.169.254:80" points at 169.254.169.254, in 169.254.0.0/16 (loopback, link-local, metadata or other addresses no printer has) (use the printer's own address in a printer network of the stack)`,
      `units/wrogi.yaml:15:45: services.print.queues[2].deviceUri: "ipps://kubernetes.default.svc/ipp/print" names the cluster-internal host "kubernetes.default.svc" (a queue reaches a printer, never a cluster service: name it under wrogi.lodz.pl)`,
      `units/wrogi.yaml:16:45: services.print.queues[3].deviceUri: "ipps://drukarka.css.lodz.pl/ipp/print" names host "drukarka.css.lodz.pl", outside the unit's zone wrogi.lodz.pl (name the unit's own printer under wrogi.lodz.pl, or give its address in 10.60.0.0/16)`,
      `units/wrogi.yaml:17:45: services.print.queues[4].deviceUri: "socket://10.20.1.15:9100" points at 10.20.1.15, outside the stack's printer networks 10.60.0.0/16 (use a printer's address in the printer networks, or its host name under wrogi.lodz.pl)`,
    ]);
  });

  it("WHEN the stack lists no printer network at all THEN its printing units are refused at the setting (the fence would let no job reach a printer)", async () => {
    const root = project({
      units: {
        wrogi: unitYaml(
          "wrogi",
          `  print:\n    queues: [{ name: q, location: x, deviceUri: "ipps://drukarka.wrogi.lodz.pl/ipp/print" }]`,
        ),
      },
      settings: (s) => {
        s.platform.print.printerNetworks = [];
      },
    });
    await expectRefused(root, program, [
      `${settingAt(["platform", "print", "printerNetworks"], root)}: config["muni:settings"].platform.print.printerNetworks: units css, mpu, wrogi, zzm print, but the stack lists no printer networks: the print server may reach only those, so no job would ever reach a printer (list the CIDRs of the printers' networks (VLANs) under platform.print.printerNetworks, e.g. - 10.60.0.0/16)`,
    ]);
  });

  it("WHEN the stack lists the printers' network THEN a queue at an address in it is accepted by all three", async () => {
    const root = project({
      units: {
        wrogi: unitYaml(
          "wrogi",
          `  print:\n    queues: [{ name: q, location: x, deviceUri: "socket://10.20.1.15:9100", driverless: false, model: HP }]`,
        ),
      },
      settings: (s) => {
        s.platform.print.printerNetworks = ["10.20.0.0/16"];
      },
    });
    await expectAccepted(root, program);
  });

  it("WHEN queue texts carry a line break, a terminal escape or a direction override (to write CUPS directives or fool a reader) THEN each is refused; a # is ordinary text", async () => {
    const root = project({
      units: {
        wrogi: unitYaml(
          "wrogi",
          `  print:\n    queues:\n      - { name: q, location: "pok. 1\\n</Printer>\\n<Printer x>", description: "\\e[2J", model: "HP \\u202e", driverless: false, deviceUri: "ipps://d.wrogi.lodz.pl/ipp/print" }\n      - { name: r, location: "pok. #2", deviceUri: "ipps://d.wrogi.lodz.pl/ipp/print" }`,
        ),
      },
    });
    const fix = "(write it on one line, without tabs, control or direction-override characters)";
    await expectRefused(
      root,
      program,
      [
        `units/wrogi.yaml:13:78: services.print.queues[0].description: text "\\u{1b}[2J" holds the control character U+001B, which configuration files, reports and terminals would interpret ${fix}`,
        `units/wrogi.yaml:13:94: services.print.queues[0].model: text "HP \\u{202e}" holds the control character U+202E, which configuration files, reports and terminals would interpret ${fix}`,
        `units/wrogi.yaml:13:30: services.print.queues[0].location: text "pok. 1\\u{a}</Printer>\\u{a}<Printer x>" holds the control character U+000A, which configuration files, reports and terminals would interpret ${fix}`,
      ].sort((a, b) => Number(a.split(":")[2]) - Number(b.split(":")[2])),
    );
  });
});

describe("GIVEN the stack's printer and API server networks", () => {
  it("WHEN they are not canonical, hold the metadata range, or printers overlap the API server THEN the stack file is refused at each", async () => {
    const root = project({
      settings: (s) => {
        s.platform.print.printerNetworks = [
          "10.20.1.0/16",
          "169.254.0.0/16",
          "203.0.113.0/24",
          "10.21.0.0/16",
        ];
        s.tenancy.apiServerNetworks = ["203.0.113.10/32"];
      },
    });
    await expectRefused(root, program, [
      expect.stringMatching(
        /printerNetworks\[0\]: "10\.20\.1\.0\/16" has host bits set or is not in canonical form \(write 10\.20\.0\.0\/16\)$/,
      ),
      expect.stringMatching(
        /printerNetworks\[1\]: printer network 169\.254\.0\.0\/16 overlaps 169\.254\.0\.0\/16, where no printer is/,
      ),
      expect.stringMatching(
        /printerNetworks\[2\]: printer network 203\.0\.113\.0\/24 overlaps the API server's 203\.0\.113\.10\/32/,
      ),
    ] as never);
  });
});
