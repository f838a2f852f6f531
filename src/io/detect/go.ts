/** Go: go.mod, the main package (root or cmd/<name>), files it reads at run time, gRPC. */
import path from "node:path";
import { newFound, put, type Found } from "./found.js";
import { list, type Listing, type Reader } from "./read.js";
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
  found.sources = [...mainFiles.map(([f]) => f), ...rootGo.filter((f) => !mainFiles.some(([m]) => m === f)).slice(0, 4)];
  return found;
}

function rankMain(f: string): number {
  const i = ["main.go", "server.go", "cmd.go", "app.go"].indexOf(f);
  return i === -1 ? 9 : i;
}
