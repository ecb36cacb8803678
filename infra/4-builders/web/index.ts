export { buildSite, buildWeb, SITE_KIND_LABEL, CONFIG_HASH_ANNOTATION } from "./site";
export { renderNginxConf, WEB_PORT, CONTENT_DIR, CONFIG_DIR, RUN_PREFIX, HEALTH_PATH } from "./nginx-conf";
export { bipRegistry, siteTitle, type BipEntry } from "./bip-registry";
