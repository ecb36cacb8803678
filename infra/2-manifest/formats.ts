import { fullFormats } from "ajv-formats/dist/formats";
import { isValidNip, isValidRegon } from "./checksums";

/**
 * Every string format the schemas use: ajv-formats' full set, and the Polish NIP and REGON with their check
 * digits. createAjv adds these, and the precompiled validators (*-schema.generated.ts) require them.
 */
export const FORMATS = {
  ...fullFormats,
  nip: { type: "string" as const, validate: isValidNip },
  regon: { type: "string" as const, validate: isValidRegon },
};
