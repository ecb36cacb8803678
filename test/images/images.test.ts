import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadProject } from "../../infra/3-rules";
import { unpinnedImage } from "../../infra/3-rules/images";
import { print, renderPlatform } from "../../infra/4-builders";
import { TENANT_SYNC_SCRIPT } from "../../infra/4-builders/tenant-sync";
import { copies, execForm, installed, missingFromCi, packageOf, read, ROOT } from "./dockerfile";

// Issue 14.1: the images install exactly the Debian packages the pods (and their tests) use, and their
// entrypoints are the commands the StatefulSets run. The mail image: mail-image.test.ts.

const project = loadProject(ROOT, "lodz-prod");
const settings = project.stack!.settings;
const sts = renderPlatform(settings).find((d) => d.key === "print-statefulset")!.object as unknown as {
  spec: {
    template: {
      spec: { initContainers: { command: string[] }[]; containers: { name: string; command: string[] }[] };
    };
  };
};

describe("images/print/Dockerfile", () => {
  const dockerfile = read("images/print/Dockerfile");

  it("GIVEN the files the print pod runs WHEN traced to Debian packages THEN the Dockerfile installs exactly those, and CI installs them for the pod test", () => {
    // cupsd and lpstat (healthcheck, cups-daemon/-client), lpadmin (the queue hook), the PAM module and NSS
    // module cupsd loads, python3 (tenant sync and hook; /usr/bin/python3 ships in python3-minimal, which
    // python3 pulls in).
    const files = [
      "/usr/sbin/cupsd",
      "/usr/sbin/lpadmin",
      "/usr/bin/lpstat",
      "/lib/x86_64-linux-gnu/security/pam_pwdfile.so",
      "/usr/lib/libnss_extrausers.so.2",
    ];
    const needed = [...new Set([...files.map(packageOf), "python3"])].sort();
    expect(installed(dockerfile)).toStrictEqual(needed);
    expect(missingFromCi(needed)).toStrictEqual([]);
  });

  it("GIVEN the rendered StatefulSet WHEN compared THEN the image's CMD is the cupsd container's command, the scripts sit where the pod runs them, and the base is pinned by digest", () => {
    const cmd = execForm(dockerfile, "CMD");
    const cupsd = sts.spec.template.spec.containers.find((c) => c.name === "cupsd")!;
    expect(cmd).toStrictEqual(cupsd.command);
    expect(copies(dockerfile)).toStrictEqual([
      ["images/common/tenant_sync.py", TENANT_SYNC_SCRIPT],
      ["images/print/print_queues.py", print.PRINT_QUEUES_SCRIPT],
    ]);
    const scripts = [...sts.spec.template.spec.initContainers, ...sts.spec.template.spec.containers]
      .map((c) => c.command)
      .filter((c) => c[0] === "python3")
      .map((c) => c[1]);
    expect([...new Set(scripts)].sort()).toStrictEqual(
      [print.PRINT_QUEUES_SCRIPT, TENANT_SYNC_SCRIPT].sort(),
    );
    expect(/^FROM debian:bookworm-slim@sha256:[0-9a-f]{64}$/m.test(dockerfile)).toBe(true);
    expect(/^HEALTHCHECK /m.test(dockerfile)).toBe(true);
  });
});

describe("image references in the stack settings", () => {
  it.each([
    ["registry.lodz.pl/muni/print:0.1.0", undefined],
    [`registry.lodz.pl/muni/print:0.1.0@sha256:${"a".repeat(64)}`, undefined],
    [`registry.lodz.pl/muni/print@sha256:${"b".repeat(64)}`, undefined],
    ["registry.lodz.pl/muni/print:latest", ":latest moves with every push"],
    ["registry.lodz.pl:5000/muni/print", "it has no tag (Docker reads it as :latest, which moves)"],
    ["registry.lodz.pl/muni/print:debian-12", "tag :debian-12 is not a version (x.y.z) and may move"],
    ["registry.lodz.pl/muni/print@sha256:abc", "its digest is not sha256:<64 hex digits>"],
  ])("GIVEN %s THEN %s", (ref, why) => {
    expect(unpinnedImage(ref)).toBe(why);
  });

  it("GIVEN the Łódź stacks THEN both servers' images are pinned; a stack with :latest is refused at the setting", () => {
    expect(project.diagnostics).toStrictEqual([]);
    expect([settings.platform.mail.image, settings.platform.print.image]).toStrictEqual([
      "registry.lodz.pl/muni/mail:0.1.0",
      "registry.lodz.pl/muni/print:0.1.0",
    ]);
    // WHEN a copy of lodz-prod asks for :latest THEN validation refuses it at the line of the setting
    const tmp = mkdtempSync(join(tmpdir(), "muni-images-"));
    try {
      cpSync(join(ROOT, "stacks"), join(tmp, "stacks"), { recursive: true });
      symlinkSync(join(ROOT, "units"), join(tmp, "units"));
      const file = join(tmp, "stacks", "Pulumi.lodz-prod.yaml");
      const text = readFileSync(file, "utf8");
      writeFileSync(file, text.replace(/muni\/print:0\.1\.0[^\n]*/, "muni/print:latest"));
      const line = text.split("\n").findIndex((l) => l.includes("muni/print:0.1.0")) + 1;
      const bad = loadProject(tmp, "lodz-prod");
      expect(bad.diagnostics).toStrictEqual([
        {
          file,
          line,
          col: 16,
          field: 'config["muni:settings"].platform.print.image',
          message: "image registry.lodz.pl/muni/print:latest is not pinned: :latest moves with every push",
          hint: "write a version tag (e.g. registry.lodz.pl/muni/print:0.1.0) or the digest .github/workflows/images.yml pins (…@sha256:<digest>)",
        },
      ]);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });
});
