import { LABEL, mailTenant, tenantSecretName } from "../../1-model";
import type { BuildContext, Desired } from "../types";
import { type DnsRecord, mailDnsRecords, renderZoneSnippet } from "./dns";
import { dkimPublicKey, initialPasswords, renderTenantFiles } from "./files";

/** Label on every tenant Secret in the platform namespace; its value is the unit id. */
export const TENANT_LABEL = "muni.lodz.pl/mail-tenant";

/**
 * A unit's mail tenant:
 * - `mail-tenant` — Secret `mail-tenant-<id>` in the platform's namespace with the tenant's lookup
 *   tables and DKIM key, which the mail server mounts (see mail/server.ts);
 * - `mail-initial-passwords` — the plaintext initial passwords, only in the unit's own namespace,
 *   readable by its local administrators (they hold `admin` there), never by operations leads (`view`);
 * - `mail-dns` — ConfigMap with the records the city must publish, as a zone snippet and JSON.
 */
export function buildMail(ctx: BuildContext): Desired[] {
  const tenant = mailTenant(ctx.unit, ctx.history);
  if (!tenant) return [];
  const labels = { ...ctx.labels, [LABEL.service]: "mail" };
  const selector = ctx.settings.platform.mail.dkimSelector;
  const records = unitDnsRecords(ctx);
  return [
    {
      key: "mail-tenant",
      service: "mail",
      usesSecrets: true,
      object: {
        apiVersion: "v1",
        kind: "Secret",
        metadata: {
          name: tenantSecretName(tenant.unitId),
          namespace: ctx.settings.platform.mail.namespace,
          labels: { ...labels, [TENANT_LABEL]: tenant.unitId },
        },
        type: "Opaque",
        stringData: renderTenantFiles(tenant, ctx.secrets, selector),
      },
    },
    {
      key: "mail-initial-passwords",
      service: "mail",
      usesSecrets: true,
      object: {
        apiVersion: "v1",
        kind: "Secret",
        metadata: {
          name: "mail-initial-passwords",
          namespace: ctx.namespace,
          labels,
          annotations: {
            "muni.lodz.pl/purpose":
              "Initial mailbox passwords for the unit's local administrators to hand over; users change them at first login.",
          },
        },
        type: "Opaque",
        stringData: initialPasswords(tenant, ctx.secrets),
      },
    },
    {
      key: "mail-dns",
      service: "mail",
      usesSecrets: true,
      object: {
        apiVersion: "v1",
        kind: "ConfigMap",
        metadata: { name: "mail-dns", namespace: ctx.namespace, labels },
        data: {
          [`${tenant.domain}.zone`]: renderZoneSnippet(tenant.unitId, records),
          "records.json": `${JSON.stringify(records, null, 2)}\n`,
        },
      },
    },
  ];
}

/** The DNS records of a unit's mail domain ([] when not enrolled in mail). Asks only for the DKIM key. */
export function unitDnsRecords(ctx: Pick<BuildContext, "unit" | "settings" | "secrets">): DnsRecord[] {
  const tenant = mailTenant(ctx.unit);
  return tenant ? mailDnsRecords(tenant, ctx.settings, dkimPublicKey(ctx.secrets.get(tenant.dkimKey))) : [];
}
