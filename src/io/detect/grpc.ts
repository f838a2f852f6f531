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
