/** What one language reader found; `detect()` turns it into the public keys. */
export type Value = string | number | boolean | undefined;

export interface Found {
  name?: string | undefined;
  /** Values by answer key (languageVersion, startCommand, port, ...). */
  values: Record<string, Value>;
  /** Where each value came from ("package.json scripts.start", "go.mod go line"). */
  from: Record<string, string>;
  /** Files to scan for a port and a health route, in order. */
  sources: string[];
  /** The sources are all there is to read for routes and ports (no walk of the folder). */
  onlySources?: boolean;
  /**
   * Why a key was left to its default although something was found (a health route whose
   * mounting cannot be followed): shown beside the default.
   */
  notes: Record<string, string>;
  /** The path every route of the service is under (Spring server.servlet.context-path, Quarkus root-path). */
  contextPath?: string | undefined;
  /** A path the framework answers when no health or root route is found (Spring Boot's static welcome page). */
  rootFallback?: { path: string; from: string } | undefined;
  /** The file of the program's entry (Go: the main package's main file), for a refusal to name. */
  entry?: string | undefined;
  /** A port the framework listens on when nothing says otherwise (e.g. Spring Boot 8080). */
  frameworkPort?: { port: number; from: string } | undefined;
  /**
   * A port written into the service's configuration or code that no environment variable moves
   * (Ktor's `port = 8080` without `${?PORT}`): where (file:line) and how to let PORT set it.
   */
  fixedPort?: FixedPort | undefined;
  /** The host the service binds, read from its config file (aiohttp's run_app(host=config['host'])). */
  configBind?: { file: string; written: string; host: string; fix: string } | undefined;
}

/** A port the service listens on whatever PORT says, with where it is written and the fix. */
export interface FixedPort {
  port: number;
  /** file:line */
  where: string;
  fix: string;
}

export function newFound(): Found {
  return { values: {}, from: {}, sources: [], notes: {} };
}

/** Record `value` for `key` (first writer wins) with where it came from. */
export function put(found: Found, key: string, value: Value, from: string): void {
  if (value === undefined || value === "" || found.values[key] !== undefined) return;
  found.values[key] = value;
  found.from[key] = from;
}
