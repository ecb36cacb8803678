import { type MailTenant, mailHostOf, type StackSettings } from "../../1-model";

/** One DNS record the city must publish for a tenant domain. `value` is the record's full text. */
export interface DnsRecord {
  /** Fully qualified owner name, with the trailing dot. */
  name: string;
  type: "MX" | "TXT";
  ttl: number;
  value: string;
}

/** TTL of every published mail record, in seconds. */
export const MAIL_DNS_TTL = 3600;

/**
 * MX, SPF, DKIM and DMARC records of a tenant domain. Pure: the plan, the stack outputs, the unit's
 * `mail-dns` ConfigMap and `muni dns` all render through this one function.
 */
export function mailDnsRecords(
  tenant: Pick<MailTenant, "domain">,
  settings: StackSettings,
  dkimPublicKeyBase64: string,
): DnsRecord[] {
  const m = settings.platform.mail;
  const d = `${tenant.domain}.`;
  const rua = m.dmarcReports ? `; rua=mailto:${m.dmarcReports}` : "";
  return [
    { name: d, type: "MX", ttl: MAIL_DNS_TTL, value: `10 ${mailHostOf(settings)}.` },
    { name: d, type: "TXT", ttl: MAIL_DNS_TTL, value: "v=spf1 mx -all" },
    {
      name: `${m.dkimSelector}._domainkey.${d}`,
      type: "TXT",
      ttl: MAIL_DNS_TTL,
      value: `v=DKIM1; k=rsa; p=${dkimPublicKeyBase64}`,
    },
    {
      name: `_dmarc.${d}`,
      type: "TXT",
      ttl: MAIL_DNS_TTL,
      value: `v=DMARC1; p=${m.dmarcPolicy}; adkim=s; aspf=s${rua}`,
    },
  ];
}

/**
 * A BIND zone-file snippet of the records: TXT values are quoted and split into strings of at most
 * 255 characters (RFC 1035 §3.3.14), which a 2048-bit DKIM key needs.
 */
export function renderZoneSnippet(unitId: string, records: readonly DnsRecord[]): string {
  const rows = records.map(
    (r) => `${r.name}\t${r.ttl}\tIN\t${r.type}\t${r.type === "TXT" ? txt(r.value) : r.value}`,
  );
  return `; muni: mail records of unit ${unitId}; publish them in the zone of the domain\n${rows.join("\n")}\n`;
}

function txt(value: string): string {
  const parts: string[] = [];
  for (let i = 0; i < value.length; i += 255)
    parts.push(`"${value.slice(i, i + 255).replace(/(["\\])/g, "\\$1")}"`);
  return parts.length > 1 ? `( ${parts.join(" ")} )` : parts[0]!;
}
