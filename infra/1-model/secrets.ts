/** A value the program generates and keeps in Pulumi state (a password, a salt, a key). */
export interface SecretRequest {
  /** Stable id within the unit, e.g. `mail-sekretariat-password`; names the generating resource. */
  id: string;
  /** `rsa-key`: an RSA private key in PEM (a DKIM key), backed by @pulumi/tls PrivateKey. */
  kind: "password" | "salt" | "rsa-key";
  /** Length in characters (for `rsa-key`: the key size in bits). */
  length: number;
}

/** Supplies generated values to builders: real ones in the program, placeholders in the plan. */
export interface SecretSource {
  get(request: SecretRequest): string;
}
