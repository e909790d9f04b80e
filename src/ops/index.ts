// Operations' public face: the freeze switch (persisted), the admin listener; the `dourada` CLI is bin/dourada.js -> cli.ts.
export { FreezeState, readFreezeFile, type FreezeStatus } from "./freeze.js";
export { createAdminApp, listenAdmin, statusOf, type AdminAddress, type AdminDeps } from "./admin.js";
