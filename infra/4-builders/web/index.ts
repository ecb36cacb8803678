import type { BuildContext, Desired } from "../types";
import { buildSite } from "./site";

export {
  buildSite,
  siteRequests,
  SITE_KIND_LABEL,
  CONFIG_HASH_ANNOTATION,
  type Site,
  type SiteRequests,
} from "./site";
export { renderNginxConf, WEB_PORT, CONTENT_DIR, CONFIG_DIR, RUN_PREFIX, HEALTH_PATH } from "./nginx-conf";
export { siteBaseName, siteObjectNames, siteKeyPrefix } from "../../1-model/site-names";
export { bipRegistry, siteTitle, type BipEntry } from "./bip-registry";

/** Every web and BIP site of the unit (nothing when it is not enrolled in `web`). */
export function buildWeb(ctx: BuildContext): Desired[] {
  return (ctx.unit.services.web?.sites ?? []).flatMap((site) => buildSite(ctx, site));
}
