/**
 * gRPC servers beside what the language readers find: a Python grpcio server (grpc.server() with
 * add_insecure_port), and a Go service serving gRPC and an HTTP gateway on ports of their own.
 */

/** The literal or default port of a listen address ("[::]:50051", f"[::]:{port}" with port = 50051). */
function addressPort(addr: string, text: string): number | undefined {
  const lit = /:(\d{2,5})$/.exec(addr)?.[1];
  if (lit !== undefined) return Number(lit);
  // f"[::]:{port}", "[::]:" + port, "[::]:%s" % port: the variable's default in the same file.
  const v = /\{(\w+)\}$|\+\s*(?:str\()?(\w+)\)?$/.exec(addr);
  const name = v?.[1] ?? v?.[2];
  if (name === undefined) return undefined;
  const def = new RegExp(
    String.raw`\b${name}\s*=\s*(?:int\(\s*)?(?:os\.environ\.get|os\.getenv)\(\s*["'][A-Z_]*PORT["']\s*,\s*["']?(\d{2,5})|\b${name}\s*=\s*["']?(\d{2,5})\b|\b${name}\s*:\s*int\s*=\s*(\d{2,5})\b`,
  ).exec(text);
  const n = def?.[1] ?? def?.[2] ?? def?.[3];
  return n === undefined ? undefined : Number(n);
}

