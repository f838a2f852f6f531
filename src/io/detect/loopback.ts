/**
 * A service that binds only the loopback interface (127.0.0.1, localhost, ::1): in a pod the
 * kubelet's probes and the Service reach the container on the pod's address, never on its
 * loopback, so such a service can never pass its probes. Where the start command sets the address
 * (a server's --host or --bind flag), it is rewritten to bind every interface; where the code
 * binds it (a listen call, a framework's default host), the folder is refused with the fix.
 */
import path from "node:path";
import type { Refusal } from "./shape.js";

const LOOP = String.raw`(?:localhost|127\.0\.0\.1|\[::1\]|::1)`;
const isLoop = (host: string) => new RegExp(`^${LOOP}$`).test(host);

/** A start command whose server flags bind loopback, with every interface instead (and what changed). */
export function unloopStart(cmd: string): { cmd: string; changed: string[] } {
  const changed: string[] = [];
  const rules: [RegExp, (m: string, ...g: string[]) => string][] = [
    // uvicorn, hypercorn, flask, fastapi, next -H / --hostname
    [new RegExp(String.raw`(--host|--hostname|-H)([= ])(["']?)${LOOP}\3(?=\s|$)`, "g"), (_m, flag, sep) => `${flag}${sep}0.0.0.0`],
    // gunicorn, hypercorn, granian --bind / -b host:port; waitress --listen=host:port
    [new RegExp(`(--bind|-b|--listen)([= ])(["']?)${LOOP}:`, "g"), (_m, flag, sep, q) => `${flag}${sep}${q}0.0.0.0:`],
    // Django's runserver host:port
    [new RegExp(String.raw`(\brunserver\s+)${LOOP}:`, "g"), (_m, pre) => `${pre}0.0.0.0:`],
  ];
  let out = cmd;
  for (const [re, to] of rules) {
    out = out.replace(re, (m: string, ...g: string[]) => {
      const r = to(m, ...g);
      if (r !== m) changed.push(`${r.trim().replace(/["']/g, "").replace(/:$/, ":<port>")} instead of ${m.trim().replace(/["']/g, "")}`);
      return r;
    });
  }
  return { cmd: out, changed };
}

interface Bind {
  file: string;
  /** The call or declaration as written. */
  written: string;
  port?: number | undefined;
  /** How to bind every interface instead. */
  fix: string;
}

const portOf = (s: string | undefined) => (s !== undefined && /^\d{2,5}$/.test(s) ? Number(s) : undefined);

/** Go: a listen address on loopback given to a listener or server (directly, through a variable or a struct field). */
function goLoopback(file: string, text: string): Bind | undefined {
  const code = text.replace(/^\s*\/\/.*$/gm, "");
  const addr = String.raw`"(${LOOP}):(\d{2,5})"`;
  const listen = String.raw`(?:ListenAndServe(?:TLS)?|\.Run(?:TLS)?|\.Start(?:TLS)?|\.Listen(?:TLS)?|\.Serve)\(\s*`;
  const direct = new RegExp(String.raw`${listen}${addr}|\bnet\.Listen\(\s*"tcp[46]?"\s*,\s*${addr}|\bAddr\s*:\s*${addr}`).exec(code);
  if (direct) {
    const port = direct[2] ?? direct[4] ?? direct[6];
    // The call as written: with its receiver (router.Run) and its closing parenthesis.
    const recv = /[\w.]*$/.exec(code.slice(Math.max(0, direct.index - 60), direct.index))?.[0] ?? "";
    const after = code[direct.index + direct[0].length];
    const written = `${recv}${direct[0].trim()}${after === ")" ? ")" : after === "," ? ", …)" : ""}`;
    return { file, written, port: portOf(port), fix: `listen on ":${port}" (or "0.0.0.0:${port}") instead` };
  }
  for (const m of code.matchAll(new RegExp(String.raw`\b(\w+)\s*:?=\s*${addr}`, "g"))) {
    const v = m[1]!;
    const use = new RegExp(String.raw`(?:${listen}|\bnet\.Listen\(\s*"tcp[46]?"\s*,\s*|\bAddr\s*:\s*)${v}\b`).exec(code);
    if (use) return { file, written: `${m[0].trim()} … ${use[0].trim()}`, port: portOf(m[3]), fix: `listen on ":${m[3]}" (or "0.0.0.0:${m[3]}") instead` };
  }
  return undefined;
}

