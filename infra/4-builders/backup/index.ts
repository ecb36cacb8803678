export * from "./schedules";
export * from "./restore";
