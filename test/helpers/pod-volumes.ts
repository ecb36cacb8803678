/**
 * The pod runner's volumes (test/helpers/pod-runner.ts), laid out as the kubelet does: ConfigMap,
 * Secret, projected (configMap, secret, serviceAccountToken, downwardAPI) with `items`, modes and the
 * `..data` symlink layout; emptyDir 0777; a PVC is `<root>/claims/<claim>`, kept across runs.
 */
import { chmodSync, chownSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import type { FakeKubeApi, KubeObject } from "./fake-kube-api";

/* eslint-disable @typescript-eslint/no-explicit-any */
type Spec = any;

/** Where the volumes' contents come from (a subset of RunPodOptions). */
export interface VolumeSources {
  /** Temp dir: `<root>/volumes/<name>`, `<root>/claims/<claim>`. */
  root: string;
  /** ConfigMaps and Secrets of the pod's namespace the pod references. */
  objects: readonly KubeObject[];
  /** The API the projected service-account token is for (and its CA, kube-root-ca.crt). */
  kubeApi?: Pick<FakeKubeApi, "token" | "caPem">;
}

export function decode(o: KubeObject, key: string): Buffer | undefined {
  if (o.stringData?.[key] !== undefined) return Buffer.from(o.stringData[key]!, "utf8");
  const d = o.data?.[key];
  if (d === undefined) return undefined;
  return o.kind === "Secret" ? Buffer.from(d, "base64") : Buffer.from(d, "utf8");
}

function keysOf(o: KubeObject): string[] {
  return [...new Set([...Object.keys(o.data ?? {}), ...Object.keys(o.stringData ?? {})])].sort();
}

/** Writes files the way the kubelet's atomic writer does: `..<ts>/` + `..data` + top-level symlinks. */
function project(dir: string, files: { path: string; content: Buffer; mode: number }[], gid?: number): void {
  mkdirSync(dir, { recursive: true });
  const ts = `..${new Date().toISOString().replace(/[-:T]/g, "_").replace("Z", "")}`;
  const data = join(dir, ts);
  mkdirSync(data, { recursive: true });
  for (const f of files) {
    const p = join(data, f.path);
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, f.content);
    chmodSync(p, gid === undefined ? f.mode : f.mode | 0o440);
    if (gid !== undefined) chownSync(p, 0, gid);
  }
  symlinkSync(ts, join(dir, "..data"));
  for (const top of new Set(files.map((f) => f.path.split("/")[0]!)))
    symlinkSync(join("..data", top), join(dir, top));
  if (gid !== undefined) chownSync(dir, 0, gid);
}

export function findObject(
  objects: readonly KubeObject[],
  kind: KubeObject["kind"],
  name: string,
): KubeObject | undefined {
  return objects.find((o) => o.kind === kind && o.metadata.name === name);
}

/** A supplied ConfigMap; `kube-root-ca.crt`, which Kubernetes publishes in every namespace, is the fake API's CA. */
function configMapOf(opts: VolumeSources, name: string): KubeObject | undefined {
  if (name === "kube-root-ca.crt" && opts.kubeApi)
    return { kind: "ConfigMap", metadata: { name, namespace: "" }, data: { "ca.crt": opts.kubeApi.caPem } };
  return findObject(opts.objects, "ConfigMap", name);
}

function sourceFiles(
  o: KubeObject | undefined,
  ref: { name: string; items?: { key: string; path: string; mode?: number }[]; optional?: boolean },
  kind: string,
  mode: number,
): { path: string; content: Buffer; mode: number }[] {
  if (!o) {
    if (ref.optional) return [];
    throw new Error(`pod references ${kind} ${ref.name}, which the test did not supply`);
  }
  const items: { key: string; path: string; mode?: number }[] =
    ref.items ?? keysOf(o).map((key) => ({ key, path: key }));
  return items.map((i) => {
    const content = decode(o, i.key);
    if (!content) throw new Error(`${kind} ${ref.name} has no key ${i.key}`);
    return { path: i.path, content, mode: i.mode ?? mode };
  });
}

export function layOutVolumes(
  spec: Spec,
  opts: VolumeSources,
  namespace: string,
  podName: string,
): Map<string, string> {
  const out = new Map<string, string>();
  const gid: number | undefined = spec.securityContext?.fsGroup;
  // A pod run again on the same root is a new pod of the StatefulSet: fresh emptyDirs and projections,
  // the same claims.
  rmSync(join(opts.root, "volumes"), { recursive: true, force: true });
  for (const v of spec.volumes ?? []) {
    const dir = join(opts.root, "volumes", v.name);
    if (v.emptyDir) {
      mkdirSync(dir, { recursive: true });
      chmodSync(dir, 0o777);
    } else if (v.persistentVolumeClaim) {
      const claim = join(opts.root, "claims", v.persistentVolumeClaim.claimName);
      mkdirSync(claim, { recursive: true });
      if (gid !== undefined) {
        chownSync(claim, 0, gid);
        chmodSync(claim, 0o2775);
      }
      out.set(v.name, claim);
      continue;
    } else if (v.configMap) {
      const o = configMapOf(opts, v.configMap.name);
      project(dir, sourceFiles(o, v.configMap, "ConfigMap", v.configMap.defaultMode ?? 0o644), gid);
    } else if (v.secret) {
      const o = findObject(opts.objects, "Secret", v.secret.secretName);
      const ref = { ...v.secret, name: v.secret.secretName };
      project(dir, sourceFiles(o, ref, "Secret", v.secret.defaultMode ?? 0o644), gid);
    } else if (v.projected) {
      const mode = v.projected.defaultMode ?? 0o644;
      const files: { path: string; content: Buffer; mode: number }[] = [];
      for (const s of v.projected.sources ?? []) {
        if (s.configMap)
          files.push(...sourceFiles(configMapOf(opts, s.configMap.name), s.configMap, "ConfigMap", mode));
        else if (s.secret)
          files.push(
            ...sourceFiles(findObject(opts.objects, "Secret", s.secret.name), s.secret, "Secret", mode),
          );
        else if (s.serviceAccountToken) {
          if (!opts.kubeApi) throw new Error("pod projects a service-account token: pass kubeApi");
          files.push({ path: s.serviceAccountToken.path, content: Buffer.from(opts.kubeApi.token), mode });
        } else if (s.downwardAPI) {
          for (const i of s.downwardAPI.items ?? []) {
            const field = i.fieldRef?.fieldPath;
            const value =
              field === "metadata.namespace" ? namespace : field === "metadata.name" ? podName : undefined;
            if (value === undefined)
              throw new Error(`downwardAPI field ${field} not supported by the pod runner`);
            files.push({ path: i.path, content: Buffer.from(value), mode: i.mode ?? mode });
          }
        } else
          throw new Error(`projected source ${Object.keys(s).join(",")} not supported by the pod runner`);
      }
      project(dir, files, gid);
    } else
      throw new Error(`volume ${v.name}: kind ${Object.keys(v).join(",")} not supported by the pod runner`);
    out.set(v.name, dir);
  }
  return out;
}
