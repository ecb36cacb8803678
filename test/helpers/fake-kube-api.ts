import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:https";
import type { Socket } from "node:net";
import { join } from "node:path";

/**
 * A STAND-IN for the Kubernetes API server, for tests only: it serves just
 * `GET /api/v1/namespaces/<ns>/{secrets,configmaps}?labelSelector=<key>[=<value>]&limit=&continue=`
 * over HTTPS (a self-signed CA made with openssl, the server certificate for `address`), checks the
 * bearer token, and answers from an in-memory list the test changes at run time. Secrets are served as
 * the real API serves them: `stringData` merged into base64 `data`. It listens on `address` (the host
 * side of a test netns veth), so a pod's tenant sync reaches it via KUBERNETES_SERVICE_HOST/PORT.
 */
export interface KubeObject {
  apiVersion?: string;
  kind: "Secret" | "ConfigMap";
  metadata: { name: string; namespace: string; labels?: Record<string, string> };
  data?: Record<string, string>;
  stringData?: Record<string, string>;
}

export interface FakeKubeApi {
  host: string;
  port: number;
  token: string;
  /** PEM of the CA that signed the server certificate (the pod's ca.crt). */
  caPem: string;
  /** The objects served; replace or mutate at run time. */
  objects: KubeObject[];
  /** Every request's path+query, in order. */
  requests: string[];
  /** While true, every request gets 503 (an API server that fails). */
  failing: boolean;
  /** Stops accepting connections (an unreachable API server); `resume()` listens again on the same port. */
  pause: () => Promise<void>;
  resume: () => Promise<void>;
  close: () => Promise<void>;
}

const PLURAL = { secrets: "Secret", configmaps: "ConfigMap" } as const;

function openssl(args: string[]): void {
  execFileSync("openssl", args, { stdio: "pipe" });
}

/** A CA and a server certificate for `address` (IP SAN), in `dir`. */
export function makeCertificates(dir: string, address: string): { ca: string; cert: string; key: string } {
  const p = (f: string) => join(dir, f);
  openssl(
    ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=fake-kube-ca"].concat([
      "-keyout",
      p("ca.key"),
      "-out",
      p("ca.crt"),
    ]),
  );
  openssl([
    "req",
    "-newkey",
    "rsa:2048",
    "-nodes",
    "-subj",
    "/CN=kubernetes",
    "-keyout",
    p("api.key"),
    "-out",
    p("api.csr"),
  ]);
  writeFileSync(p("api.ext"), `subjectAltName=IP:${address},DNS:kubernetes.default.svc\n`);
  openssl(
    [
      "x509",
      "-req",
      "-in",
      p("api.csr"),
      "-CA",
      p("ca.crt"),
      "-CAkey",
      p("ca.key"),
      "-CAcreateserial",
    ].concat(["-days", "2", "-extfile", p("api.ext"), "-out", p("api.crt")]),
  );
  return {
    ca: readFileSync(p("ca.crt"), "utf8"),
    cert: readFileSync(p("api.crt"), "utf8"),
    key: readFileSync(p("api.key"), "utf8"),
  };
}

function served(o: KubeObject): Record<string, unknown> {
  const data: Record<string, string> = { ...(o.data ?? {}) };
  if (o.kind === "Secret")
    for (const [k, v] of Object.entries(o.stringData ?? {}))
      data[k] = Buffer.from(v, "utf8").toString("base64");
  else Object.assign(data, o.stringData ?? {});
  return { apiVersion: "v1", kind: o.kind, metadata: o.metadata, data };
}

function matches(o: KubeObject, selector: string): boolean {
  if (!selector) return true;
  return selector.split(",").every((term) => {
    const [k, v] = term.split("=") as [string, string | undefined];
    const have = o.metadata.labels?.[k];
    return v === undefined ? have !== undefined : have === v;
  });
}

/** Starts the stand-in on `address`:`port` (0: any free port), certificates made in `dir`. */
export async function startFakeKubeApi(dir: string, address: string, port = 0): Promise<FakeKubeApi> {
  const certs = makeCertificates(dir, address);
  const token = randomBytes(24).toString("hex");
  const sockets = new Set<Socket>();
  const api: FakeKubeApi = {
    host: address,
    port,
    token,
    caPem: certs.ca,
    objects: [],
    requests: [],
    failing: false,
    pause: async () => {
      await new Promise<void>((r) => server.close(() => r()));
    },
    resume: () => listen(api.port),
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
  const server: Server = createServer({ cert: certs.cert, key: certs.key }, (req, res) => {
    const url = new URL(req.url ?? "/", "https://fake");
    api.requests.push(`${url.pathname}${url.search}`);
    const reply = (status: number, body: unknown) => {
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify(body));
    };
    if (api.failing) return reply(503, { kind: "Status", code: 503, message: "fake API failing" });
    if (req.headers.authorization !== `Bearer ${token}`)
      return reply(401, { kind: "Status", code: 401, message: "Unauthorized" });
    const m = /^\/api\/v1\/namespaces\/([^/]+)\/(secrets|configmaps)$/.exec(url.pathname);
    if (req.method !== "GET" || !m) return reply(404, { kind: "Status", code: 404, message: "not served" });
    const [, ns, plural] = m as unknown as [string, string, keyof typeof PLURAL];
    const all = api.objects
      .filter((o) => o.kind === PLURAL[plural] && o.metadata.namespace === ns)
      .filter((o) => matches(o, url.searchParams.get("labelSelector") ?? ""))
      .sort((a, b) => a.metadata.name.localeCompare(b.metadata.name));
    const limit = Number(url.searchParams.get("limit") ?? "0") || all.length;
    const from = Number(url.searchParams.get("continue") || "0");
    const page = all.slice(from, from + limit);
    const next = from + limit < all.length ? String(from + limit) : "";
    reply(200, {
      kind: `${PLURAL[plural]}List`,
      apiVersion: "v1",
      metadata: { resourceVersion: "1", ...(next ? { continue: next } : {}) },
      items: page.map(served),
    });
  });
  server.on("connection", (s: Socket) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  const listen = (p: number) =>
    new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(p, address, () => {
        server.off("error", reject);
        const a = server.address();
        if (a && typeof a === "object") api.port = a.port;
        resolve();
      });
    });
  await listen(port);
  return api;
}
