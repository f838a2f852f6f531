/** Python: pyproject.toml / setup.py / Pipfile, lockfiles, version pins, Procfile and the app entry point. */
import path from "node:path";
import { newFound, put, type Found } from "./found.js";
import { list, type Listing, type Reader } from "./read.js";
import { lowerBound, pickVersion } from "./version.js";
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

/** Packages named in requirements files, pyproject, Pipfile (lower-case, normalised). */
function dependencyNames(texts: (string | undefined)[]): Set<string> {
  const out = new Set<string>();
  for (const t of texts) {
    if (t === undefined) continue;
    for (const m of t.matchAll(/^[\s"']*([A-Za-z][A-Za-z0-9._-]*)(?:\[[^\]]*\])?\s*(?:[=<>!~;@"',\s]|$)/gm)) out.add(m[1]!.toLowerCase().replace(/_/g, "-"));
  }
  return out;
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
  const deps = dependencyNames([reqs, reqsDev, pyproject, pipfile, ...reqDirTexts]);

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
  const web = procfile === undefined ? undefined : /^web:\s*(.+?)\s*$/m.exec(procfile)?.[1];
  if (web !== undefined) put(found, "startCommand", web.replace(/^exec\s+/, ""), "Procfile web");
  const dockerCmd = dockerCommand(dockerfile);
  if (dockerCmd !== undefined && /\b(?:gunicorn|uvicorn|uwsgi|fastapi|hypercorn|daphne|granian|python|flask)\b/.test(dockerCmd.cmd)) {
    put(found, "startCommand", dockerCmd.cmd.replace(/^\/?(?:[\w.-]+\/)*\.?venv\/bin\//, ""), `Dockerfile ${dockerCmd.kind}`);
  }
  const hasDep = (d: string) => deps.has(d);
  if (has("manage.py")) {
    const settings = /DJANGO_SETTINGS_MODULE["']?\s*,\s*["']([\w.]+)\.settings/.exec((await read("manage.py")) ?? "")?.[1];
    if (hasDep("gunicorn") && settings !== undefined)
      put(found, "startCommand", `gunicorn ${settings}.wsgi --bind 0.0.0.0:$PORT`, `manage.py (Django project ${settings}) and gunicorn in the dependencies`);
    else if (hasDep("uvicorn") && settings !== undefined)
      put(
        found,
        "startCommand",
        `uvicorn ${settings}.asgi:application --host 0.0.0.0 --port $PORT`,
        `manage.py (Django project ${settings}) and uvicorn in the dependencies`,
      );
    else put(found, "startCommand", "python manage.py runserver 0.0.0.0:$PORT --noreload", "manage.py (Django; no gunicorn/uvicorn in the dependencies)");
    put(found, "testCommand", via("python manage.py test"), "manage.py (Django test runner)");
    found.frameworkPort ??= { port: 8000, from: "Django's default port" };
  }
  // An ASGI/WSGI app object in a module: FastAPI, Starlette, Flask, Quart...
  const order = [...texts.keys()].sort((a, b) => rankPy(a, pkgDir) - rankPy(b, pkgDir));
  for (const f of order) {
    const t = texts.get(f)!;
    const m = /^(\w+)\s*(?::\s*\w+\s*)?=\s*(FastAPI|Starlette|Flask|Quart|Sanic|Litestar)\s*\(/m.exec(t);
    if (m?.[1] === undefined) continue;
    const obj = m[1];
    const mod = modOf(f);
    const kind = m[2]!;
    const asgi = kind !== "Flask";
    if (
      kind === "FastAPI" &&
      (hasDep("fastapi-cli") || /fastapi\[standard/.test(pyproject ?? "") || /fastapi\[standard/.test(reqs ?? "")) &&
      !hasDep("uvicorn") &&
      !hasDep("gunicorn")
    ) {
      put(found, "startCommand", `fastapi run ${f} --port $PORT`, `${f}: ${obj} = FastAPI() and fastapi[standard] in the dependencies`);
    }
    if (hasDep("gunicorn") && !asgi)
      put(found, "startCommand", `gunicorn ${mod}:${obj} --bind 0.0.0.0:$PORT`, `${f}: ${obj} = ${kind}() and gunicorn in the dependencies`);
    if (hasDep("gunicorn") && asgi && hasDep("uvicorn"))
      put(
        found,
        "startCommand",
        `gunicorn ${mod}:${obj} -k uvicorn.workers.UvicornWorker --bind 0.0.0.0:$PORT`,
        `${f}: ${obj} = ${kind}() and gunicorn with uvicorn in the dependencies`,
      );
    if (asgi && (hasDep("uvicorn") || kind === "FastAPI"))
      put(
        found,
        "startCommand",
        `uvicorn ${mod}:${obj} --host 0.0.0.0 --port $PORT`,
        `${f}: ${obj} = ${kind}()${hasDep("uvicorn") ? " and uvicorn in the dependencies" : ""}`,
      );
    if (!asgi)
      put(found, "startCommand", `flask --app ${mod}:${obj} run --host 0.0.0.0 --port $PORT`, `${f}: ${obj} = Flask() (no WSGI server in the dependencies)`);
    found.frameworkPort ??= {
      port: !asgi && !hasDep("gunicorn") ? 5000 : 8000,
      from: `${kind === "Flask" && !hasDep("gunicorn") ? "flask run" : hasDep("gunicorn") ? "gunicorn" : "uvicorn"}'s default port`,
    };
    break;
  }
  // A script that starts itself.
  for (const f of order) {
    if (
      /^(?:[\w-]+\/)?(?:__main__|main|app|server|run|serve|[\w-]*server|[\w-]*service)\.py$/.test(f) &&
      /if\s+__name__\s*==\s*["']__main__["']/.test(texts.get(f)!)
    ) {
      put(
        found,
        "startCommand",
        f.endsWith("__main__.py") ? `python -m ${modOf(path.posix.dirname(f))}` : `python ${f}`,
        `${f} (runs itself under if __name__ == "__main__")`,
      );
      break;
    }
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

  // Tests: pytest when it is configured or a dependency and there are tests; else unittest for tests.py.
  const testDirs = ["tests", "test"].filter((d) => top.dirs.has(d));
  const pytestCfg =
    /^\[tool\.pytest/m.test(pyproject ?? "") ||
    pytestIni !== undefined ||
    /^\[(?:tool:)?pytest\]/m.test(`${setupCfg ?? ""}\n${toxIni ?? ""}`) ||
    has("conftest.py");
  if (pytestCfg || (hasDep("pytest") && (testDirs.length > 0 || has("tests.py") || has("test.py")))) {
    // `python -m pytest` puts the repository root on sys.path, so a flat layout (app/ or a package
    // beside tests/, not installed) imports; bare `pytest` only adds the test files' folders.
    put(found, "testCommand", via("python -m pytest"), pytestCfg ? "pytest configuration" : `pytest in the dependencies and ${testDirs[0] ?? "tests.py"}`);
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
