/** Python: pyproject.toml / setup.py / Pipfile, lockfiles, version pins, Procfile and the app entry point. */
import path from "node:path";
import { newFound, put, type Found } from "./found.js";
import { declaredDependencies, requirementsIn } from "./pyproject.js";
import { argsAt } from "./loopback.js";
import { list, type Listing, type Reader } from "./read.js";
import { managerVersion } from "./tool-versions.js";
import { lowerBound, pickVersion, satisfies } from "./version.js";
import { walk } from "./walk.js";

/** Python releases to build with, most preferred first (wide wheel coverage first). */
export const PYTHON_SUPPORTED = ["3.12", "3.13", "3.11", "3.14", "3.10"] as const;

/** `key = "value"` pairs of one TOML table (only single-line strings). */
export function tomlTable(text: string | undefined, table: string): Map<string, string> {
  const out = new Map<string, string>();
  if (text === undefined) return out;
  let inside = false;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    const header = /^\[\s*([^[\]]+?)\s*\]\s*(?:#.*)?$/.exec(line);
    if (header) {
      inside = header[1] === table;
      continue;
    }
    if (line.startsWith("[[")) {
      inside = false;
      continue;
    }
    if (!inside) continue;
    const kv = /^["']?([A-Za-z0-9_.-]+)["']?\s*=\s*(?:"([^"]*)"|'([^']*)')/.exec(line);
    if (kv?.[1] !== undefined) out.set(kv[1], kv[2] ?? kv[3] ?? "");
  }
  return out;
}

/** ">=3.12" → "3.12", "3.12.4" → "3.12", "^3.11" → "3.11", ">=3.9,<4" → "3.9" (the lower bound). */
export function majorMinor(spec: string | undefined): string | undefined {
  if (spec === undefined) return undefined;
  const parts = lowerBound(spec.trim().replace(/^(?:python|pypy|cpython)-?/i, ""));
  if (parts === undefined || parts.length < 2) return undefined;
  return `${parts[0]}.${parts[1]}`;
}

/** An exact pin as it is (major.minor); a range the most preferred supported release it allows. */
export function pythonVersionFor(spec: string | undefined): string | undefined {
  if (spec === undefined) return undefined;
  const s = spec
    .trim()
    .replace(/^(?:python|pypy|cpython)-?/i, "")
    .replace(/^["']|["']$/g, "");
  if (/^\d+\.\d+(?:\.\d+)?$/.test(s)) return majorMinor(s);
  if (s === "" || s === "*") return undefined;
  return pickVersion(s, PYTHON_SUPPORTED, 2);
}

export async function detectPython(root: string, read: Reader, top: Listing, pyproject: string | undefined, dockerfile: string | undefined): Promise<Found> {
  const project = tomlTable(pyproject, "project");
  const poetry = tomlTable(pyproject, "tool.poetry");
  const found = newFound();
  const has = (f: string) => top.files.has(f);

  let name = project.get("name") ?? poetry.get("name");
  if (name === undefined && has("setup.py")) name = /\bname\s*=\s*["']([^"']+)["']/.exec((await read("setup.py")) ?? "")?.[1];
  if (name === undefined && has("setup.cfg")) name = /^\[metadata\][^[]*?^name\s*=\s*([\w.-]+)/m.exec((await read("setup.cfg")) ?? "")?.[1];
  if (name !== undefined) found.name = name;

  const [pipfile, procfile, reqs, reqsDev, makefile, runtime, pyver, setupCfg, toxIni, pytestIni] = await Promise.all(
    ["Pipfile", "Procfile", "requirements.txt", "requirements-dev.txt", "Makefile", "runtime.txt", ".python-version", "setup.cfg", "tox.ini", "pytest.ini"].map(
      (f) => (has(f) ? read(f) : Promise.resolve(undefined)),
    ),
  );
  // requirements/ folder (requirements/base.txt, prod.txt, dev.txt ...)
  const reqDir = top.dirs.has("requirements") ? [...(await list(path.join(root, "requirements"))).files].filter((f) => f.endsWith(".txt")).slice(0, 6) : [];
  const reqDirTexts = await Promise.all(reqDir.map((f) => read(`requirements/${f}`)));
  // What runs in the image (requirements.txt, a production requirements file, the project's
  // dependencies, Pipfile [packages]) and what only CI installs (dev files, extras, groups).
  const declared = declaredDependencies(pyproject, pipfile);
  const runtimeDeps = new Set([...requirementsIn(reqs), ...declared.runtime]);
  const devDeps = new Set([...requirementsIn(reqsDev), ...declared.dev]);
  reqDir.forEach((f, i) => {
    const into = /^(?:dev|devel|development|test|tests|testing|lint|ci|local|docs?)[\w-]*\.txt$/.test(f) ? devDeps : runtimeDeps;
    for (const d of requirementsIn(reqDirTexts[i])) into.add(d);
  });
  const deps = new Set([...runtimeDeps, ...devDeps]);

  // Package manager: the lockfile (requirements files win over a Pipfile: they are what is installed).
  if (has("uv.lock")) put(found, "packageManager", "uv", "uv.lock");
  else if (has("poetry.lock") || (poetry.size > 0 && !project.has("dependencies")))
    put(found, "packageManager", "poetry", has("poetry.lock") ? "poetry.lock" : "pyproject.toml [tool.poetry]");
  else if ((has("Pipfile.lock") || has("Pipfile")) && reqs === undefined && reqDir.length === 0)
    put(found, "packageManager", "pipenv", has("Pipfile.lock") ? "Pipfile.lock" : "Pipfile");
  else
    put(
      found,
      "packageManager",
      "pip",
      reqs !== undefined
        ? "requirements.txt"
        : reqDir.length
          ? `requirements/${reqDir[0]}`
          : pyproject !== undefined
            ? "pyproject.toml (no lockfile)"
            : "no lockfile",
    );
  const pm = String(found.values.packageManager);
  const via = (cmd: string) => (pm === "uv" ? `uv run ${cmd}` : pm === "poetry" ? `poetry run ${cmd}` : pm === "pipenv" ? `pipenv run ${cmd}` : cmd);

  // Version: pins first, then ranges (a supported release inside them), then an existing image.
  const pinned = pyver
    ?.split(/\r?\n/)
    .map((l) => l.trim())
    .find((l) => /^\d+\.\d+/.test(l));
  const pipfileVersion = /^\s*python_(?:full_)?version\s*=\s*["']([\d.]+)["']/m.exec(pipfile ?? "")?.[1];
  const requires = project.get("requires-python");
  const poetryPython = tomlTable(pyproject, "tool.poetry.dependencies").get("python");
  const image = /^\s*FROM\s+(?:--platform=\S+\s+)?(?:docker\.io\/)?(?:library\/)?python:(\d+\.\d+)/im.exec(dockerfile ?? "")?.[1];
  put(found, "languageVersion", pythonVersionFor(pinned), `.python-version "${pinned}"`);
  put(found, "languageVersion", pythonVersionFor(runtime?.trim()), `runtime.txt "${runtime?.trim()}"`);
  put(found, "languageVersion", pythonVersionFor(pipfileVersion), `Pipfile python_version "${pipfileVersion}"`);
  // A version manager's pin (.tool-versions, mise.toml) after Python's own pins, before ranges and an image.
  const manager = await managerVersion(read, top, "python");
  put(found, "languageVersion", pythonVersionFor(manager?.spec), manager?.from ?? "");
  // The repository's own image pin says which release it runs on; a range says only what it
  // allows (its floor is rarely what runs). The image is taken when the ranges allow it.
  const ranges: [string, string][] = [
    [requires ?? "", `pyproject.toml requires-python "${requires}"`],
    [poetryPython ?? "", `pyproject.toml [tool.poetry.dependencies] python "${poetryPython}"`],
  ].filter(([r]) => r.trim() !== "" && r.trim() !== "*") as [string, string][];
  const imageParts = image?.split(".").map(Number);
  if (image !== undefined && imageParts !== undefined && ranges.every(([r]) => satisfies(imageParts, r.replace(/^["']|["']$/g, ""))))
    put(
      found,
      "languageVersion",
      pythonVersionFor(image),
      `Dockerfile FROM python:${image}${ranges.length ? ` (within ${ranges.map(([, w]) => w).join(" and ")})` : ""}`,
    );
  put(found, "languageVersion", pythonVersionFor(requires), `pyproject.toml requires-python "${requires}" (the preferred supported release it allows)`);
  put(found, "languageVersion", pythonVersionFor(poetryPython), `pyproject.toml [tool.poetry.dependencies] python "${poetryPython}"`);
  put(found, "languageVersion", pythonVersionFor(image), `Dockerfile FROM python:${image}`);

  // Entry point.
  const pkgDir = found.name?.replace(/-/g, "_").toLowerCase();
  const sources = await walk(root, ["."], /\.py$/, { maxDepth: 3, maxFiles: 40 });
  const texts = new Map<string, string>();
  await Promise.all(
    sources.slice(0, 40).map(async (f) => {
      const t = await read(f);
      if (t !== undefined) texts.set(f, t);
    }),
  );
  const modOf = (f: string) =>
    f
      .replace(/\.py$/, "")
      .replace(/\/__init__$/, "")
      .replace(/\//g, ".");
  /** Is `mod` (dotted) a module of the repository, at the root or under src/ (or `dir`)? */
  const moduleAt = async (mod: string, dir?: string): Promise<string | undefined> => {
    const rel = mod.replace(/\./g, "/");
    for (const base of dir !== undefined ? [dir] : [".", "src"]) {
      for (const f of [`${rel}.py`, `${rel}/__init__.py`]) {
        const p = base === "." ? f : `${base.replace(/\/+$/, "")}/${f}`;
        if (texts.has(p) || (await read(p)) !== undefined) return base;
      }
    }
    return undefined;
  };
  const hasDep = (d: string) => deps.has(d);
  // A server must be installed in the image: the runtime dependencies decide when there are any.
  const hasServer = (d: string) => (runtimeDeps.size > 0 ? runtimeDeps.has(d) : deps.has(d));

  const web = procfile === undefined ? undefined : /^web:\s*(.+?)\s*$/m.exec(procfile)?.[1];
  if (web !== undefined) {
    // Heroku style "migrate, then serve" (`flask db upgrade; gunicorn app:app`): the server is the
    // last command; only it is bound to every interface and $PORT, the earlier ones run first.
    const parts = chainParts(web).map((c) => c.replace(/^exec\s+/, ""));
    const last = parts[parts.length - 1] ?? "";
    const norm = /^(?:uvicorn|hypercorn|granian|fastapi|flask)\b/.test(last) ? serverCommand(last) : undefined;
    const changed = [...(norm?.changed ?? []), ...(parts.length > 1 && /;/.test(web.replace(/&&/g, "")) ? ["&& instead of ;"] : [])];
    const line = [...parts.slice(0, -1), norm !== undefined && norm.changed.length > 0 ? norm.cmd : last].join(" && ");
    put(found, "startCommand", line, changed.length > 0 ? `Procfile web (${changed.join("; ")})` : "Procfile web");
  }
  const dockerCmd = dockerCommand(dockerfile);
  if (dockerCmd !== undefined && /\b(?:gunicorn|uvicorn|uwsgi|fastapi|hypercorn|daphne|granian|python|flask)\b/.test(dockerCmd.cmd)) {
    put(found, "startCommand", dockerCmd.cmd.replace(/^\/?(?:[\w.-]+\/)*\.?venv\/bin\//, ""), `Dockerfile ${dockerCmd.kind}`);
  }
  // A Makefile target that starts the server (run, start, serve...): the command as the image
  // runs it (every interface, $PORT, no --reload), when the module it names is in the repository.
  const made = makeStartCommand(makefile);
  if (made !== undefined && found.values.startCommand === undefined) {
    const spec = /^(?:uvicorn|gunicorn|hypercorn|granian|daphne)\b/.test(made.cmd) ? appSpecIn(made.cmd) : undefined;
    const dirFlag = /--(?:app-dir|chdir|pythonpath)[= ](\S+)/.exec(made.cmd)?.[1];
    const script = /^python3?\s+(?:-u\s+)?([\w./-]+\.py)\b/.exec(made.cmd)?.[1];
    const pyModule = /^python3?\s+-m\s+([\w.]+)/.exec(made.cmd)?.[1];
    const inRepo =
      spec !== undefined
        ? await moduleAt(spec, dirFlag)
        : script !== undefined
          ? texts.has(script) || (await read(script)) !== undefined
            ? "."
            : undefined
          : pyModule !== undefined
            ? await moduleAt(pyModule)
            : /^(?:fastapi|flask)\b/.test(made.cmd)
              ? "."
              : undefined;
    if (inRepo !== undefined) {
      const cmd = inRepo === "src" && dirFlag === undefined ? withSrcDir(made.cmd) : made.cmd;
      put(found, "startCommand", cmd, `Makefile target ${made.target}${made.changed.length ? ` (${made.changed.join("; ")})` : ""}`);
      if (found.values.startCommand === cmd) put(found, "port", made.port, `Makefile target ${made.target} (its port option)`);
    }
  }
  if (has("manage.py")) {
    const settings = /DJANGO_SETTINGS_MODULE["']?\s*,\s*["']([\w.]+)\.settings/.exec((await read("manage.py")) ?? "")?.[1];
    if (hasServer("gunicorn") && settings !== undefined)
      put(found, "startCommand", `gunicorn ${settings}.wsgi --bind 0.0.0.0:$PORT`, `manage.py (Django project ${settings}) and gunicorn in the dependencies`);
    else if (hasServer("uvicorn") && settings !== undefined)
      put(
        found,
        "startCommand",
        `uvicorn ${settings}.asgi:application --host 0.0.0.0 --port $PORT`,
        `manage.py (Django project ${settings}) and uvicorn in the dependencies`,
      );
    else put(found, "startCommand", "python manage.py runserver 0.0.0.0:$PORT --noreload", "manage.py (Django; no gunicorn/uvicorn in the dependencies)");
    found.frameworkPort ??= { port: 8000, from: "Django's default port" };
  }
  // An ASGI/WSGI app: an object made by the framework (FastAPI, Starlette, Flask, Quart...) or
  // by an app factory at module level (`app = create_app()` in wsgi.py), else the factory itself
  // (`def create_app():` → gunicorn 'pkg:create_app()', uvicorn --factory).
  const order = [...texts.keys()].sort((a, b) => rankPy(a, pkgDir) - rankPy(b, pkgDir));
  const frameworkOf = (t: string | undefined): string | undefined => {
    const m = /\b(FastAPI|Starlette|Flask|Quart|Sanic|Litestar)\s*\(/.exec(t ?? "");
    if (m?.[1] !== undefined) return m[1];
    const dep = ["fastapi", "starlette", "flask", "quart", "litestar", "sanic"].find((d) => runtimeDeps.has(d) || deps.has(d));
    return dep === undefined
      ? undefined
      : { fastapi: "FastAPI", starlette: "Starlette", flask: "Flask", quart: "Quart", litestar: "Litestar", sanic: "Sanic" }[dep];
  };
  let app: { f: string; obj: string; kind: string | undefined; factory: boolean; how: string } | undefined;
  for (const f of order) {
    const t = texts.get(f)!;
    const m = /^(\w+)\s*(?::\s*[\w.]+\s*)?=\s*(FastAPI|Starlette|Flask|Quart|Sanic|Litestar)\s*\(/m.exec(t);
    if (m?.[1] !== undefined) {
      app = { f, obj: m[1], kind: m[2]!, factory: false, how: `${m[1]} = ${m[2]}()` };
      break;
    }
    const fac = /^(app|application|api)\s*(?::\s*[\w.]+\s*)?=\s*(?:[\w.]+\.)?((?:create|make|build|get|init)_(?:app|application|api)|app_factory)\s*\(/m.exec(
      t,
    );
    if (fac?.[1] !== undefined) {
      const factoryFile = order.find((g) => new RegExp(`^(?:async\\s+)?def\\s+${fac[2]}\\s*\\(`, "m").test(texts.get(g)!));
      const kind =
        frameworkOf(factoryFile === undefined ? t : texts.get(factoryFile)) ??
        (/(?:^|\/)asgi\.py$/.test(f) ? "ASGI" : /(?:^|\/)wsgi\.py$/.test(f) ? "WSGI" : undefined);
      app = { f, obj: fac[1], kind, factory: false, how: `${fac[1]} = ${fac[2]}()` };
      break;
    }
  }
  if (app === undefined) {
    for (const f of order) {
      const d = /^(?:async\s+)?def\s+((?:create|make|build|get)_(?:app|application)|app_factory)\s*\(/m.exec(texts.get(f)!);
      const kind = frameworkOf(texts.get(f));
      if (d?.[1] !== undefined && kind !== undefined && /\b(?:FastAPI|Starlette|Flask|Quart|Sanic|Litestar)\s*\(/.test(texts.get(f)!)) {
        app = { f, obj: d[1], kind, factory: true, how: `def ${d[1]}() (an app factory)` };
        break;
      }
    }
  }
  if (app !== undefined && app.kind !== undefined) {
    const { f, obj, kind, factory, how } = app;
    const inSrc = f.startsWith("src/") && !f.slice(4).startsWith(".");
    const mod = modOf(inSrc ? f.slice(4) : f);
    const asgi = !["Flask", "WSGI"].includes(kind);
    const call = factory ? `'${mod}:${obj}()'` : `${mod}:${obj}`;
    const at = (cmd: string) => (inSrc ? withSrcDir(cmd) : cmd);
    if (
      kind === "FastAPI" &&
      !factory &&
      (hasDep("fastapi-cli") || /fastapi\[standard/.test(pyproject ?? "") || /fastapi\[standard/.test(reqs ?? "")) &&
      !hasServer("uvicorn") &&
      !hasServer("gunicorn")
    ) {
      put(found, "startCommand", `fastapi run ${f} --port $PORT`, `${f}: ${how} and fastapi[standard] in the dependencies`);
    }
    if (hasServer("gunicorn") && !asgi)
      put(found, "startCommand", at(`gunicorn ${call} --bind 0.0.0.0:$PORT`), `${f}: ${how} and gunicorn in the dependencies`);
    if (hasServer("waitress") && !asgi)
      put(
        found,
        "startCommand",
        at(`waitress-serve --listen=0.0.0.0:$PORT ${factory ? "--call " : ""}${mod}:${obj}`),
        `${f}: ${how} and waitress in the dependencies`,
      );
    if (hasServer("gunicorn") && asgi && hasServer("uvicorn"))
      put(
        found,
        "startCommand",
        at(`gunicorn ${call} -k uvicorn.workers.UvicornWorker --bind 0.0.0.0:$PORT`),
        `${f}: ${how} and gunicorn with uvicorn in the dependencies`,
      );
    if (asgi && (hasServer("uvicorn") || kind === "FastAPI"))
      put(
        found,
        "startCommand",
        at(`uvicorn ${mod}:${obj}${factory ? " --factory" : ""} --host 0.0.0.0 --port $PORT`),
        `${f}: ${how}${hasServer("uvicorn") ? " and uvicorn in the dependencies" : ""}`,
      );
    if (asgi && hasServer("hypercorn")) put(found, "startCommand", `hypercorn ${call} --bind 0.0.0.0:$PORT`, `${f}: ${how} and hypercorn in the dependencies`);
    if (kind === "Flask")
      put(found, "startCommand", at(`flask --app ${call} run --host 0.0.0.0 --port $PORT`), `${f}: ${how} (Flask; no WSGI server in the dependencies)`);
    // The server is the last of chained commands (`flask db upgrade && gunicorn app:app` is gunicorn's port).
    const server = /^\S+/.exec(chainParts(String(found.values.startCommand ?? "")).pop() ?? "")?.[0];
    found.frameworkPort ??= {
      port: server === "flask" ? 5000 : 8000,
      from: `${server === "flask" ? "flask run" : server === "gunicorn" ? "gunicorn" : "uvicorn"}'s default port`,
    };
  }
  // A script that starts itself.
  for (const f of order) {
    if (
      /^(?:[\w-]+\/)?(?:__main__|main|app|server|run|serve|[\w-]*server|[\w-]*service)\.py$/.test(f) &&
      /if\s+__name__\s*==\s*["']__main__["']/.test(texts.get(f)!)
    ) {
      // A module of a package that imports its package by absolute name (`from polls.routes
      // import ...` in polls/main.py) runs as a module: as a script, the package is not on the path.
      const pkg = path.posix.dirname(f);
      const asModule =
        pkg !== "." &&
        (texts.has(`${pkg}/__init__.py`) || (await read(`${pkg}/__init__.py`)) !== undefined) &&
        new RegExp(`^\\s*(?:from|import)\\s+${pkg.replace(/\//g, "\\.")}\\b`, "m").test(texts.get(f)!);
      put(
        found,
        "startCommand",
        f.endsWith("__main__.py") || asModule ? `python -m ${modOf(f.endsWith("__main__.py") ? pkg : f)}` : `python ${f}`,
        `${f} (runs itself under if __name__ == "__main__"${asModule ? `; it imports its package ${modOf(pkg)} by name, so it runs as a module` : ""})`,
      );
      break;
    }
  }
  // aiohttp's web.run_app(app) listens on 8080 unless told; its host and port may come from a
  // config dict loaded from a YAML or TOML file of the repository.
  for (const f of order) {
    const t = texts.get(f)!;
    const call = /\bweb\.run_app\s*\(/.exec(t.replace(/^\s*#.*$/gm, ""));
    if (call === null) continue;
    const code = t.replace(/^\s*#.*$/gm, "");
    const args = argsAt(code, call.index + call[0].length - 1);
    const written = `web.run_app(${args.replace(/\s+/g, " ").trim()})`;
    if (!/\bport\s*=/.test(args)) found.frameworkPort ??= { port: 8080, from: `${f}: ${written} (aiohttp's default port)` };
    const keyOf = (arg: string) => {
      const m = new RegExp(`\\b${arg}\\s*=\\s*(\\w+)((?:\\[\\s*["'][\\w-]+["']\\s*\\])+)`).exec(args);
      return m === null ? undefined : { dict: m[1]!, keys: [...m[2]!.matchAll(/["']([\w-]+)["']/g)].map((k) => k[1]!) };
    };
    const portKey = keyOf("port");
    const hostKey = keyOf("host");
    if (portKey === undefined && hostKey === undefined) break;
    const cfg = await configFile([...texts.values()], read);
    const said = (k: { dict: string; keys: string[] }) => `${k.dict}${k.keys.map((x) => `['${x}']`).join("")}`;
    if (cfg === undefined) {
      found.notes.port ??= `${f}: ${written} reads ${[portKey, hostKey]
        .filter((k) => k !== undefined)
        .map((k) => said(k!))
        .join(" and ")} from a config whose file was not found in the repository`;
      break;
    }
    const port = portKey === undefined ? undefined : configValue(cfg.text, cfg.file, portKey.keys);
    const host = hostKey === undefined ? undefined : configValue(cfg.text, cfg.file, hostKey.keys);
    if (portKey !== undefined && /^\d{2,5}$/.test(port ?? ""))
      put(found, "port", Number(port), `${cfg.file}: ${portKey.keys.join(".")}: ${port} (${f}: ${written})`);
    else if (portKey !== undefined) found.notes.port ??= `${f}: ${written}; ${cfg.file} has no ${portKey.keys.join(".")} number`;
    if (host !== undefined)
      found.configBind = {
        file: cfg.file,
        written: `${hostKey!.keys.join(".")}: ${host}, the host ${f} gives ${written}`,
        host,
        fix: `${hostKey!.keys.join(".")}: 0.0.0.0`,
      };
    break;
  }

  // Lint: what the repository configures, read-only.
  const makeTargets = new Set([...(makefile ?? "").matchAll(/^([\w.-]+)\s*:(?!=)/gm)].map((m) => m[1]!));
  const recipe = (t: string) => new RegExp(`^${t.replace(/[.]/g, "\\.")}\\s*:[^\\n]*\\n((?:\\t[^\\n]*\\n?)*)`, "m").exec(makefile ?? "")?.[1] ?? "";
  for (const t of ["lint", "check", "lint-server"]) {
    if (
      makeTargets.has(t) &&
      !/--fix\b|\bformat\b(?!\s+--check)|--write\b/.test(recipe(t)) &&
      /ruff|flake8|pylint|mypy|black\s+--check|isort\s+--check|lint/.test(recipe(t))
    ) {
      put(found, "lintCommand", via(`make ${t}`), `Makefile target ${t}`);
      break;
    }
  }
  const ruffCfg = /^\[tool\.ruff/m.test(pyproject ?? "") || has("ruff.toml") || has(".ruff.toml");
  if (ruffCfg) put(found, "lintCommand", via("ruff check ."), has("ruff.toml") ? "ruff.toml" : "pyproject.toml [tool.ruff]");
  const flake8Cfg = has(".flake8") || /^\[flake8\]/m.test(`${setupCfg ?? ""}\n${toxIni ?? ""}`);
  if (flake8Cfg) put(found, "lintCommand", via("flake8"), has(".flake8") ? ".flake8" : "[flake8] in setup.cfg/tox.ini");

  // Tests: pytest when it is configured, or a dependency and there are test files (anywhere under
  // the sources); a Django project's own runner unless pytest is set up for it (pytest-django,
  // or a pytest configuration); else unittest for tests/ or tests.py.
  const testDirs = ["tests", "test"].filter((d) => top.dirs.has(d));
  const pytestCfg = /^\[tool\.pytest/m.test(pyproject ?? "")
    ? `pyproject.toml [${/^\[(tool\.pytest[\w.]*)\]/m.exec(pyproject ?? "")?.[1] ?? "tool.pytest"}]`
    : pytestIni !== undefined
      ? "pytest.ini"
      : /^\[(?:tool:)?pytest\]/m.test(setupCfg ?? "")
        ? "setup.cfg [tool:pytest]"
        : /^\[pytest\]/m.test(toxIni ?? "")
          ? "tox.ini [pytest]"
          : has("conftest.py")
            ? "conftest.py"
            : undefined;
  const django = has("manage.py");
  const testFile = testDirs.length > 0 || has("tests.py") || has("test.py") || !hasDep("pytest") || django ? undefined : await findTestFile(root);
  if (pytestCfg !== undefined && (!django || hasDep("pytest-django") || hasDep("pytest"))) {
    // `python -m pytest` puts the repository root on sys.path, so a flat layout (app/ or a package
    // beside tests/, not installed) imports; bare `pytest` only adds the test files' folders.
    put(found, "testCommand", via("python -m pytest"), `pytest configuration (${pytestCfg})${django ? ", over manage.py test" : ""}`);
  } else if (django && hasDep("pytest-django")) {
    put(found, "testCommand", via("python -m pytest"), "pytest-django in the dependencies, over manage.py test");
  } else if (django) {
    put(found, "testCommand", via("python manage.py test"), "manage.py (Django test runner)");
  } else if (hasDep("pytest") && (testDirs.length > 0 || has("tests.py") || has("test.py") || testFile !== undefined)) {
    put(
      found,
      "testCommand",
      via("python -m pytest"),
      `pytest in the dependencies and ${testDirs[0] ?? (has("tests.py") ? "tests.py" : has("test.py") ? "test.py" : testFile)}`,
    );
  } else if (testDirs.length > 0 || has("tests.py")) {
    put(found, "testCommand", via("python -m unittest discover"), `${testDirs[0] ?? "tests.py"} (no pytest: the standard library's unittest)`);
  }

  const files = ["main.py", "app.py", "server.py", "asgi.py", "wsgi.py", "config.py", "settings.py", "Procfile", ".env.example"];
  found.sources = [...files.filter((f) => has(f)), ...order.slice(0, 12)];
  if (pkgDir !== undefined && top.dirs.has("src")) found.sources.push(`src/${pkgDir}/main.py`, `src/${pkgDir}/app.py`);
  return found;
}

function rankPy(f: string, pkgDir: string | undefined): number {
  const base = path.posix.basename(f);
  const depth = f.split("/").length;
  const known = ["main.py", "app.py", "server.py", "asgi.py", "wsgi.py", "__init__.py", "api.py"].indexOf(base);
  return depth * 10 + (known === -1 ? 9 : known) + (pkgDir !== undefined && f.startsWith(`${pkgDir}/`) ? -5 : 0);
}

/** The CMD (or ENTRYPOINT) of an existing Dockerfile's last stage, as one command line. */
export function dockerCommand(dockerfile: string | undefined): { cmd: string; kind: string } | undefined {
  if (dockerfile === undefined) return undefined;
  const text = dockerfile.replace(/\\\r?\n/g, " ");
  const lines = [...text.matchAll(/^[ \t]*(CMD|ENTRYPOINT)[ \t]+(.+)$/gim)];
  const last = lines.filter((l) => l[1]!.toUpperCase() === "CMD").pop() ?? lines.pop();
  if (last === undefined) return undefined;
  const raw = last[2]!.trim();
  let cmd = raw;
  if (raw.startsWith("[")) {
    try {
      const arr = JSON.parse(raw) as unknown;
      if (Array.isArray(arr)) cmd = arr.map(String).join(" ");
    } catch {
      return undefined;
    }
  }
  cmd = cmd
    .replace(/^(?:\/bin\/)?sh\s+-c\s+/, "")
    .replace(/^["']|["']$/g, "")
    .trim();
  return cmd === "" ? undefined : { cmd, kind: last[1]!.toUpperCase() };
}

const SERVERS = /^(?:uvicorn|gunicorn|hypercorn|granian|daphne|fastapi|flask|waitress-serve)$/;

/**
 * A server command line as the image runs it: on every interface, on $PORT, without development
 * flags (--reload, --debug; `fastapi dev` is `fastapi run`). `changed` says what was changed;
 * `port` is the port the line named. Undefined for what is not a known Python server.
 */
export function serverCommand(line: string): { cmd: string; port?: number; changed: string[] } | undefined {
  const words = line.trim().split(/\s+/);
  const tool = words[0] ?? "";
  if (!SERVERS.test(tool)) return undefined;
  const changed: string[] = [];
  let port: number | undefined;
  const portOf = (v: string) => {
    const n = /^(?:\$\{PORT:-)?(\d{2,5})\}?$/.exec(v)?.[1];
    if (n !== undefined) port ??= Number(n);
    return n !== undefined || /^\$\{?PORT\b/.test(v);
  };
  const out: string[] = [];
  const dev = new Set(["--reload", "--debug", "--debugger", "--reload-extra-file"]);
  const devWithValue = new Set(["--reload-dir", "--reload-include", "--reload-exclude", "--reload-delay"]);
  let hostSeen = false;
  let portSeen = false;
  const bindStyle = tool === "gunicorn" || tool === "hypercorn";
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    const [flag, inline] = w.startsWith("--") && w.includes("=") ? [w.slice(0, w.indexOf("=")), w.slice(w.indexOf("=") + 1)] : [w, undefined];
    const value = () => inline ?? words[++i] ?? "";
    if (i === 1 && (tool === "fastapi" || tool === "flask") && w === "dev") {
      out.push("run");
      changed.push(`${tool} run instead of ${tool} dev`);
    } else if (dev.has(flag)) changed.push(`without ${flag}`);
    else if (devWithValue.has(flag)) {
      value();
      changed.push(`without ${flag}`);
    } else if (bindStyle && (flag === "--bind" || flag === "-b")) {
      const v = value();
      if (v.startsWith("unix:")) return undefined;
      portOf(v.split(":").pop() ?? "");
      if (!/^0\.0\.0\.0:\$\{?PORT\}?$/.test(v)) changed.push(`--bind 0.0.0.0:$PORT instead of ${v}`);
      portSeen = hostSeen = true;
    } else if (!bindStyle && (flag === "--host" || flag === "-h" || (tool === "daphne" && flag === "-b"))) {
      const v = value();
      if (!/^(?:0\.0\.0\.0|::)$/.test(v)) changed.push(`--host 0.0.0.0 instead of ${v}`);
      hostSeen = true;
    } else if (!bindStyle && (flag === "--port" || flag === "-p")) {
      const v = value();
      if (!portOf(v)) return undefined;
      if (!/^\$\{?PORT\}?$/.test(v)) changed.push(`--port $PORT instead of ${v}`);
      portSeen = true;
    } else if (tool === "waitress-serve" && flag === "--listen") {
      const v = value();
      portOf(v.split(":").pop() ?? "");
      portSeen = hostSeen = true;
    } else out.push(w);
  }
  // Where the server listens goes last, in one spelling: every interface, the PORT the chart sets.
  if (bindStyle) {
    out.push("--bind", "0.0.0.0:$PORT");
    if (!portSeen) changed.push("--bind 0.0.0.0:$PORT added");
  } else if (tool === "waitress-serve") {
    out.splice(1, 0, "--listen=0.0.0.0:$PORT");
    if (!portSeen) changed.push("--listen=0.0.0.0:$PORT added");
  } else {
    // fastapi run listens on every interface already; the others on 127.0.0.1 unless told.
    if (hostSeen || tool !== "fastapi") out.push("--host", "0.0.0.0");
    if (!hostSeen && tool !== "fastapi") changed.push("--host 0.0.0.0 added");
    out.push("--port", "$PORT");
    if (!portSeen) changed.push("--port $PORT added");
  }
  return { cmd: out.join(" "), ...(port !== undefined ? { port } : {}), changed };
}

/**
 * The config file a Python service loads (a `*.yaml`/`*.yml`/`*.toml` name in its sources:
 * `BASE_DIR / 'config' / 'polls.yaml'`, `open("config.toml")`), found as written, under config/ or
 * at the root.
 */
async function configFile(sources: string[], read: Reader): Promise<{ file: string; text: string } | undefined> {
  const names = new Set<string>();
  for (const t of sources) {
    for (const m of t.matchAll(/["']([\w./-]+\.(?:ya?ml|toml))["']/g))
      if (!/^(?:pyproject|poetry)\.|docker-compose|compose\./.test(path.posix.basename(m[1]!))) names.add(m[1]!);
  }
  for (const n of names) {
    for (const f of [n.replace(/^\.\//, ""), `config/${path.posix.basename(n)}`, path.posix.basename(n)]) {
      const text = await read(f);
      if (text !== undefined) return { file: f, text };
    }
  }
  return undefined;
}

/** A scalar under `keys` in a YAML file (nested by indentation) or a TOML file (a [table] per key but the last). */
export function configValue(text: string, file: string, keys: string[]): string | undefined {
  const clean = (v: string) =>
    v
      .replace(/\s+#.*$/, "")
      .trim()
      .replace(/^(["'])(.*)\1$/, "$2");
  if (/\.toml$/.test(file)) {
    const table = keys.slice(0, -1).join(".");
    let current = "";
    for (const line of text.split("\n")) {
      const h = /^\s*\[([^\]]+)\]\s*$/.exec(line);
      if (h) current = h[1]!.trim();
      else if (current === table) {
        const kv = new RegExp(`^\\s*${keys[keys.length - 1]}\\s*=\\s*(.+)$`).exec(line);
        if (kv) return clean(kv[1]!);
      }
    }
    return undefined;
  }
  let parentIndent = -1;
  let childIndent = 0;
  let depth = 0;
  for (const line of text.split("\n")) {
    if (/^\s*(?:#|$)/.test(line)) continue;
    const ind = /^\s*/.exec(line)![0].length;
    if (depth > 0 && ind <= parentIndent) return undefined;
    if (childIndent < 0) childIndent = ind;
    const m = /^\s*([\w-]+)\s*:\s*(.*)$/.exec(line);
    if (m === null || ind !== childIndent || m[1] !== keys[depth]) continue;
    if (depth === keys.length - 1) return m[2]!.trim() === "" ? undefined : clean(m[2]!);
    depth++;
    parentIndent = ind;
    childIndent = -1;
  }
  return undefined;
}

/**
 * The commands of a chained line (`a; b`, `a && b`), split where the shell would run one after
 * the other: outside quotes and `$(...)`; an `||` or a pipe does not split.
 */
export function chainParts(line: string): string[] {
  const parts: string[] = [];
  let cur = "";
  let quote: string | undefined;
  let depth = 0;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (c === "\\" && quote !== "'") {
      cur += c + (line[++i] ?? "");
      continue;
    }
    if (quote !== undefined) {
      if (c === quote) quote = undefined;
    } else if (c === "'" || c === '"') quote = c;
    else if (c === "(") depth++;
    else if (c === ")") depth = Math.max(0, depth - 1);
    else if (depth === 0 && (c === ";" || (c === "&" && line[i + 1] === "&"))) {
      if (c === "&") i++;
      if (cur.trim() !== "") parts.push(cur.trim());
      cur = "";
      continue;
    }
    cur += c;
  }
  if (cur.trim() !== "") parts.push(cur.trim());
  return parts;
}

/** The app a server command loads: `pkg.main:app`, `'pkg:create_app()'` → its module. */
export function appSpecIn(cmd: string): string | undefined {
  const words = cmd.split(/\s+/).slice(1);
  for (const w of words) {
    const m = /^["']?([A-Za-z_][\w.]*):[A-Za-z_]\w*(?:\(\))?["']?$/.exec(w);
    if (m?.[1] !== undefined) return m[1];
  }
  return undefined;
}

/** The app lives under src/ (not installed in the image): tell the server to import from there. */
function withSrcDir(cmd: string): string {
  if (/^uvicorn\s/.test(cmd)) return cmd.replace(/^uvicorn\s/, "uvicorn --app-dir src ");
  if (/^gunicorn\s/.test(cmd)) return cmd.replace(/^gunicorn\s/, "gunicorn --pythonpath src ");
  return cmd;
}

/**
 * The command a Makefile's start target runs (run, start, serve, prod...: production-like names
 * first), as the image runs it: make variables filled in, runner prefixes (poetry run, uv run,
 * pipenv run, python -m, a virtualenv's bin/) dropped, then `serverCommand`.
 */
export function makeStartCommand(makefile: string | undefined): { target: string; cmd: string; port?: number; changed: string[] } | undefined {
  if (makefile === undefined) return undefined;
  const text = makefile.replace(/\\\r?\n/g, " ");
  const vars = new Map<string, string>();
  for (const m of text.matchAll(/^([A-Za-z_][\w]*)\s*[:?]?=\s*(.*?)\s*$/gm)) if (!vars.has(m[1]!)) vars.set(m[1]!, m[2]!);
  const expand = (s: string, depth = 0): string =>
    depth > 5 ? s : s.replace(/\$[({]([A-Za-z_]\w*)[)}]/g, (all, k: string) => (vars.has(k) ? expand(vars.get(k)!, depth + 1) : all));
  for (const target of ["run-prod", "prod", "start-prod", "serve-prod", "production", "start", "serve", "run", "server", "runserver", "up"]) {
    const body = new RegExp(`^${target}\\s*:(?!=)[^\\n]*\\n((?:\\t[^\\n]*\\n?)*)`, "m").exec(text)?.[1];
    if (body === undefined) continue;
    for (const raw of body.split("\n")) {
      let line = expand(raw.trim().replace(/^[@-]+/, ""))
        .replace(/\$\$/g, "$")
        .replace(/^exec\s+/, "")
        .replace(/^(?:(?:poetry|uv|pipenv|pdm|hatch|rye)\s+run\s+(?:--[\w-]+(?:[= ][\w.-]+)?\s+)*)/, "")
        .replace(/^(?:\S*\/)?(?:\.?venv|env)\/bin\//, "")
        .replace(/^python3?\s+-m\s+(?=(?:uvicorn|gunicorn|hypercorn|granian|daphne|flask|fastapi)\b)/, "");
      if (/\$[({]/.test(line) || line === "") continue;
      const server = serverCommand(line);
      if (server !== undefined) return { target, ...server };
      line = line.replace(/\s+/g, " ");
      if (/^python3?\s+(?:-u\s+)?(?:[\w./-]+\.py|-m\s+[\w.]+)(?:\s|$)/.test(line)) return { target, cmd: line.replace(/^python3\b/, "python"), changed: [] };
    }
  }
  return undefined;
}

/** Folders a test file search never enters: virtualenvs, installed packages, build output. */
const NOT_SOURCES = /^(?:node_modules|\.?venv|env|site-packages|__pycache__|dist|build|target|htmlcov|\..*)$/;

/** The first pytest-style test file (test_*.py, *_test.py) under the sources, breadth first (bounded). */
async function findTestFile(root: string): Promise<string | undefined> {
  let level = ["."];
  let visited = 0;
  for (let depth = 0; depth <= 5 && level.length > 0 && visited < 200; depth++) {
    level = level.slice(0, 200 - visited);
    visited += level.length;
    const lists = await Promise.all(level.map((rel) => list(path.join(root, rel))));
    const next: string[] = [];
    for (let i = 0; i < lists.length; i++) {
      const rel = level[i]!;
      const hit = [...lists[i]!.files].sort().find((f) => /^test_\w*\.py$|^\w+_test\.py$/.test(f));
      if (hit !== undefined) return rel === "." ? hit : `${rel}/${hit}`;
      for (const d of [...lists[i]!.dirs].sort()) if (!NOT_SOURCES.test(d)) next.push(rel === "." ? d : `${rel}/${d}`);
    }
    level = next;
  }
  return undefined;
}
