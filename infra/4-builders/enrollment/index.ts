export { buildEnrollment, TENANT_OF_LABEL, type TenantService } from "./enrollment";