/** The arguments of the call whose "(" is at `open` (up to its closing parenthesis). */
export function argsAt(text: string, open: number): string {
  let depth = 0;
  for (let i = open; i < text.length && i < open + 2000; i++) {
    const c = text[i];
    if (c === "(" || c === "{" || c === "[") depth++;
    else if (c === ")" || c === "}" || c === "]") {
      depth--;
      if (depth === 0) return text.slice(open + 1, i);
    }
  }
  return text.slice(open + 1, open + 2000);
}

/** Node.js: listen(port, "127.0.0.1"), listen({ host: "localhost" }), or Fastify's listen without a host (its default is localhost). */
const FASTIFY_IMPORT = /(?:require\(\s*|from\s+)["'](?:fastify|@nestjs\/platform-fastify)["']/;

function nodeLoopback(file: string, text: string, fastify: boolean): Bind | undefined {
  for (const m of text.matchAll(/\.listen\s*\(/g)) {
    const args = argsAt(text, m.index + m[0].length - 1).trim();
    const flat = args.replace(/\s+/g, " ");
    const written = `.listen(${flat.length > 60 ? `${flat.slice(0, 57)}...` : flat})`;
    if (args.startsWith("{")) {
      const host = /\bhost(?:name)?\s*:\s*(?:["'`]([^"'`]*)["'`]|([^,}\s]+))|[{,]\s*host\s*[,}]/.exec(args);
      const port = portOf(/\bport\s*:\s*(\d{2,5})\b/.exec(args)?.[1]);
      if (host?.[1] !== undefined && isLoop(host[1])) return { file, written, port, fix: `listen({ port, host: "0.0.0.0" }) instead` };
      if (host === null && fastify && !args.includes("..."))
        return { file, written: `${written} (Fastify's default host is localhost)`, port, fix: `listen({ port, host: "0.0.0.0" })` };
      continue;
    }
    const parts = args.split(",").map((s) => s.trim());
    // The host as written, or the string a constant of the file holds (const hostname = "127.0.0.1").
    const named = /^[A-Za-z_$][\w$]*$/.test(parts[1] ?? "")
      ? new RegExp(String.raw`\b(?:const|let|var)\s+${parts[1]}\s*=\s*["'\`]([^"'\`]*)["'\`]`).exec(text)?.[1]
      : undefined;
    const host = /^["'`]([^"'`]*)["'`]$/.exec(parts[1] ?? "")?.[1] ?? named;
    if (host !== undefined && isLoop(host)) return { file, written, port: portOf(parts[0]), fix: `listen(${parts[0]}, "0.0.0.0") instead` };
    // listen(port) or listen(port, callback): a port, not an options object held in a variable.
    const portArg = /^(?:\d{2,5}|[\w.]*port[\w.]*|(?:Number|parseInt)\s*\(.*|process\.env\b.*)$/i.test(parts[0] ?? "");
    if (fastify && portArg && host === undefined && (parts.length === 1 || /^(?:\(|async\b|function\b|\w+\s*=>)/.test(parts[1] ?? "")))
      return {
        file,
        written: `${written} (Fastify's default host is localhost)`,
        port: portOf(parts[0]),
        fix: `listen({ port: ${parts[0]}, host: "0.0.0.0" })`,
      };
  }
  const hono = /\bserve\s*\(\s*\{[^}]*\bhostname\s*:\s*["'](localhost|127\.0\.0\.1|::1)["'][^}]*\}/.exec(text);
  if (hono) return { file, written: hono[0].replace(/\s+/g, " "), port: portOf(/\bport\s*:\s*(\d{2,5})/.exec(hono[0])?.[1]), fix: `hostname: "0.0.0.0"` };
  return undefined;
}

/** Python, for a script run as itself: app.run()/uvicorn.run() on loopback (both their defaults), a socket server or gRPC port on loopback. */
function pythonLoopback(file: string, text: string): Bind | undefined {
  const code = text.replace(/^\s*#.*$/gm, "");
  const flaskApps = new Set([...code.matchAll(/\b(\w+)\s*=\s*(?:Flask|create_app|make_app)\s*\(/g)].map((m) => m[1]!));
  for (const m of code.matchAll(/\b(?:(\w+)\.run|uvicorn\.run|web\.run_app|run_simple)\s*\(/g)) {
    const args = argsAt(code, m.index + m[0].length - 1);
    const host = /\bhost\s*=\s*["']([^"']*)["']/.exec(args)?.[1];
    const port = portOf(/\bport\s*=\s*(\d{2,5})\b/.exec(args)?.[1]);
    const written = `${m[0]}${args.replace(/\s+/g, " ").trim()})`;
    const isUvicorn = m[0].startsWith("uvicorn");
    const isFlaskRun = m[1] !== undefined && flaskApps.has(m[1]);
    if (!isUvicorn && !isFlaskRun && !m[0].startsWith("run_simple")) {
      if (host !== undefined && isLoop(host) && m[0].startsWith("web.")) return { file, written, port, fix: 'host="0.0.0.0"' };
      continue;
    }
    if (host !== undefined && isLoop(host)) return { file, written, port, fix: 'host="0.0.0.0"' };
    if (host === undefined && !/\bhost\s*=/.test(args) && (isUvicorn || isFlaskRun))
      return { file, written: `${written} (${isUvicorn ? "uvicorn" : "Flask"}'s default host is 127.0.0.1)`, port, fix: 'host="0.0.0.0"' };
  }
  const sock = new RegExp(String.raw`\(\s*\(\s*["']${LOOP}["']\s*,\s*(\d{2,5})\s*\)`).exec(code);
  if (sock) return { file, written: sock[0].trim(), port: portOf(sock[1]), fix: `("0.0.0.0", ${sock[1]}) or ("", ${sock[1]})` };
  const grpc = new RegExp(String.raw`add_(?:insecure|secure)_port\(\s*f?["'](${LOOP}):(\d{2,5})["']`).exec(code);
  if (grpc) return { file, written: grpc[0], port: portOf(grpc[2]), fix: `"[::]:${grpc[2]}"` };
  return undefined;
}

/**
 * The loopback bind of a service whose code starts its own listener (Go; Node.js started by node
 * or its start script; Python run as a script), as a refusal with the fix; undefined when none is
 * found or the start command is a server that takes the address from its flags.
 */
export function loopbackRefusal(
  root: string,
  language: string | undefined,
  startCommand: string | undefined,
  files: readonly string[],
  texts: readonly (string | undefined)[],
  servicePort: number | undefined,
  configBind?: { file: string; written: string; host: string; fix: string } | undefined,
): Refusal | undefined {
  let find: ((file: string, text: string) => Bind | undefined) | undefined;
  if (language === "go") find = goLoopback;
  else if (language === "node" && /^(?:(?:npm|yarn|pnpm) (?:run )?start\b|node\b|tsx\b|ts-node\b)/.test(startCommand ?? "")) {
    // The app a file builds with Fastify may be listened on in another file (build() in app.js, listen in server.js).
    const fastify = texts.some((t) => t !== undefined && FASTIFY_IMPORT.test(t));
    find = (file, text) => nodeLoopback(file, text, fastify);
  } else if (language === "python" && /^python3?\s/.test(startCommand ?? "")) find = pythonLoopback;
  if (find === undefined) return undefined;
  // The host a config file gives the server (aiohttp's run_app(host=config['host'])).
  let bind: Bind | undefined =
    configBind !== undefined && isLoop(configBind.host) ? { file: configBind.file, written: configBind.written, fix: configBind.fix } : undefined;
  for (let i = 0; i < files.length && bind === undefined; i++) {
    const t = texts[i];
    if (t === undefined || files[i]!.startsWith(".env")) continue;
    const b = find(files[i]!, t);
    // A side listener on loopback (Go's pprof on localhost:6060, a debug or admin port) beside the
    // service's own port is where it belongs.
    if (b === undefined || (b.port !== undefined && servicePort !== undefined && b.port !== servicePort)) continue;
    if (language === "go" && (b.port === 6060 || /"net\/http\/pprof"/.test(t))) continue;
    bind = b;
  }
  if (bind === undefined) return undefined;
  const port = bind.port ?? servicePort;
  return {
    message: `the service listens on loopback only (${bind.file}: ${bind.written}${port !== undefined ? `, port ${port}` : ""}): in a pod, the kubelet's probes and the Service reach the container on the pod's address, never on its 127.0.0.1, so the probes would never pass and no request would reach it`,
    hint: `nothing was written; bind every interface in ${bind.file} (${bind.fix}), then run the command again. If the address is read from a flag or the environment, say how to start it bound to 0.0.0.0 with \`--start-command "<command>"\`${port !== undefined ? ` (and \`--port ${port}\`)` : ""}`,
    where: path.join(root, bind.file),
    overriddenBy: ["startCommand"],
    unreachable: true,
  };
}

/** A listener's host read from an environment variable with a loopback default. */
export interface EnvHost {
  file: string;
  /** The variable's name (HOST). */
  variable: string;
  /** The loopback default (127.0.0.1). */
  fallback: string;
}

const NODE_ENV = String.raw`process\.env(?:\.([A-Za-z_]\w*)|\[\s*["']([A-Za-z_]\w*)["']\s*\])\s*(?:\|\||\?\?)\s*["'\`](${LOOP})["'\`]`;
const PY_ENV = String.raw`os\.(?:environ\.get|getenv)\(\s*["']([A-Za-z_]\w*)["']\s*,\s*["'](${LOOP})["']\s*\)`;

/**
 * Node.js (`const host = process.env.HOST || "127.0.0.1"` given to listen, `host: process.env.HOST
 * ?? "localhost"`) or Python (`os.environ.get("HOST", "127.0.0.1")` given as host= to app.run,
 * uvicorn.run...): the listener binds loopback unless the variable says otherwise.
 */
export function envHostOf(language: string | undefined, files: readonly string[], texts: readonly (string | undefined)[]): EnvHost | undefined {
  if (language !== "node" && language !== "python") return undefined;
  for (let i = 0; i < files.length; i++) {
    const text = texts[i];
    const file = files[i]!;
    if (text === undefined || file.startsWith(".env")) continue;
    // Only a host given to the listener counts (a database's host read the same way does not).
    const code = language === "node" ? text : text.replace(/^\s*#.*$/gm, "");
    const [callRe, envRe, defRe] =
      language === "node"
        ? [/\.listen\s*\(/g, NODE_ENV, String.raw`\b(?:const|let|var)\s+([A-Za-z_$][\w$]*)\s*=\s*${NODE_ENV}`]
        : [/\b(?:\w+\.run|uvicorn\.run|web\.run_app|run_simple)\s*\(/g, PY_ENV, String.raw`\b([A-Za-z_]\w*)\s*=\s*${PY_ENV}`];
    const defs = [...code.matchAll(new RegExp(defRe, "g"))];
    for (const call of code.matchAll(callRe)) {
      const args = argsAt(code, call.index + call[0].length - 1);
      const inline = new RegExp(language === "node" ? envRe : String.raw`\bhost\s*=\s*${envRe}`).exec(args);
      if (inline) return { file, variable: language === "node" ? (inline[1] ?? inline[2])! : inline[1]!, fallback: inline[language === "node" ? 3 : 2]! };
      for (const d of defs) {
        const v = d[1]!.replace(/\$/g, "\\$");
        const given = language === "node" ? new RegExp(String.raw`(?<![\w$.])${v}(?![\w$])`) : new RegExp(String.raw`\bhost\s*=\s*${v}\b`);
        if (d.index < call.index && given.test(args))
          return language === "node" ? { file, variable: (d[2] ?? d[3])!, fallback: d[4]! } : { file, variable: d[2]!, fallback: d[3]! };
      }
    }
  }
  return undefined;
}

/** A start command that `env NAME=0.0.0.0` can run as the image runs it (yarn and pnpm starts become npm's in the image). */
export const envPrefixable = (language: string | undefined, start: string) =>
  language === "python" ? /^python3?\s/.test(start) : /^(?:node|tsx|ts-node|npm)\b/.test(start);

/** The refusal of a host read from the environment that the start command cannot set. */
export function envHostRefusal(root: string, found: EnvHost, start: string, port: number | undefined): Refusal {
  return {
    message: `the service listens on loopback only unless ${found.variable} says otherwise (${found.file} reads the host from ${found.variable}, ${found.fallback} by default) and its start command "${start}" cannot set it: in a pod, the kubelet's probes and the Service reach the container on the pod's address, never on its 127.0.0.1`,
    hint: `nothing was written; give the command that starts it with \`--start-command "env ${found.variable}=0.0.0.0 <command>"\` (e.g. \`--start-command "env ${found.variable}=0.0.0.0 node <file>"\`)${port !== undefined ? ` and \`--port ${port}\`` : ""}, or make ${found.variable}'s default 0.0.0.0 in ${found.file}`,
    where: path.join(root, found.file),
    overriddenBy: ["startCommand"],
    unreachable: true,
  };
}
