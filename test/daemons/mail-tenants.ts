import { generateKeyPairSync } from "node:crypto";
import type { MailTenant, SecretRequest } from "../../infra/1-model";
import { dkimPublicKey, type DnsRecord, renderTenantFiles } from "../../infra/4-builders/mail";
import type { Registered } from "../helpers/pulumi";
import type { TenantFiles } from "./mail-stack";
import { objectNamed } from "./program";

/** The Łódź units enrolled in mail (units/*.yaml). */
export const MAIL_UNITS = ["css", "mpu", "zzm"] as const;

/** Each registered tenant Secret's files (what the platform reads), by unit. */
export function registeredTenants(registered: readonly Registered[]): TenantFiles[] {
  return MAIL_UNITS.map((u) => ({
    unitId: u,
    files: objectNamed<{ stringData: Record<string, string> }>(registered, `${u}-mail-tenant`).stringData,
  }));
}

/** address → generated initial password, from each unit's mail-initial-passwords Secret. */
export function registeredPasswords(registered: readonly Registered[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const u of MAIL_UNITS)
    for (const [a, p] of Object.entries(
      objectNamed<{ stringData: Record<string, string> }>(registered, `${u}-mail-initial-passwords`)
        .stringData,
    ))
      out.set(a, p);
  return out;
}

/** The DNS records `muni dns` publishes for the units (each unit's mail-dns ConfigMap, records.json). */
export function registeredDnsRecords(registered: readonly Registered[]): DnsRecord[] {
  return MAIL_UNITS.flatMap(
    (u) =>
      JSON.parse(
        objectNamed<{ data: Record<string, string> }>(registered, `${u}-mail-dns`).data["records.json"]!,
      ) as DnsRecord[],
  );
}

/**
 * A DNS resolver (the `dns.promises.resolve` signature mailauth takes) that answers only from the given
 * records: a TXT record as one answer of 255-character strings, like a real resolver; anything else
 * ENOTFOUND.
 */
export function resolverOf(records: readonly DnsRecord[]) {
  return async (name: string, type: string): Promise<string[][]> => {
    const hits = records.filter((r) => r.name === `${name.replace(/\.$/, "")}.` && r.type === type);
    if (!hits.length) throw Object.assign(new Error(`queryTxt ENOTFOUND ${name}`), { code: "ENOTFOUND" });
    return hits.map((r) => r.value.match(/.{1,255}/g)!);
  };
}

/**
 * A tenant rendered by muni's own tenant renderer with a tiny mailbox quota (64 KiB), so the tests can
 * fill it: unit `kwt`, domain kwota.lodz.pl, mailbox mala@kwota.lodz.pl with password `password`, and a
 * DKIM key of its own (its public half for the DNS records).
 */
export function smallQuotaTenant(
  password: string,
  selector: string,
): TenantFiles & { tenant: MailTenant; dkimPublicKey: string } {
  const req = (id: string, kind: SecretRequest["kind"], length: number): SecretRequest => ({
    id,
    kind,
    length,
  });
  const tenant: MailTenant = {
    unitId: "kwt",
    domain: "kwota.lodz.pl",
    accounts: [
      {
        localPart: "mala",
        address: "mala@kwota.lodz.pl",
        displayName: "Mała skrzynka",
        quotaBytes: 64 * 1024,
        implicit: false,
        incarnation: 1,
        maildir: "kwota.lodz.pl/mala",
        password: req("mail-mala-password", "password", 20),
        salt: req("mail-mala-salt", "salt", 16),
      },
    ],
    aliases: [],
    dkimKey: req("mail-dkim-key", "rsa-key", 2048),
  };
  const key = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({
    type: "pkcs1",
    format: "pem",
  }) as string;
  const secrets = {
    get: (r: SecretRequest) =>
      r.kind === "rsa-key" ? key : r.kind === "salt" ? "Kw0taS0l1Kw0taS0" : password,
  };
  return {
    unitId: tenant.unitId,
    files: renderTenantFiles(tenant, secrets, selector),
    tenant,
    dkimPublicKey: dkimPublicKey(key),
  };
}
