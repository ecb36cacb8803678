import { LABEL, printQueuesConfigMapName, type SecretRequest } from "../../1-model";
import { MUNI_ROUNDS, sha512Crypt } from "../mail/sha512-crypt";
import { isPlaceholder } from "../secrets";
import type { BuildContext, Desired } from "../types";
import { printAccountOf, printQueues, renderClientFiles, renderPrintersConf } from "./queues";

/** Label on every queue ConfigMap in the print platform's namespace; its value is the unit id. */
export const PRINT_TENANT_LABEL = "muni.lodz.pl/print-tenant";

/** The unit's generated print password (@pulumi/random, kept in state) and the salt of its hash. */
export const PRINT_PASSWORD: SecretRequest = { id: "print-password", kind: "password", length: 24 };
export const PRINT_SALT: SecretRequest = { id: "print-salt", kind: "salt", length: 16 };

/** Host:port the unit's clients print to. */
export function printServerOf(settings: BuildContext["settings"]): string {
  const p = settings.platform.print;
  return `${p.hostname ?? `cups.${p.namespace}.svc`}:${p.ports[0] ?? 631}`;
}

/** `print-<id>:$6$rounds=1000$<salt>$<hash>`: the line the print server's PAM pwdfile holds for the unit. */
export function printAccountLine(ctx: Pick<BuildContext, "unit" | "secrets">): string {
  const password = ctx.secrets.get(PRINT_PASSWORD);
  const salt = ctx.secrets.get(PRINT_SALT);
  // Rendering without secrets (plan, reports) embeds the placeholder, so the plan knows to redact it.
  const hash =
    isPlaceholder(password) || isPlaceholder(salt)
      ? `<hash:${password}>`
      : sha512Crypt(password, salt, MUNI_ROUNDS);
  return `${printAccountOf(ctx.unit.id)}:${hash}\n`;
}

/**
 * A unit's print tenant:
 * - `print-queues` — ConfigMap `print-queues-<id>` in the platform's namespace, labelled
 *   `muni.lodz.pl/print-tenant=<id>`, with the unit's printers.conf part and its print account's
 *   SHA-512 crypt hash; the print server's tenant sync reads it at run time (no pod restart);
 * - `print-account` — Secret in the unit's namespace with the account's user name and generated
 *   password, for the unit's local administrators to configure its workstations;
 * - `print-client` — ConfigMap in the unit's namespace with client.conf and lpoptions (the unit's
 *   default queue) for its workstations.
 */
export function buildPrint(ctx: BuildContext): Desired[] {
  const print = ctx.unit.services.print;
  if (!print) return [];
  const labels = { ...ctx.labels, [LABEL.service]: "print" };
  const id = ctx.unit.id;
  return [
    {
      key: "print-queues",
      service: "print",
      usesSecrets: true,
      object: {
        apiVersion: "v1",
        kind: "ConfigMap",
        metadata: {
          name: printQueuesConfigMapName(id),
          namespace: ctx.settings.platform.print.namespace,
          labels: { ...labels, [PRINT_TENANT_LABEL]: id },
        },
        data: {
          "printers.conf": renderPrintersConf(id, printQueues(ctx.unit, ctx.settings)),
          "print-account": printAccountLine(ctx),
        },
      },
    },
    {
      key: "print-account",
      service: "print",
      usesSecrets: true,
      object: {
        apiVersion: "v1",
        kind: "Secret",
        metadata: {
          name: "print-account",
          namespace: ctx.namespace,
          labels,
          annotations: {
            "muni.lodz.pl/purpose":
              "The unit's print account (HTTP Basic over TLS to the shared print server), for its local administrators to set on its workstations.",
          },
        },
        type: "Opaque",
        stringData: { username: printAccountOf(id), password: ctx.secrets.get(PRINT_PASSWORD) },
      },
    },
    {
      key: "print-client",
      service: "print",
      object: {
        apiVersion: "v1",
        kind: "ConfigMap",
        metadata: { name: "print-client", namespace: ctx.namespace, labels },
        data: renderClientFiles(id, print, printServerOf(ctx.settings)),
      },
    },
  ];
}
