import { SERVICE_NAMES } from "../1-model";
import { commaList, parseServices } from "./scaffold";
import { id, identities, obj, type Question, whole } from "./interview";

/** The unit's own questions, in the order asked: identity, seat, roles, lifecycle, labels, services. */
export const UNIT_QUESTIONS: readonly Question[] = [
  {
    flag: "--id",
    text: () => "Unit id: a DNS label such as mops (it names the namespace and the file, and never changes)",
    path: () => ["id"],
    apply: (d, a, _i, _x, ctx) => {
      d.id = a;
      return ctx.exists(a);
    },
  },
  {
    flag: "--name",
    text: () => "Official name, as in the unit's statute",
    path: () => ["name"],
    apply: (d, a) => void (d.name = a),
  },
  {
    flag: "--short-name",
    text: () => "Short name or acronym, for reports",
    path: () => ["shortName"],
    def: (d) => id(d).toUpperCase() || undefined,
    apply: (d, a) => void (d.shortName = a),
  },
  {
    flag: "--street",
    text: () => "Street and number of the seat",
    path: () => ["address", "street"],
    apply: (d, a) => void (obj(d, "address").street = a),
  },
  {
    flag: "--postal-code",
    text: () => "Postal code (NN-NNN)",
    path: () => ["address", "postalCode"],
    apply: (d, a) => void (obj(d, "address").postalCode = a),
  },
  {
    flag: "--city",
    text: () => "City",
    path: () => ["address", "city"],
    def: () => "Łódź",
    apply: (d, a) => void (obj(d, "address").city = a),
  },
  {
    flag: "--regon",
    text: () => "REGON number, 9 or 14 digits (empty if none)",
    path: () => ["regon"],
    optional: true,
    apply: (d, a) => void (d.regon = a),
  },
  {
    flag: "--nip",
    text: () => "NIP number, 10 digits without dashes (empty if none)",
    path: () => ["nip"],
    optional: true,
    apply: (d, a) => void (d.nip = a),
  },
  {
    flag: "--cost-centre",
    text: (d) =>
      `Cost centre the unit's services are charged to (e.g. MPK-${id(d).toUpperCase() || "MOPS"}-01)`,
    path: () => ["costCentre"],
    apply: (d, a) => void (d.costCentre = a),
  },
  {
    flag: "--admin",
    text: () => "Local administrators, kind:name, comma-separated (group:… or user:…)",
    path: () => ["roles", "localAdministrators"],
    def: (d) => (d.id ? `group:${id(d)}-administratorzy` : undefined),
    apply: (d, a) => identities(d, "localAdministrators", a),
  },
  {
    flag: "--ops-lead",
    text: () => "Operations leads, kind:name, comma-separated",
    path: () => ["roles", "operationsLeads"],
    def: (d) => (d.id ? `group:${id(d)}-koordynatorzy-it` : undefined),
    apply: (d, a) => identities(d, "operationsLeads", a),
  },
  {
    flag: "--state",
    text: () =>
      "Lifecycle state: active (provisioned once merged and deployed) or planned (validated and reported only)",
    path: () => ["lifecycle", "state"],
    def: () => "active",
    apply: (d, a) => {
      if (a !== "active" && a !== "planned") return `"${a}": a new unit starts active or planned`;
      obj(d, "lifecycle").state = a;
      return undefined;
    },
  },
  {
    flag: "--wave",
    text: (_d, ctx) => `Onboarding wave, 1 to 12 (${ctx.wavesHint})`,
    path: () => ["lifecycle", "wave"],
    apply: (d, a) => {
      const n = whole(a, "give the wave's number, 1 to 12");
      if (typeof n === "string") return n;
      obj(d, "lifecycle").wave = n;
      return undefined;
    },
  },
  {
    flag: "--label",
    text: () => "Labels stacks may select the unit by: key=value, comma-separated (empty for none)",
    path: () => ["labels"],
    optional: true,
    apply: (d, a) => {
      const labels: Record<string, string> = {};
      for (const w of commaList(a)) {
        const m = /^([^=]+)=(.*)$/.exec(w);
        if (!m) return `"${w}" is not key=value (e.g. district=baluty)`;
        labels[m[1]!.trim()] = m[2]!.trim();
      }
      d.labels = labels;
      return undefined;
    },
  },
  {
    flag: "--services",
    text: () => `Services, comma-separated from ${SERVICE_NAMES.join(", ")} (empty for none)`,
    path: () => ["services"],
    optional: true,
    apply: (d, a, _i, x) => {
      const { services, unknown } = parseServices(a);
      if (unknown.length)
        return `unknown service ${unknown.map((u) => `"${u}"`).join(", ")} (choose from ${SERVICE_NAMES.join(", ")})`;
      x.services = services;
      d.services ??= {};
      return undefined;
    },
  },
];
