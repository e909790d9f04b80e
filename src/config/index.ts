// Configuration: the only reader of process.env.
export { loadConfig, type Config } from "./load.js";
export { projectRoot } from "./paths.js";