/** A Python gRPC server (grpcio): where, its port, whether it serves grpc.health.v1.Health. */
export function pythonGrpcServer(
  files: readonly string[],
  texts: readonly (string | undefined)[],
): { file: string; port?: number | undefined; written?: string | undefined; health: boolean } | undefined {
  for (let i = 0; i < files.length; i++) {
    const t = texts[i];
    if (t === undefined || !/\bgrpc\.(?:aio\.)?server\s*\(/.test(t)) continue;
    const add = /\.add_(?:insecure|secure)_port\(\s*(f?["'][^"']*["'](?:\s*(?:\+|%)\s*(?:str\()?\w+\)?)?|\w+)/.exec(t);
    let port: number | undefined;
    if (add !== undefined && add !== null) {
      const arg = add[1]!;
      const literal = /^f?["']([^"']*)["']\s*(?:(?:\+|%)\s*(?:str\()?(\w+)\)?)?$/.exec(arg);
      port = literal ? addressPort(literal[2] !== undefined ? `${literal[1]}{${literal[2]}}`.replace(/%s\{/, "{") : literal[1]!, t) : undefined;
    }
    const all = texts.filter((x): x is string => x !== undefined).join("\n");
    const health = /\badd_HealthServicer_to_server\s*\(|\bgrpc_health\.v1\b/.test(all);
    return { file: files[i]!, port, written: add?.[0], health };
  }
  return undefined;
}

/**
 * A plain Java gRPC server (io.grpc): `ServerBuilder.forPort(port)` (or NettyServerBuilder's,
 * `Grpc.newServerBuilderForPort(port, ...)`), its port (a literal, or the variable or constant it
 * is given, with an environment variable's fallback such as `getOrDefault("PORT", "9555")`), and
 * whether it adds grpc.health.v1.Health (grpc-services' HealthStatusManager).
 */
export function javaGrpcServer(
  files: readonly string[],
  texts: readonly (string | undefined)[],
): { file: string; port?: number | undefined; written: string; health: boolean } | undefined {
  const code = (t: string) => t.replace(/\/\*[\s\S]*?\*\//g, "").replace(/^\s*\/\/.*$/gm, "");
  for (let i = 0; i < files.length; i++) {
    const t = texts[i];
    if (t === undefined || !/\.(?:java|kt)$/.test(files[i]!)) continue;
    const c = code(t);
    const m = /\b(?:(?:Netty)?ServerBuilder\s*\.\s*forPort|Grpc\s*\.\s*newServerBuilderForPort)\s*\(\s*([\w.]+)/.exec(c);
    if (m === null) continue;
    const arg = m[1]!;
    let port: number | undefined;
    let written = `${m[0].replace(/\s+/g, "")})`;
    if (/^\d{2,5}$/.test(arg)) port = Number(arg);
    else {
      // The variable's or constant's value in the same file (the last number of its expression: a
      // literal, or an environment variable's fallback).
      const name = arg.split(".").pop()!;
      const def = new RegExp(String.raw`\b${name}\s*=\s*([^;]+);`).exec(c);
      const n = def ? [...def[1]!.matchAll(/["']?\b(\d{2,5})\b["']?/g)].pop()?.[1] : undefined;
      if (n !== undefined) {
        port = Number(n);
        written = `${written} with ${def![0].replace(/\s+/g, " ").trim()}`;
      }
    }
    const all = texts
      .filter((x): x is string => x !== undefined)
      .map(code)
      .join("\n");
    const health = /\bHealthStatusManager\b[\s\S]*\.getHealthService\s*\(|\bHealthGrpc\s*\.\s*HealthImplBase\b/.test(all);
    return { file: files[i]!, port: port !== undefined && port >= 1 && port <= 65535 ? port : undefined, written, health };
  }
  return undefined;
}

import { goMetricsListener } from "./metrics.js";

/** A listen address (":8080", "0.0.0.0:8080") or a port number, as written in Go. */
const GO_ADDR = String.raw`"[\w.\[\]:-]*:(\d{2,5})"`;

interface GoPort {
  port: number;
  file: string;
  written: string;
}

/** The port of an address a Go variable or constant holds (name := "0.0.0.0:9090", name = flag.String("addr", ":8080", ...)). */
function heldPort(text: string, name: string): { port: number; written: string } | undefined {
  const code = text.replace(/^\s*\/\/.*$/gm, "");
  const m = new RegExp(String.raw`\b${name}\s*(?::=|=)\s*(?:flag\.String\(\s*"[^"]*"\s*,\s*)?${GO_ADDR}`).exec(code);
  if (m) return { port: Number(m[1]), written: m[0].replace(/\s+/g, " ").trim() };
  // gatewayAddr := "0.0.0.0:" + port, with port's default in the same file (port = "11000").
  const joined = new RegExp(String.raw`\b${name}\s*(?::=|=)\s*"[\w.\[\]:-]*:"\s*\+\s*(\w+)\b`).exec(code);
  const part = joined?.[1];
  if (part === undefined) return undefined;
  const def = new RegExp(String.raw`\b${part}\s*(?::=|=)\s*"(\d{2,5})"`).exec(code);
  return def ? { port: Number(def[1]), written: `${joined![0].replace(/\s+/g, " ").trim()} with ${def[0].replace(/\s+/g, " ").trim()}` } : undefined;
}

/** The first match of `patterns` over the files, in order of the patterns (a named group v: a variable holding the address). */
function firstPort(files: readonly string[], texts: readonly string[], patterns: RegExp[]): GoPort | undefined {
  for (const re of patterns) {
    for (let i = 0; i < files.length; i++) {
      const m = re.exec(texts[i]!.replace(/^\s*\/\/.*$/gm, ""));
      if (m) {
        // An address held in a variable or constant (addr := "0.0.0.0:10000"; Addr: gatewayAddr): its value.
        const v = m.groups?.v;
        const held = v === undefined ? undefined : (heldPort(texts[i]!, v) ?? texts.map((t) => heldPort(t, v)).find((x) => x !== undefined));
        if (v !== undefined && held === undefined) continue;
        const port = held?.port ?? Number(m.slice(1).find((g) => g !== undefined));
        let written = m[0].replace(/\s+/g, " ").trim();
        written = written.replace(/\s*[,}\n]$/, "");
        if ((written.match(/\(/g)?.length ?? 0) > (written.match(/\)/g)?.length ?? 0)) written += ")";
        if (held !== undefined) written = `${written} with ${held.written}`;
        if (port >= 1 && port <= 65535) return { port, file: files[i]!, written };
      }
    }
  }
  return undefined;
}

/**
 * A Go service with a gRPC server and an HTTP server (a grpc-gateway, or a health and JSON front
 * of its own) on ports of their own: the HTTP server's port (its listen address, an http.Server's
 * Addr, or a flag, variable or environment default named for HTTP or the gateway) and the gRPC
 * server's (net.Listen's address, or one named for gRPC). Undefined unless both are found and differ.
 */
export function goGatewayPorts(files: readonly string[], texts: readonly string[]): { http: GoPort; grpc: GoPort } | undefined {
  const all = texts.join("\n");
  if (!/\bgrpc\.NewServer\s*\(/.test(all) || !/ListenAndServe|http\.Server\s*\{|gin\.(?:New|Default)|echo\.New|fiber\.New|runtime\.NewServeMux/.test(all))
    return undefined;
  const name = (words: string) =>
    new RegExp(
      String.raw`(?:\b\w*(?:${words})\w*(?:Addr|Address|Port|Listen)\w*\s*(?::?=|=)\s*(?:${GO_ADDR}|(\d{2,5})\b)|"(?:${words})[-_.]?(?:addr|address|port|listen)"\s*,\s*(?:${GO_ADDR}|(\d{2,5})\b)|"(?:${words.toUpperCase()})_(?:ADDR|ADDRESS|PORT)"\s*\)?\s*,\s*(?:${GO_ADDR}|(\d{2,5})\b))`,
      "i",
    );
  const http = firstPort(files, texts, [
    new RegExp(String.raw`\bhttp\.Server\s*\{[^}]*?\bAddr\s*:\s*${GO_ADDR}`),
    new RegExp(String.raw`\bListenAndServe(?:TLS)?\s*\(\s*${GO_ADDR}`),
    new RegExp(String.raw`\.(?:Run|Start|Listen)\s*\(\s*${GO_ADDR}`),
    name("http|gateway|gw|rest|web"),
    /\bhttp\.Server\s*\{[^}]*?\bAddr\s*:\s*(?<v>\w+)\s*[,}\n]/,
    /\bListenAndServe(?:TLS)?\s*\(\s*(?<v>\w+)\s*[,)]/,
  ]);
  const grpc = firstPort(files, texts, [
    new RegExp(String.raw`\bnet\.Listen\s*\(\s*"tcp[46]?"\s*,\s*${GO_ADDR}`),
    name("grpc|rpc"),
    /\bnet\.Listen\s*\(\s*"tcp[46]?"\s*,\s*(?<v>\w+)\s*\)/,
  ]);
  if (http === undefined || grpc === undefined || http.port === grpc.port) return undefined;
  // An HTTP listener that serves only the metrics (promhttp) or a debug endpoint is no gateway.
  if (/metric|prom|pprof|debug/i.test(http.written) || texts.some((t) => goMetricsListener(t)?.port === http.port)) return undefined;
  return { http, grpc };
}
