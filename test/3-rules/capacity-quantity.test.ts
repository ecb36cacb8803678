import {
  bytes,
  ceilMi,
  cpuMillis,
  describeBytes,
  formatBytes,
  formatCpu,
  timesFactor,
} from "../../infra/1-model/quantity";

describe("quantity arithmetic used by the quota and capacity checks", () => {
  it("GIVEN CPU quantities in every accepted form WHEN parsed THEN they are exact millicores", () => {
    // GIVEN / WHEN
    const got = ["500m", "1.5", "2", "0.001", "1.25", "12", "1500m", "0"].map((q) => [q, cpuMillis(q)]);
    // THEN
    expect(got).toStrictEqual([
      ["500m", 500],
      ["1.5", 1500],
      ["2", 2000],
      ["0.001", 1],
      ["1.25", 1250],
      ["12", 12000],
      ["1500m", 1500],
      ["0", 0],
    ]);
  });

  it("GIVEN whole cores as a number (a VM's vCPUs) WHEN parsed THEN they are millicores, and fractions are refused", () => {
    expect([cpuMillis(4), cpuMillis(0)]).toStrictEqual([4000, 0]);
    expect(() => cpuMillis(1.5)).toThrow("not a whole number of cores: 1.5");
    expect(() => cpuMillis("1.2345")).toThrow('not a CPU quantity: "1.2345"');
    expect(() => cpuMillis("2 cores")).toThrow('not a CPU quantity: "2 cores"');
  });

  it("GIVEN byte quantities with binary, decimal and fractional forms WHEN parsed THEN they are exact bytes", () => {
    const got = [
      "2Gi",
      "1500Mi",
      "1.5Gi",
      "1.5G",
      "0.5Ki",
      "64Mi",
      "1Ti",
      "1k",
      "100",
      "0.07G",
      "1.1G",
      "0.1Ki",
    ].map((q) => [q, bytes(q)]);
    expect(got).toStrictEqual([
      ["2Gi", 2147483648],
      ["1500Mi", 1572864000],
      ["1.5Gi", 1610612736],
      ["1.5G", 1500000000],
      ["0.5Ki", 512],
      ["64Mi", 67108864],
      ["1Ti", 1099511627776],
      ["1k", 1000],
      ["100", 100],
      // Floating point would give 70000000.00000001 and round up to 70000001: the arithmetic is exact.
      ["0.07G", 70000000],
      ["1.1G", 1100000000],
      // 102.4 bytes round up to a whole byte.
      ["0.1Ki", 103],
    ]);
  });

  it("GIVEN 1500Mi and 2Gi WHEN compared THEN 1500Mi is smaller, and 1.5Gi equals 1536Mi", () => {
    expect(bytes("1500Mi") < bytes("2Gi")).toBe(true);
    expect(bytes("1.5Gi")).toBe(bytes("1536Mi"));
    expect(bytes("2Gi") - bytes("1500Mi")).toBe(bytes("548Mi"));
  });

  it("GIVEN malformed or huge byte quantities WHEN parsed THEN they are refused", () => {
    expect(() => bytes("2GB")).toThrow('not a byte quantity: "2GB"');
    expect(() => bytes("-1Gi")).toThrow('not a byte quantity: "-1Gi"');
    expect(() => bytes("9000Pi")).toThrow('byte quantity too large: "9000Pi"');
  });

  it("GIVEN sums WHEN formatted THEN CPU is canonical and bytes use the largest exact binary suffix", () => {
    expect([formatCpu(cpuMillis("500m") + cpuMillis("1.5")), formatCpu(2500), formatCpu(0)]).toStrictEqual([
      "2",
      "2500m",
      "0",
    ]);
    expect([
      formatBytes(bytes("1500Mi") + bytes("548Mi")),
      formatBytes(bytes("1.5Gi")),
      formatBytes(1000),
    ]).toStrictEqual(["2Gi", "1536Mi", "1000"]);
  });

  it("GIVEN amounts that are not whole MiB WHEN described or rounded THEN messages stay readable and estimates round up", () => {
    expect(describeBytes(bytes("1.5G"))).toBe("1500000000 (≈1.4Gi)");
    expect(describeBytes(bytes("2Gi"))).toBe("2Gi");
    expect(describeBytes(100)).toBe("100");
    expect(ceilMi(1)).toBe(bytes("1Mi"));
    expect(ceilMi(bytes("256Mi"))).toBe(bytes("256Mi"));
    expect(ceilMi(bytes("256Mi") + 1)).toBe(bytes("257Mi"));
  });

  it("GIVEN an over-commit factor WHEN applied THEN the product is exact and rounded down", () => {
    expect(timesFactor(cpuMillis("256"), 1.5)).toBe(384000);
    expect(timesFactor(bytes("1Ti"), 1.5)).toBe(bytes("1536Gi"));
    expect(timesFactor(7, 1.5)).toBe(10);
    expect(timesFactor(1000, 1.001)).toBe(1001);
    expect(timesFactor(5, 1)).toBe(5);
    expect(() => timesFactor(5, 1.0005)).toThrow("factor 1.0005 must be ≥ 0 with at most 3 decimals");
  });
});
