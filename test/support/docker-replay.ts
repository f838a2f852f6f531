/**
 * Replays the build stages of a generated Dockerfile without a container engine: the build
 * context is copied as BuildKit would send it (the Dockerfile's own <Dockerfile>.dockerignore,
 * else the context's .dockerignore, with Docker's matching: `**`, `*`, `?`, `!` exceptions, a
 * pattern matching a folder excludes what is inside), then each stage's WORKDIR, COPY and RUN
 * steps run in a folder standing in for the stage's file system (absolute paths the commands use
 * are rewritten into it). RUN steps of stages listed in `skipRunIn` (the runtime stage's apt-get
 * and useradd) are not run; COPY --from copies between the stand-ins. What the build would see is
 * what the commands see, so a file the build needs but the context lacks fails here as it would
 * in the image build.
 */
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";

export interface ReplayResult {
  ok: boolean;
  /** The step that failed, with its output. */
  failure?: string;
  /** Stand-in root folder of each stage, by stage name. */
  stages: Map<string, string>;
  /** The last WORKDIR of each stage (inside its stand-in). */
  workdirs: Map<string, string>;
  /** Relative paths of the files that went into the build context. */
  contextFiles: string[];
}

function patternRe(p: string): RegExp {
  let re = "";
  for (let i = 0; i < p.length; i++) {
    const c = p[i]!;
    if (c === "*" && p[i + 1] === "*") {
      // "**/" matches any number of folders (none included); a trailing "**" anything.
      if (p[i + 2] === "/") {
        re += "(?:.*/)?";
        i += 2;
      } else {
        re += ".*";
        i += 1;
      }
    } else if (c === "*") re += "[^/]*";
    else if (c === "?") re += "[^/]";
    else re += c.replace(/[.+^${}()|[\]\\]/g, "\\$&");
  }
  return new RegExp(`^${re}$`);
}

/** Docker's .dockerignore: the last matching pattern wins; a match of a parent folder counts. */
export function ignoreMatcher(text: string): (rel: string) => boolean {
  const rules = text
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l !== "" && !l.startsWith("#"))
    .map((l) => {
      const negate = l.startsWith("!");
      const body = (negate ? l.slice(1) : l).trim().replace(/^\/+/, "").replace(/\/+$/, "");
      return { negate, re: patternRe(body) };
    });
  return (rel) => {
    const parts = rel.split("/");
    let ignored = false;
    for (const r of rules) {
      for (let n = 1; n <= parts.length; n++) {
        if (r.re.test(parts.slice(0, n).join("/"))) {
          ignored = !r.negate;
          break;
        }
      }
    }
    return ignored;
  };
}

function copyContext(from: string, to: string, ignored: (rel: string) => boolean): string[] {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const full = join(dir, e.name);
      const rel = relative(from, full).split("\\").join("/");
      if (ignored(rel)) continue;
      if (e.isDirectory()) walk(full);
      else {
        mkdirSync(dirname(join(to, rel)), { recursive: true });
        cpSync(full, join(to, rel), { verbatimSymlinks: true });
        files.push(rel);
      }
    }
  };
  mkdirSync(to, { recursive: true });
  walk(from);
  return files.sort();
}

