export { buildEnrollment, tenantNames, TENANT_OF_LABEL, type TenantService } from "./enrollment";
