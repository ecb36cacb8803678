import { spawnSync } from "node:child_process";
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildWeb } from "../../../infra/4-builders/web";
import { contextOf, lodzProd } from "./context";

/**
 * The real `nginx -t` from Debian (package nginx, installed by .ci/install-system-packages) on exactly
 * the text muni puts in each site's ConfigMap. As in the pod, the prefix (-p) is the only writable
 * directory: a temp dir here, the emptyDir /tmp/ there. Nothing is started.
 */
function nginxTest(conf: string): { status: number | null; output: string; prefix: string } {
  const prefix = mkdtempSync(join(tmpdir(), "muni-nginx-"));
  writeFileSync(join(prefix, "nginx.conf"), conf);
  // stdout and stderr are a file, as a container runtime gives them (a FIFO or file): node's own pipes
  // are sockets, which /dev/stdout (the access log) cannot be opened on.
  const out = openSync(join(prefix, "output"), "w");
  const r = spawnSync(
    "nginx",
    ["-e", join(prefix, "error.log"), "-t", "-p", `${prefix}/`, "-c", join(prefix, "nginx.conf")],
    { stdio: ["ignore", out, out] },
  );
  closeSync(out);
  if (r.error) throw new Error(`cannot run nginx (install the Debian package nginx): ${r.error.message}`);
  return {
    status: r.status,
    output: readFileSync(join(prefix, "output"), "utf8").split(prefix).join("<prefix>"),
    prefix,
  };
}

const configs = () =>
  lodzProd().units.flatMap((u) =>
    buildWeb(contextOf(u.id))
      .filter((d) => d.object.kind === "ConfigMap")
      .map((d) => ({
        name: `${u.id}/${d.object.metadata.name}`,
        conf: (d.object as unknown as { data: Record<string, string> }).data["nginx.conf"]!,
      })),
  );

describe("the rendered nginx.conf under the real nginx -t", () => {
  const prefixes: string[] = [];
  afterAll(() => prefixes.forEach((p) => rmSync(p, { recursive: true, force: true })));

  it("GIVEN every site's ConfigMap of lodz-prod WHEN nginx -t reads exactly its nginx.conf THEN the test is successful", () => {
    const all = configs();
    expect(all).toHaveLength(6);
    for (const { name, conf } of all) {
      // WHEN
      const r = nginxTest(conf);
      prefixes.push(r.prefix);
      // THEN
      expect({ name, status: r.status, output: r.output }).toStrictEqual({
        name,
        status: 0,
        output:
          "nginx: the configuration file <prefix>/nginx.conf syntax is ok\nnginx: configuration file <prefix>/nginx.conf test is successful\n",
      });
      // Every temp path is relative to the prefix (the pod's only writable directory).
      for (const dir of ["client_body", "proxy", "fastcgi", "uwsgi", "scgi"])
        expect(existsSync(join(r.prefix, dir))).toBe(true);
    }
  });

  it("GIVEN the same text with one directive broken WHEN nginx -t reads it THEN it fails, naming the line (the check can fail)", () => {
    const conf = configs()[0]!.conf;
    const broken = conf.replace("server_tokens off;", "server_tokens sometimes;");
    const r = nginxTest(broken);
    prefixes.push(r.prefix);
    expect(r.status).toBe(1);
    expect(r.output).toMatch(
      /^nginx: \[emerg\] invalid value "sometimes" in <prefix>\/nginx\.conf:\d+\nnginx: configuration file <prefix>\/nginx\.conf test failed\n$/,
    );
  });
});
