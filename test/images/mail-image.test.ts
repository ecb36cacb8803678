import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { loadProject } from "../../infra/3-rules";
import { renderPlatform } from "../../infra/4-builders";
import { VMAIL_ID } from "../../infra/4-builders/mail/files";
import { PASSWORDS_UID } from "../../infra/4-builders/mail/server";
import {
  copies,
  essential,
  execForm,
  installed,
  missingFromCi,
  packageOf,
  read,
  ROOT,
  scriptPrograms,
  simpleCommands,
  which,
} from "./dockerfile";

// Issue 14.1, the mail image: what the rendered mail pod runs, traced to the Debian packages that ship it,
// is exactly what images/mail/Dockerfile installs; the image carries every file the pod's commands name.

type Container = {
  name: string;
  command: string[];
  securityContext?: { runAsUser?: number; runAsGroup?: number };
  volumeMounts?: { mountPath: string }[];
};
const settings = loadProject(ROOT, "lodz-prod").stack!.settings;
const platform = renderPlatform(settings);
const pod = (
  platform.find((d) => d.key === "mail-statefulset")!.object as unknown as {
    spec: { template: { spec: { initContainers: Container[]; containers: Container[] } } };
  }
).spec.template.spec;
const containers = [...pod.initContainers, ...pod.containers];
const config = (
  platform.find((d) => d.key === "mail-config")!.object as unknown as { data: Record<string, string> }
).data;
const dockerfile = read("images/mail/Dockerfile");

/**
 * The programs an argv runs: itself, or for `sh -c` every simple command of the script, and for the
 * reload wrapper (with-reload.sh '<reload>' '<stop>' <daemon...>) its reload, stop and daemon commands.
 */
function programs(argv: readonly string[]): string[] {
  const [cmd, ...args] = argv[0] === "exec" ? argv.slice(1) : argv;
  if (cmd === "sh" && args[0] === "-c") return ["sh", ...simpleCommands(args[1]!).flatMap(programs)];
  if (cmd === "sh" && args[0]?.endsWith("/with-reload.sh"))
    return [
      "sh",
      ...[args[1]!, args[2]!].flatMap((s) => simpleCommands(s).flatMap(programs)),
      ...programs(args.slice(3)),
    ];
  return [cmd!];
}

/** Absolute paths a container's argv (or its `sh -c` scripts) names that none of its volumes provides. */
function imagePaths(c: Container): string[] {
  const words = [c.command, ...simpleCommands(c.command.at(-1)!)].flat();
  const mounted = (p: string) =>
    (c.volumeMounts ?? []).some((m) => p === m.mountPath || p.startsWith(`${m.mountPath}/`));
  return words.filter((w) => /^\/[^\s]*$/.test(w) && !mounted(w));
}

/** The daemons Postfix's master starts: the command column of every service in the rendered master.cf. */
function postfixDaemons(masterCf: string): string[] {
  return masterCf
    .split("\n")
    .filter((l) => /^[^\s#]/.test(l))
    .map((l) => `/usr/lib/postfix/sbin/${l.split(/\s+/)[7]}`);
}

/**
 * What Dovecot's master runs for the rendered dovecot.conf: a binary per protocol and per service
 * (its `executable`), and the plugins of every `mail_plugins`.
 */
function dovecotFiles(conf: string): string[] {
  const protocols = /^protocols = (.*)$/m.exec(conf)![1]!.split(/\s+/);
  const services = [...conf.matchAll(/^service (\S+) \{([^}]|\{[^}]*\})*\}/gm)].map(
    (m) => /^\s*executable = (\S+)/m.exec(m[0])?.[1] ?? m[1]!,
  );
  const plugins = [...conf.matchAll(/mail_plugins = (.*)$/gm)].flatMap((m) =>
    m[1]!.split(/\s+/).filter((p) => !p.startsWith("$")),
  );
  const modules = "/usr/lib/dovecot/modules";
  const pluginFiles = plugins.map((p) => {
    const f = readdirSync(modules).find((n) => new RegExp(`^lib\\d+_${p}_plugin\\.so$`).test(n));
    if (!f) throw new Error(`dovecot.conf loads plugin ${p}, which no file in ${modules} is`);
    return join(modules, f);
  });
  return [...[...protocols, ...services].map((s) => `/usr/lib/dovecot/${s}`), ...pluginFiles];
}

