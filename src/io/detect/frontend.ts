/**
 * A static front-end without a server: a package whose build script bundles a browser app (Vite,
 * Create React App, Angular, Vue CLI, Parcel) and that has no start script or Dockerfile to run
 * a server. Its build output is files for a web server or static host; nothing in it listens on
 * a port. Said as such, never as a library or a service whose start command is missing.
 */
import path from "node:path";
import { toolCommand } from "../../product.js";
import type { Refusal } from "./shape.js";

/** A build tool of browser apps, by the command its build script runs. */
const BUNDLER = /(?:^|[\s;&])(?:npx\s+)?(vite|react-scripts|ng|vue-cli-service|parcel)\s+build\b/;

/** What makes the package a static front-end ("scripts.build "vite build""), or undefined. */
export function staticFrontend(pkg: Record<string, unknown>, files: Set<string>): string | undefined {
  if (files.has("Dockerfile") || files.has("Containerfile")) return undefined;
  const scripts = (pkg.scripts ?? {}) as Record<string, unknown>;
  if (typeof scripts.start === "string" && !/^\s*(?:vite|react-scripts\s+start|ng\s+serve|vue-cli-service\s+serve)\b/.test(scripts.start)) return undefined;
  const build = typeof scripts.build === "string" ? scripts.build : undefined;
  const tool = build === undefined ? undefined : BUNDLER.exec(build)?.[1];
  if (tool === undefined) return undefined;
  return `package.json scripts.build "${build}"${files.has("index.html") ? ", index.html" : ""}${typeof scripts.start === "string" ? `; scripts.start "${scripts.start}" is a development server` : ""}`;
}

/** The refusal of a static front-end at `root`. */
export function staticFrontendRefusal(root: string, what: string): Refusal {
  return {
    message: `a static front-end without a server (${what}): its build writes files for a web server or static host to serve, and nothing in it listens on a port`,
    hint: `nothing was written; publish the built files to a static host, or say which server serves them in the image with --start-command and --port (or add a Dockerfile that does); in a repository of several services, run \`${toolCommand()} create\` at its root, where this folder is left out`,
    where: path.join(root, "package.json"),
    overriddenBy: ["startCommand", "port"],
  };
}
