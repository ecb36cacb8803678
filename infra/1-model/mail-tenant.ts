import type { MailService } from "./services";
import type { Unit } from "./unit.generated";
import { bytes } from "./quantity";
import type { SecretRequest } from "./secrets";
import { type DataHistory, EMPTY_HISTORY, mailboxIncarnation, maildirOf } from "./data-history";

/** The account muni creates in every tenant domain (RFC 5321 requires postmaster@ to exist). */
export const POSTMASTER = "postmaster";
/** Length of generated initial passwords (letters and digits, at least one of each class). */
export const PASSWORD_LENGTH = 20;
/** Length of SHA512-CRYPT salts (16 is the scheme's maximum). */
export const SALT_LENGTH = 16;
/** Bits of each domain's DKIM RSA key. */
export const DKIM_BITS = 2048;

/** One mailbox of a tenant, with the ids of its generated password and salt. */
export interface MailAccount {
  localPart: string;
  address: string;
  displayName: string;
  quotaBytes: number;
  /** Created by muni (postmaster), not listed in the manifest. */
  implicit: boolean;
  /** Which mailbox of this address it is (the ledger records it): 1, then one more each time the address is retired and re-created. */
  incarnation: number;
  /** Its directory under the platform's mail root, `<domain>/<local part>` (`~<n>` appended from the 2nd incarnation: a re-created address starts empty). */
  maildir: string;
  password: SecretRequest;
  salt: SecretRequest;
}

/** One alias: a full address and its fully qualified targets. */
export interface MailAlias {
  address: string;
  targets: string[];
}

/** A unit's tenant on the shared mail platform, before any secret is known. */
export interface MailTenant {
  unitId: string;
  domain: string;
  accounts: MailAccount[];
  aliases: MailAlias[];
  dkimKey: SecretRequest;
}

/** `target` qualified in `domain` when it is a bare local part. */
export function qualify(target: string, domain: string): string {
  return target.includes("@") ? target : `${target}@${domain}`;
}

/** Effective quota limit of the tenant: quotaLimit, or mailboxLimit × defaultQuota when unset. */
export function quotaLimitBytes(mail: MailService): number {
  return mail.quotaLimit !== undefined
    ? bytes(mail.quotaLimit)
    : mail.mailboxLimit * bytes(mail.defaultQuota);
}

/** Sum of every account's quota, postmaster included. */
export function quotaSumBytes(tenant: MailTenant): number {
  return tenant.accounts.reduce((s, a) => s + a.quotaBytes, 0);
}

/**
 * The tenant of a unit enrolled in mail; undefined otherwise. `history` (the unit's ledger entry; default:
 * none) gives each mailbox its incarnation. Pure: no secret is read here.
 */
export function mailTenant(unit: Unit, history: DataHistory = EMPTY_HISTORY): MailTenant | undefined {
  const mail = unit.services.mail;
  if (!mail) return undefined;
  const { domain } = mail;
  const account = (
    localPart: string,
    displayName: string,
    quota: string,
    implicit: boolean,
  ): MailAccount => ({
    localPart,
    address: `${localPart}@${domain}`,
    displayName,
    quotaBytes: bytes(quota),
    implicit,
    incarnation: mailboxIncarnation(history, `${localPart}@${domain}`),
    maildir: maildirOf(domain, localPart, mailboxIncarnation(history, `${localPart}@${domain}`)),
    password: { id: `mail-${localPart}-password`, kind: "password", length: PASSWORD_LENGTH },
    salt: { id: `mail-${localPart}-salt`, kind: "salt", length: SALT_LENGTH },
  });
  const accounts = mail.mailboxes.map((m) =>
    account(m.localPart, m.displayName, m.quota ?? mail.defaultQuota, false),
  );
  if (
    !mail.mailboxes.some((m) => m.localPart === POSTMASTER) &&
    !mail.aliases.some((a) => a.name === POSTMASTER)
  )
    accounts.push(account(POSTMASTER, `Postmaster ${unit.shortName}`, mail.defaultQuota, true));
  return {
    unitId: unit.id,
    domain,
    accounts,
    aliases: mail.aliases.map((a) => ({
      address: `${a.name}@${domain}`,
      targets: a.to.map((t) => qualify(t, domain)),
    })),
    dkimKey: { id: "mail-dkim-key", kind: "rsa-key", length: DKIM_BITS },
  };
}