/** Joined Dockerfile instructions (continuation lines folded), comments and parser directives dropped. */
function instructions(dockerfile: string): string[] {
  const out: string[] = [];
  let cur = "";
  for (const raw of dockerfile.split("\n")) {
    if (cur === "" && /^\s*#/.test(raw)) continue;
    if (raw.trimEnd().endsWith("\\")) cur += `${raw.trimEnd().slice(0, -1)} `;
    else {
      cur += raw;
      if (cur.trim()) out.push(cur.trim());
      cur = "";
    }
  }
  return out;
}

export function replayDockerBuild(opts: {
  context: string;
  dockerfile: string;
  work: string;
  skipRunIn?: string[];
  env?: Record<string, string>;
}): ReplayResult {
  const dfText = readFileSync(opts.dockerfile, "utf8");
  const ignoreFile = existsSync(`${opts.dockerfile}.dockerignore`) ? `${opts.dockerfile}.dockerignore` : join(opts.context, ".dockerignore");
  const ignored = existsSync(ignoreFile) ? ignoreMatcher(readFileSync(ignoreFile, "utf8")) : () => false;
  const ctx = join(opts.work, "context");
  const contextFiles = copyContext(opts.context, ctx, ignored);
  const stages = new Map<string, string>();
  const workdirs = new Map<string, string>();
  const args = new Map<string, string>();
  let stage = "";
  let root = "";
  let wd = "/";
  let env: Record<string, string> = {};
  const sub = (s: string) => s.replace(/\$\{(\w+)\}|\$(\w+)/g, (m, a: string, b: string) => args.get(a ?? b) ?? env[a ?? b] ?? m);
  const inRoot = (p: string) => join(root, p.startsWith("/") ? p : join(wd, p));
  const fail = (what: string, out: string): ReplayResult => ({ ok: false, failure: `${what}\n${out}`, stages, workdirs, contextFiles });
  for (const ins of instructions(dfText)) {
    const [op, ...restParts] = ins.split(/\s+/);
    const rest = ins.slice(op!.length).trim();
    switch (op!.toUpperCase()) {
      case "ARG": {
        const [k, v] = rest.split("=");
        if (v !== undefined && !args.has(k!)) args.set(k!, v);
        break;
      }
      case "FROM": {
        stage = /\bAS\s+(\S+)$/i.exec(rest)?.[1] ?? String(stages.size);
        root = join(opts.work, `stage-${stage}`);
        mkdirSync(root, { recursive: true });
        stages.set(stage, root);
        wd = "/";
        env = {};
        break;
      }
      case "WORKDIR":
        wd = sub(rest).startsWith("/") ? sub(rest) : join(wd, sub(rest));
        mkdirSync(join(root, wd), { recursive: true });
        workdirs.set(stage, join(root, wd));
        break;
      case "ENV": {
        for (const m of rest.matchAll(/(\w+)=("[^"]*"|\S+)/g)) env[m[1]!] = sub(m[2]!.replace(/^"|"$/g, ""));
        break;
      }
      case "COPY": {
        const flags = restParts.filter((p) => p.startsWith("--"));
        const paths = restParts.filter((p) => !p.startsWith("--"));
        const dest = paths.pop()!;
        const from = flags.find((f) => f.startsWith("--from="))?.slice("--from=".length);
        const srcRoot = from !== undefined ? stages.get(from) : ctx;
        if (srcRoot === undefined) return fail(`COPY from unknown stage ${from}`, "");
        const target = inRoot(sub(dest));
        for (const p of paths) {
          // A glob source (package*.json, go.sum*) copies what matches; a missing plain one fails.
          const full = from !== undefined ? join(srcRoot, p) : join(srcRoot, p);
          if (/[*?]/.test(p)) {
            const dir = dirname(full);
            const re = patternRe(p.split("/").pop()!);
            const hits = existsSync(dir) ? readdirSync(dir).filter((n) => re.test(n)) : [];
            for (const h of hits) cpSync(join(dir, h), join(target, h), { recursive: true, verbatimSymlinks: true });
            continue;
          }
          if (!existsSync(full)) return fail(`${ins}: '${p}' is not in the build context`, "");
          if (lstatSync(full).isDirectory()) {
            mkdirSync(target, { recursive: true });
            cpSync(full, target, { recursive: true, verbatimSymlinks: true });
          } else {
            const file = dest.endsWith("/") || (existsSync(target) && lstatSync(target).isDirectory()) ? join(target, p.split("/").pop()!) : target;
            mkdirSync(dirname(file), { recursive: true });
            cpSync(full, file, { verbatimSymlinks: true });
          }
        }
        break;
      }
      case "RUN": {
        if (opts.skipRunIn?.includes(stage)) break;
        let cmd = sub(rest.replace(/--mount=\S+\s*/g, "").trim());
        // Absolute paths of the image are rewritten into the stage's stand-in folder.
        cmd = cmd.replace(/(^|[\s=;&|(])\/(out|src|app|opt)(?=\/|\s|$|;|&|\))/g, (_m, pre: string, d: string) => `${pre}${root}/${d}`);
        const r = spawnSync("sh", ["-c", cmd], {
          cwd: join(root, wd),
          encoding: "utf8",
          env: { ...process.env, ...env, ...opts.env },
          timeout: 600_000,
        });
        if (r.status !== 0) return fail(`RUN ${cmd} (exit ${r.status})`, `${r.stdout}\n${r.stderr}`);
        break;
      }
      default:
        break; // EXPOSE, USER, HEALTHCHECK, ENTRYPOINT, CMD, LABEL: nothing to build
    }
  }
  return { ok: true, stages, workdirs, contextFiles };
}
