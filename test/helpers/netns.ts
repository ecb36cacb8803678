import { spawnSync } from "node:child_process";

/**
 * A network namespace the test makes for a pod (issue 14, machine rules): `ip netns add`, a veth pair,
 * and only the addresses the test assigns — 10.213.<n>.1/30 on the host side, 10.213.<n>.2/30 inside.
 * Clients in the host namespace reach the pod at `podAddress` (a different address from theirs, so the
 * servers see a remote client); the pod reaches the host at `hostAddress` (e.g. the fake Kubernetes API).
 * `remove()` deletes the namespace and the veth pair; call it in afterAll (it never throws).
 * Numbers in use (one per test file, so files run in parallel): 11 test/daemons/tenant-sync.test.ts,
 * 12 test/daemons/cups.test.ts; the mail tests take 21–29.
 */
export interface Netns {
  name: string;
  hostAddress: string;
  podAddress: string;
  /** argv prefix that runs a command inside the namespace. */
  exec: string[];
  remove: () => void;
}

function ip(args: string[], allowFail = false): void {
  const r = spawnSync("ip", args, { encoding: "utf8" });
  if (r.status !== 0 && !allowFail)
    throw new Error(
      `ip ${args.join(" ")} exited ${r.status}: ${r.stderr}(the pod tests need root and iproute2: run .ci/install-system-packages, as root)`,
    );
}

/** Makes namespace number `n` (1..250; distinct per test file so files may run in parallel). */
export function createNetns(n: number): Netns {
  if (!Number.isInteger(n) || n < 1 || n > 250) throw new Error(`netns number ${n} not in 1..250`);
  if (process.getuid?.() !== 0)
    throw new Error("the pod tests make network namespaces: run them as root (CI does)");
  const name = `muni-pod-${n}`;
  const hostIf = `mh${n}`;
  const podIf = `mp${n}`;
  // A namespace left by a killed earlier run is removed first.
  ip(["netns", "del", name], true);
  ip(["link", "del", hostIf], true);
  const remove = () => {
    ip(["netns", "del", name], true);
    ip(["link", "del", hostIf], true);
  };
  try {
    ip(["netns", "add", name]);
    ip(["link", "add", hostIf, "type", "veth", "peer", "name", podIf]);
    ip(["link", "set", podIf, "netns", name]);
    ip(["addr", "add", `10.213.${n}.1/30`, "dev", hostIf]);
    ip(["link", "set", hostIf, "up"]);
    ip(["-n", name, "addr", "add", `10.213.${n}.2/30`, "dev", podIf]);
    ip(["-n", name, "link", "set", podIf, "up"]);
    ip(["-n", name, "link", "set", "lo", "up"]);
  } catch (e) {
    remove();
    throw e;
  }
  return {
    name,
    hostAddress: `10.213.${n}.1`,
    podAddress: `10.213.${n}.2`,
    exec: ["ip", "netns", "exec", name],
    remove,
  };
}