describe("images/mail/Dockerfile", () => {
  const scripts = copies(dockerfile).map(([source]) => read(source));

  it("GIVEN the files the rendered mail pod runs (its commands, the scripts' programs, Postfix's and Dovecot's daemons for the rendered configuration, the health check) WHEN traced to Debian packages THEN the Dockerfile installs exactly those that are not Essential, and CI installs them for the pod test", () => {
    const commands = [...containers.map((c) => c.command), execForm(dockerfile, "HEALTHCHECK")];
    const names = [...commands.flatMap(programs), ...scripts.flatMap(scriptPrograms)];
    const files = [
      ...new Set(names.map(which).filter((p): p is string => p !== undefined)),
      ...postfixDaemons(config["master.cf"]!),
      ...dovecotFiles(config["dovecot.conf"]!),
    ];
    expect(files.filter((f) => !existsSync(f))).toStrictEqual([]);
    // python3-minimal is the bare interpreter; the scripts import the standard library (json, ssl,
    // urllib), which the python3 package brings.
    const needed = [...new Set(files.map(packageOf).map((p) => (p === "python3-minimal" ? "python3" : p)))]
      .filter((p) => !essential(p))
      .sort();
    expect(needed).toEqual(expect.arrayContaining(["dovecot-core", "opendkim", "postfix", "python3"]));
    expect(installed(dockerfile)).toStrictEqual(needed);
    expect(missingFromCi(needed)).toStrictEqual([]);
  });

  it("GIVEN the rendered StatefulSet THEN the image has every file its commands name that no volume provides, the CMD is a container's command, the users it runs as exist, and the base is pinned", () => {
    const referenced = [...new Set(containers.flatMap(imagePaths))].sort();
    expect(referenced.length).toBeGreaterThan(0);
    expect(
      copies(dockerfile)
        .map(([, target]) => target)
        .sort(),
    ).toStrictEqual(referenced);
    expect(copies(dockerfile).filter(([source]) => !existsSync(join(ROOT, source)))).toStrictEqual([]);
    expect(pod.containers.map((c) => c.name)).toContain(
      pod.containers.find((c) => JSON.stringify(c.command) === JSON.stringify(execForm(dockerfile, "CMD")))
        ?.name,
    );
    // OpenDKIM refuses a key whose owner has no passwd entry: every non-root user has one in the image, in
    // the group the pod runs it with (the password service: its own uid, group vmail)
    const users = [
      ...new Map(
        containers.flatMap((c) =>
          c.securityContext?.runAsUser
            ? [
                [
                  c.securityContext.runAsUser,
                  c.securityContext.runAsGroup ?? c.securityContext.runAsUser,
                ] as const,
              ]
            : [],
        ),
      ),
    ].sort(([a], [b]) => a - b);
    expect(users).toStrictEqual([
      [VMAIL_ID, VMAIL_ID],
      [PASSWORDS_UID, VMAIL_ID],
    ]);
    expect(dockerfile).toContain(`groupadd --gid ${VMAIL_ID} vmail`);
    for (const [uid, gid] of users) expect(dockerfile).toContain(`useradd --uid ${uid} --gid ${gid} `);
    // the tests run OpenDKIM on this machine as vmail too
    expect(read(".ci/install-system-packages")).toContain(`useradd --uid ${VMAIL_ID} --gid ${VMAIL_ID} `);
    expect(/^FROM debian:bookworm-slim@sha256:[0-9a-f]{64}$/m.test(dockerfile)).toBe(true);
  });
});
