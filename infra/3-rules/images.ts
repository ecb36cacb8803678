import { SETTINGS_PATH } from "../2-manifest/stack";
import { finding, type StackCheck } from "./finding";

/** A version tag: `1.2.3`, `v1.2.3`, `1.2.3-rc.1`. */
const VERSION_TAG = /^v?[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.-]+)?$/;
const DIGEST = /^sha256:[0-9a-f]{64}$/;

/**
 * Why an image reference is not pinned, or undefined when it is: a digest (`@sha256:<64 hex>`, with or
 * without a tag before it) or a version tag. `:latest`, no tag, and other moving tags (`:debian-12`,
 * `:stable`) are refused: the shared servers must run exactly what was built and tested.
 */
export function unpinnedImage(ref: string): string | undefined {
  const at = ref.indexOf("@");
  if (at >= 0) return DIGEST.test(ref.slice(at + 1)) ? undefined : "its digest is not sha256:<64 hex digits>";
  const slash = ref.lastIndexOf("/");
  const colon = ref.lastIndexOf(":");
  if (colon <= slash) return "it has no tag (Docker reads it as :latest, which moves)";
  const tag = ref.slice(colon + 1);
  if (tag === "latest") return ":latest moves with every push";
  return VERSION_TAG.test(tag) ? undefined : `tag :${tag} is not a version (x.y.z) and may move`;
}

/** The mail and print servers' images must be pinned (issue 14.1), located at the setting. */
export const pinnedServerImages: StackCheck = ({ stack }) =>
  (["mail", "print"] as const).flatMap((service) => {
    const ref = stack.settings.platform[service].image;
    const why = unpinnedImage(ref);
    return why
      ? [
          finding(
            stack.file,
            [...SETTINGS_PATH, "platform", service, "image"],
            `image ${ref} is not pinned: ${why}`,
            `write a version tag (e.g. registry.lodz.pl/muni/${service}:0.1.0) or the digest .github/workflows/images.yml pins (…@sha256:<digest>)`,
          ),
        ]
      : [];
  });
