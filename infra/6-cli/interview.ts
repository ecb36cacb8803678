import type { ServiceName } from "../1-model";
import type { PathSegment } from "../2-manifest/diagnostics";
import { commaList, type Draft, parseIdentity } from "./scaffold";

/** What the questions know about the project: suggested names, the stacks' waves, who reviews. */
export interface InterviewContext {
  /** The first stack's first mail and site suffix, for suggested names (mops.lodz.pl). */
  suffixes: { mail: string; sites: string };
  /** Which waves the stacks take and provision, shown with the wave question. */
  wavesHint: string;
  /** OS images of the stacks' VM catalogues, shown with the VM question. */
  images: string[];
  /** Whether a manifest with this id exists already (new-unit never overwrites one). */
  exists(id: string): string | undefined;
  /** The reviewers suggested for the unit's CODEOWNERS line; undefined when the project has no CODEOWNERS. */
  owners?: (id: string) => string;
}

/** Answers that are not manifest fields. */
export interface Extras {
  /** The services chosen (their questions follow). */
  services: ServiceName[];
  /** Reviewers of the manifest, for CODEOWNERS. */
  owners?: string[];
}

/**
 * One question of `muni new-unit`: asked on a terminal, or answered by its flag. Its answer is put in
 * the draft by `apply` (which refuses what cannot be read at all); the schema and every rule then check
 * the draft, and the problems located at `path` (or new with this answer) make it asked again.
 */
export interface Question {
  /** The flag carrying the answer without a terminal. */
  flag: string;
  text(d: Draft, ctx: InterviewContext): string;
  /** Where the answer lands in the manifest (item: the index of a repeated answer). */
  path(d: Draft, item: number): PathSegment[];
  /** Asked only when this holds (a service's questions, once the service is chosen). */
  when?(d: Draft, x: Extras, ctx: InterviewContext): boolean;
  /** Taken on an empty answer. */
  def?(d: Draft, ctx: InterviewContext): string | undefined;
  /** An empty answer leaves the field out. */
  optional?: boolean;
  /** Asked again after each answer until an empty one, which ends it once `min` answers are in. */
  repeat?: { min(d: Draft): number };
  /** Puts the answer into the draft (mutating it); returns what is wrong with its form. */
  apply(d: Draft, answer: string, item: number, x: Extras, ctx: InterviewContext): string | undefined;
}

export type Obj = Record<string, unknown>;
export const obj = (d: Obj, ...keys: string[]): Obj => {
  let cur = d;
  for (const k of keys) cur = (cur[k] ??= {}) as Obj;
  return cur;
};
export const list = (o: Obj, key: string): unknown[] => (o[key] ??= []) as unknown[];
export const svc = (d: Draft, name: ServiceName): Obj => obj(d, "services", name);
export const enrolled = (name: ServiceName) => (_d: Draft, x: Extras) => x.services.includes(name);
export const id = (d: Draft) => String(d.id ?? "");

/** A whole number, or what is wrong with it. */
export function whole(s: string, what: string): number | string {
  return /^[0-9]+$/.test(s) ? Number(s) : `"${s}" is not a whole number (${what})`;
}

/** `a; b; c` → its fields, trimmed. */
export const fields = (s: string) => s.split(";").map((f) => f.trim());

export function identities(
  d: Draft,
  key: "localAdministrators" | "operationsLeads",
  answer: string,
): string | undefined {
  const out = [];
  for (const w of commaList(answer)) {
    const who = parseIdentity(w);
    if (!who)
      return `"${w}" is not kind:name (write group:mops-administratorzy or user:jan.kowalski@mops.lodz.pl)`;
    out.push(who);
  }
  obj(d, "roles")[key] = out;
  return undefined;
}
