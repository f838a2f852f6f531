/** Go: go.mod, the main package (root or cmd/<name>), files it reads at run time, gRPC. */
import path from "node:path";
import { newFound, put, type Found } from "./found.js";
import { goConfigPort } from "./go-config.js";
import { goGatewayPorts } from "./grpc.js";
import { list, type Listing, type Reader } from "./read.js";
import { managerVersion } from "./tool-versions.js";
import { compareParts } from "./version.js";

/** Top-level folders a Go service commonly reads at run time. */
const ASSET_DIRS = ["templates", "static", "public", "assets", "web", "views", "config", "configs", "configuration", "data", "migrations", "locales", "i18n"];

export async function detectGo(root: string, read: Reader, top: Listing, gomod: string | undefined): Promise<Found> {
  const found = newFound();
  const mod = gomod ?? "";
  const module = /^\s*module\s+"?([^\s"]+)"?/m.exec(mod)?.[1];
  if (module !== undefined) {
    const segments = module.split("/").filter((s) => s !== "" && !/^v\d+$/.test(s));
    found.name = segments[segments.length - 1];
  }
  const toolchain = /^\s*toolchain\s+go(\d+\.\d+)/m.exec(mod)?.[1];
  const goLine = /^\s*go\s+(\d+\.\d+)/m.exec(mod)?.[1];
  // The toolchain line (when newer) names the Go that builds the module.
  if (toolchain !== undefined && (goLine === undefined || compareParts(toolchain.split(".").map(Number), goLine.split(".").map(Number)) > 0)) {
    put(found, "languageVersion", toolchain, `go.mod toolchain go${toolchain}`);
  }
  put(found, "languageVersion", goLine, `go.mod go ${goLine}`);
  // A version manager's pin (.tool-versions, mise.toml) only where go.mod has no go line.
  const manager = found.values.languageVersion === undefined ? await managerVersion(read, top, "go") : undefined;
  put(found, "languageVersion", /^(\d+\.\d+)/.exec(manager?.spec ?? "")?.[1], manager?.from ?? "");

  // The main package: Go files at the root with `package main`, else cmd/<name>.
  const rootGo = [...top.files].filter((f) => f.endsWith(".go") && !f.endsWith("_test.go")).sort((a, b) => rankMain(a) - rankMain(b));
  const rootTexts = await Promise.all(rootGo.slice(0, 12).map(async (f) => [f, (await read(f)) ?? ""] as const));
  const rootMain = rootTexts.filter(([, t]) => /^\s*package\s+main\b/m.test(t));
  let mainFiles: (readonly [string, string])[] = rootMain;
  let bin = found.name ?? path.basename(root);
  if (rootMain.length > 0) {
    put(found, "buildTarget", ".", `${rootMain[0]![0]}: package main at the root`);
  } else if (top.dirs.has("cmd")) {
    const cmds = [...(await list(path.join(root, "cmd"))).dirs].sort().slice(0, 12);
    const scored = await Promise.all(
      cmds.map(async (d) => {
        const files = [...(await list(path.join(root, "cmd", d))).files]
          .filter((f) => f.endsWith(".go") && !f.endsWith("_test.go"))
          .sort((a, b) => rankMain(a) - rankMain(b))
          .slice(0, 6);
        const texts = await Promise.all(files.map(async (f) => [`cmd/${d}/${f}`, (await read(`cmd/${d}/${f}`)) ?? ""] as const));
        const all = texts.map(([, t]) => t).join("\n");
        let score = 0;
        if (
          /ListenAndServe|\.Serve\(|\.Run\(|grpc\.NewServer|net\.Listen|http\.Server|echo\.New|gin\.(?:New|Default)|fiber\.New|chi\.NewRouter|mux\.NewRouter/.test(
            all,
          )
        )
          score += 4;
        if (/\bhttp\b|\bgrpc\b|server|serve/i.test(all)) score += 1;
        if (/(?:server|api|daemon|svc|service|d)$/.test(d)) score += 1;
        // The module's own name is often its command-line client: a weak hint only.
        if (d === found.name) score += 0.5;
        if (/cli|tool|migrat|gen|seed|storybook|admin|bench|example/i.test(d)) score -= 3;
        return { d, score, texts };
      }),
    );
    scored.sort((a, b) => b.score - a.score || a.d.localeCompare(b.d));
    const best = scored[0];
    if (best !== undefined) {
      const others = scored.slice(1).map((s) => s.d);
      put(
        found,
        "buildTarget",
        `./cmd/${best.d}`,
        `cmd/${best.d}${others.length ? ` (chosen over ${others.map((o) => `cmd/${o}`).join(", ")}: it starts a server)` : ""}`,
      );
      mainFiles = best.texts;
      bin = best.d;
    }
  }
  const mainText = mainFiles.map(([, t]) => t).join("\n");
  found.entry = (mainFiles.find(([f]) => /(?:^|\/)main\.go$/.test(f)) ?? mainFiles[0])?.[0];
  if (found.values.buildTarget !== undefined) put(found, "startCommand", `./${bin}`, `the binary built from ${String(found.values.buildTarget)}`);

  // Files read at run time: top-level asset folders named in the main package's string literals,
  // unless they are embedded (//go:embed).
  const embedded = new Set([...mainText.matchAll(/^\/\/go:embed\s+(.+)$/gm)].flatMap((m) => m[1]!.split(/\s+/).map((p) => p.split("/")[0]!)));
  const assets = ASSET_DIRS.filter((d) => top.dirs.has(d) && !embedded.has(d) && new RegExp(`["\`](?:\\./)?${d}(?:/|["\`])`).test(mainText));
  if (assets.length > 0)
    put(found, "runtimeAssets", assets.join(","), `folders the main package opens at run time (${assets.map((a) => `"${a}/"`).join(", ")})`);

  // gRPC: a server registered without an HTTP server beside it.
  const grpcServer = /grpc\.NewServer\(/.test(mainText);
  const httpServer = /ListenAndServe|http\.Server\{|gin\.(?:New|Default)|echo\.New|fiber\.New/.test(mainText);
  if (grpcServer && !httpServer) {
    put(found, "protocol", "grpc", `${mainFiles.find(([, t]) => /grpc\.NewServer\(/.test(t))?.[0]}: grpc.NewServer() and no HTTP server`);
    put(
      found,
      "grpcHealth",
      /grpc\/health|healthpb|grpc_health_v1/.test(mainText),
      /grpc\/health|grpc_health_v1/.test(mainText) ? "registers grpc.health.v1.Health" : "no grpc.health.v1.Health service registered",
    );
  }
  // gin's r.Run() with no address listens on :8080 (or $PORT).
  if (/\.Run\(\s*\)/.test(mainText) && /gin-gonic\/gin/.test(mod)) found.frameworkPort = { port: 8080, from: "gin's Run() default (:8080, or $PORT)" };
  put(found, "testCommand", "go test ./...", "go.mod (the go tool's tests)");
  // Lint: the repository's own golangci-lint configuration, else a Makefile lint target that runs
  // golangci-lint (nothing imposed beside it).
  const golangci = [".golangci.yml", ".golangci.yaml", ".golangci.toml", ".golangci.json"].find((f) => top.files.has(f));
  if (golangci !== undefined) put(found, "lintCommand", "golangci-lint run", `${golangci} (the repository's golangci-lint configuration)`);
  const makefile = top.files.has("Makefile") ? await read("Makefile") : undefined;
  const lintRecipe = /^lint\s*:(?!=)[^\n]*\n((?:\t[^\n]*\n?)*)/m.exec(makefile ?? "")?.[1] ?? "";
  if (/golangci-lint\s+run\b/.test(lintRecipe) && !/--fix\b/.test(lintRecipe))
    put(found, "lintCommand", "golangci-lint run", "Makefile target lint (golangci-lint run)");
  // Routes and ports are read from what the built binary contains: its main package and the
  // module's packages it imports (directly or not), never another main package beside it.
  if (mainFiles.length > 0 && module !== undefined) {
    found.sources = await importClosure(root, read, module, mainFiles);
    found.onlySources = true;
  } else found.sources = [...mainFiles.map(([f]) => f), ...rootGo.filter((f) => !mainFiles.some(([m]) => m === f)).slice(0, 4)];
  // A configuration file in the repository that the code reads (viper, or a path it opens) says
  // more than a default in the code: viper's config file overrides its SetDefault values.
  const sourceTexts = await Promise.all(found.sources.map(async (f) => (await read(f)) ?? ""));
  const config = await goConfigPort(sourceTexts, read);
  if (config !== undefined) put(found, "port", config.port, config.from);
  // A command-line program whose root command only prints its help (cobra without Run, urfave/cli
  // without an Action of the app's own) is started with the subcommand that starts the server.
  if (typeof found.values.startCommand === "string") {
    const dockerfile = top.files.has("Dockerfile") ? await read("Dockerfile") : undefined;
    const sub = subcommandStart(found.sources, sourceTexts, dockerfile);
    if (sub !== undefined) {
      found.values.startCommand = `${found.values.startCommand} ${sub.args}`;
      found.from.startCommand = `${found.from.startCommand}, with ${sub.from}`;
    }
  }
  // A gRPC server with an HTTP gateway on a port of its own: the chart's one Service port and its
  // probes are the HTTP server's (the health route is there); the gRPC port is said, not probed.
  const gateway = goGatewayPorts(found.sources, sourceTexts);
  if (gateway !== undefined) {
    const { http, grpc } = gateway;
    put(
      found,
      "port",
      http.port,
      `${http.file}: the HTTP server (${http.written}) beside the gRPC server on ${grpc.port} (${grpc.file}: ${grpc.written}); the probes and the Service use the HTTP port, the gRPC port is served beside it`,
    );
    // (The main package alone may have looked like a gRPC server: the gateway is in another package.)
    delete found.values.protocol;
    delete found.values.grpcHealth;
    put(found, "protocol", "http", `${http.file}: an HTTP server (${http.written}) beside the gRPC server on ${grpc.port}: probed over HTTP`);
  }
  return found;
}

/**
 * The Go files of a main package and of the module's packages it imports, breadth first (at most
 * 30 packages, 8 files each, 60 files): `import "example.com/shop/internal/http"` is the folder
 * internal/http. Test files are left out.
 */
async function importClosure(root: string, read: Reader, module: string, mainFiles: readonly (readonly [string, string])[]): Promise<string[]> {
  const out = mainFiles.map(([f]) => f);
  const seen = new Set<string>([path.posix.dirname(out[0]!)]);
  let queue = [...mainFiles.map(([, t]) => t)];
  for (let round = 0; round < 8 && queue.length > 0 && seen.size < 30 && out.length < 60; round++) {
    const dirs: string[] = [];
    for (const t of queue) {
      for (const m of t.matchAll(/"([^"\s]+)"/g)) {
        const imp = m[1]!;
        if (!imp.startsWith(`${module}/`)) continue;
        const dir = imp.slice(module.length + 1);
        if (dir.split("/").includes("..") || seen.has(dir) || seen.size >= 30) continue;
        seen.add(dir);
        dirs.push(dir);
      }
    }
    const next: string[] = [];
    const listed = await Promise.all(dirs.map(async (d) => [d, await list(path.join(root, d))] as const));
    for (const [d, l] of listed) {
      const files = [...l.files]
        .filter((f) => f.endsWith(".go") && !f.endsWith("_test.go"))
        .sort()
        .slice(0, 8);
      for (const f of files) {
        if (out.length >= 60) break;
        const rel = `${d}/${f}`;
        const t = await read(rel);
        if (t === undefined) continue;
        out.push(rel);
        next.push(t);
      }
    }
    queue = next;
  }
  return out;
}

function rankMain(f: string): number {
  const i = ["main.go", "server.go", "cmd.go", "app.go"].indexOf(f);
  return i === -1 ? 9 : i;
}

/** The text inside the brace at `open` and its match. */
function braced(text: string, open: number): string {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if (text[i] === "{") depth++;
    else if (text[i] === "}" && --depth === 0) return text.slice(open + 1, i);
  }
  return text.slice(open + 1);
}

/** Subcommand names that start a service. */
const SERVE_COMMANDS = ["serve", "server", "web", "api", "start", "http"];
/** A listener or a server's start, as Go writes it. */
const LISTENS = /ListenAndServe|\.Serve\(|\bnet\.Listen\(|\bgrpc\.NewServer\(|\bNewServer\(|\.Start\(|\.Run\(\s*(?:"[^"]*"|\w+)?\s*\)/;

/**
 * The subcommand a CLI program is started with when its root command does not start the service:
 * cobra (a root command without Run, the one Execute() is called on) or urfave/cli (an app without
 * an Action of its own). An existing Dockerfile's CMD that names one of its subcommands is taken;
 * else the serve/server/web/api/start subcommand whose Run or Action reaches a listener (itself,
 * or a function it calls).
 */
function subcommandStart(files: readonly string[], texts: readonly string[], dockerfile: string | undefined): { args: string; from: string } | undefined {
  const code = texts.map((t) => t.replace(/^\s*\/\/.*$/gm, ""));
  const all = code.join("\n");
  /** The body, or the body of a function it calls or names, starts a listener. */
  const reaches = (body: string): boolean => {
    if (LISTENS.test(body)) return true;
    const names = new Set([...body.matchAll(/\b(\w+)\s*\(/g), ...body.matchAll(/\b(?:Action|RunE?)\s*:\s*(\w+)\s*[,}\n]/g)].map((m) => m[1]!));
    for (const n of names) {
      const def = new RegExp(String.raw`\bfunc\s+(?:\([^)]*\)\s*)?${n}\s*\([^{]*\{`).exec(all);
      if (def && LISTENS.test(braced(all, def.index + def[0].length - 1))) return true;
    }
    return false;
  };
  const commands: { name: string; file: string; runs: boolean; body: string; v?: string | undefined; kind: string }[] = [];
  let rootRuns: boolean | undefined;
  let rootName: string | undefined;
  code.forEach((t, i) => {
    for (const m of t.matchAll(/(?:\b(\w+)\s*(?::=|=)\s*)?&?cobra\.Command\s*\{/g)) {
      const body = braced(t, m.index + m[0].length - 1);
      const name = /\bUse\s*:\s*"([\w-]+)/.exec(body)?.[1];
      if (name !== undefined) commands.push({ name, file: files[i]!, runs: /\bRunE?\s*:/.test(body), body, v: m[1], kind: "cobra" });
    }
  });
  const executed = new Set([...all.matchAll(/\b(\w+)\.Execute(?:C|Context)?\s*\(/g)].map((m) => m[1]!));
  const root = commands.find((c) => c.v !== undefined && executed.has(c.v));
  if (root !== undefined) {
    rootRuns = root.runs;
    rootName = `the root command ${root.name} (${root.file})`;
  } else if (/urfave\/cli/.test(all)) {
    code.forEach((t, i) => {
      const app = /&cli\.(?:App|Command)\s*\{/.exec(t);
      if (app === null || rootRuns !== undefined) return;
      const body = braced(t, app.index + app[0].length - 1);
      const at = /\bCommands\s*:\s*\[\]\*?cli\.Command\s*\{/.exec(body);
      if (at === null) return;
      const list = braced(body, at.index + at[0].length - 1);
      const own = body.slice(0, at.index) + body.slice(at.index + at[0].length + list.length + 1);
      rootRuns = /\bAction\s*:/.test(own);
      rootName = `the app (${files[i]})`;
      const names = [...list.matchAll(/\bName\s*:\s*"([\w-]+)"/g)];
      names.forEach((n, k) => {
        const entry = list.slice(n.index, names[k + 1]?.index ?? list.length);
        commands.push({ name: n[1]!, file: files[i]!, runs: /\bAction\s*:/.test(entry), body: entry, kind: "urfave/cli" });
      });
    });
  }
  if (rootRuns !== false) return undefined;
  const subs = commands.filter((c) => c !== root && c.runs);
  // An existing Dockerfile's CMD (after its ENTRYPOINT's binary) that names a subcommand.
  const exec = (kw: string): string[] | undefined => {
    const line = [...(dockerfile ?? "").matchAll(new RegExp(`^\\s*${kw}\\s+(.+)$`, "gim"))].pop()?.[1]?.trim();
    if (line === undefined) return undefined;
    if (line.startsWith("[")) {
      try {
        const arr: unknown = JSON.parse(line);
        return Array.isArray(arr) && arr.every((x) => typeof x === "string") ? (arr as string[]) : undefined;
      } catch {
        return undefined;
      }
    }
    return /[;&|$`]/.test(line) ? undefined : line.split(/\s+/);
  };
  const ep = exec("ENTRYPOINT");
  const tokens = [...(ep ?? []), ...(exec("CMD") ?? [])];
  const args = tokens.slice(1);
  // The subcommand words, up to the first flag or path (a flag's value may be the image's own file).
  const firstOther = args.findIndex((a) => !/^[a-z][\w-]*$/.test(a));
  const words = firstOther === -1 ? args : args.slice(0, firstOther);
  if (tokens.length > 1 && !/^(?:\/bin\/)?(?:ba)?sh$/.test(tokens[0]!) && words.length > 0 && subs.some((c) => c.name === words[0])) {
    return {
      args: words.join(" "),
      from: `the Dockerfile's ${ep ? "ENTRYPOINT and CMD" : "CMD"} (${tokens.join(" ")}): ${rootName} has no ${root ? "Run" : "Action"} (it prints its help)`,
    };
  }
  for (const name of SERVE_COMMANDS) {
    const c = subs.find((x) => x.name === name && reaches(x.body));
    if (c !== undefined)
      return {
        args: c.name,
        from: `${c.file}: the ${c.kind} command "${c.name}" starts the server; ${rootName} has no ${root ? "Run" : "Action"} (it prints its help)`,
      };
  }
  return undefined;
}
