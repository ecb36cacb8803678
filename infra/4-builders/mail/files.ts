import { createPublicKey } from "node:crypto";
import type { SecretSource } from "../../1-model";
import { isPlaceholder } from "../secrets";
import { dovecotSha512Crypt } from "./sha512-crypt";
import type { MailTenant } from "../../1-model";

/** The virtual uid and gid that own every mailbox on the platform (as in docker-mailserver). */
export const VMAIL_ID = 5000;

/**
 * The tenant's share of the platform's lookup tables, one file each, in the formats the daemons read
 * directly (no conversion step):
 * - `users`: Dovecot passwd-file (`address:{SHA512-CRYPT}$6$…:uid:gid::::userdb_quota_rule=*:bytes=N`);
 * - `vmailbox`: Postfix virtual_mailbox_maps (texthash: address → maildir);
 * - `virtual`: Postfix virtual_alias_maps (texthash: alias → comma-separated targets);
 * - `domains`: Postfix virtual_mailbox_domains (texthash: domain → unit id);
 * - `dkim.key`, `opendkim-keytable`, `opendkim-signingtable`: OpenDKIM's signing key and tables.
 * The platform concatenates every tenant's file of one name (see mail/server.ts).
 */
export const TENANT_FILES = [
  "users",
  "vmailbox",
  "virtual",
  "domains",
  "dkim.key",
  "opendkim-keytable",
  "opendkim-signingtable",
] as const;
export type TenantFileName = (typeof TENANT_FILES)[number];

/** Where a tenant's files are mounted on the platform: `<TENANTS_DIR>/<unit id>/<file>`. */
export const TENANTS_DIR = "/run/muni/tenants";

/** The platform's mail root (platformMailLayout): a mailbox lives in `<MAIL_ROOT>/<its maildir>`. */
export const MAIL_ROOT = "/srv/mail";

/**
 * The tenant's files, with real hashes and key when `secrets` supplies real values. A mailbox's directory is
 * its model `maildir`; from its 2nd incarnation on, its Dovecot home is set to `<mailRoot>/<maildir>` (the
 * first keeps Dovecot's default `<mailRoot>/<domain>/<local part>`), so a re-created address starts empty.
 */
export function renderTenantFiles(
  tenant: MailTenant,
  secrets: SecretSource,
  selector: string,
  tenantsDir: string = TENANTS_DIR,
  mailRoot: string = MAIL_ROOT,
): Record<TenantFileName, string> {
  const head = `# muni mail tenant ${tenant.unitId} (${tenant.domain}): generated from units/${tenant.unitId}.yaml, do not edit\n`;
  const lines = (rows: string[]) => head + rows.map((r) => `${r}\n`).join("");
  const users = tenant.accounts.map((a) => {
    const password = secrets.get(a.password);
    const salt = secrets.get(a.salt);
    // Rendering without secrets (plan, reports, the first pass of the Unit) gives a placeholder hash.
    const hash =
      isPlaceholder(password) || isPlaceholder(salt)
        ? `{SHA512-CRYPT}<hash:${a.password.id}>`
        : dovecotSha512Crypt(password, salt);
    const home = a.incarnation > 1 ? `${mailRoot}/${a.maildir}` : "";
    return `${a.address}:${hash}:${VMAIL_ID}:${VMAIL_ID}::${home}::userdb_quota_rule=*:bytes=${a.quotaBytes}`;
  });
  const keyName = `${selector}._domainkey.${tenant.domain}`;
  return {
    users: lines(users),
    vmailbox: lines(tenant.accounts.map((a) => `${a.address} ${a.maildir}/`)),
    virtual: lines(tenant.aliases.map((a) => `${a.address} ${a.targets.join(", ")}`)),
    domains: lines([`${tenant.domain} ${tenant.unitId}`]),
    "dkim.key": ensureNewline(secrets.get(tenant.dkimKey)),
    "opendkim-keytable": lines([
      `${keyName} ${tenant.domain}:${selector}:${tenantsDir}/${tenant.unitId}/dkim.key`,
    ]),
    "opendkim-signingtable": lines([`*@${tenant.domain} ${keyName}`]),
  };
}

/** Initial plaintext passwords by address, for the Secret in the unit's own namespace. */
export function initialPasswords(tenant: MailTenant, secrets: SecretSource): Record<string, string> {
  return Object.fromEntries(tenant.accounts.map((a) => [a.address, secrets.get(a.password)]));
}

/**
 * The DKIM public key as the `p=` value of the DNS record (base64 of the DER SubjectPublicKeyInfo),
 * derived from the private key PEM. A placeholder (plan, reports) gives a placeholder back.
 */
export function dkimPublicKey(privateKeyPem: string): string {
  if (isPlaceholder(privateKeyPem)) return `<dkim-public-key:${privateKeyPem.replace(/^<secret:|>$/g, "")}>`;
  return createPublicKey(privateKeyPem).export({ type: "spki", format: "der" }).toString("base64");
}

function ensureNewline(s: string): string {
  return s.endsWith("\n") ? s : `${s}\n`;
}
