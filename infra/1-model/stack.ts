/** Stack settings, generated from schemas/stack.schema.json by `npm run gen:types`. */
export type { StackSettings } from "./stack.generated";
