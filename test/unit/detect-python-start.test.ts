/**
 * How a Python service starts and what it depends on, read from the shapes real projects have:
 * dependency arrays in pyproject.toml (one line or several, extras, groups, Poetry tables), a
 * Makefile start target, a wsgi.py/asgi.py made by an app factory, the factory alone.
 */
import { describe, expect, it } from "vitest";
import { tempRepos } from "../support/temp-repo.js";
import { detectReport } from "../../src/io/detect/index.js";
import { declaredDependencies, tomlSections } from "../../src/io/detect/pyproject.js";
import { chainParts, makeStartCommand, serverCommand } from "../../src/io/detect/python.js";

const repo = tempRepos("detect-py-");
const values = async (files: Record<string, string>) => (await detectReport(repo(files), { refusal: false })).values;

describe("pyproject dependencies", () => {
  it("reads PEP 621 arrays on one line and over several, extras, groups and Poetry tables", () => {
    const d = declaredDependencies(
      [
        "[project]",
        'name = "svc"',
        'dependencies = ["Flask>=3", "gunicorn[gevent] ; python_version>\'3\'"]  # inline',
        "",
        "[project.optional-dependencies]",
        "test = [",
        '  "pytest>=8",   # the runner',
        "  'httpx',",
        "]",
        "[dependency-groups]",
        'lint = ["ruff", {include-group = "test"}]',
        "[tool.uv]",
        'dev-dependencies = ["mypy"]',
        "[tool.pdm.dev-dependencies]",
        'docs = ["mkdocs"]',
        "[tool.poetry.dependencies]",
        'python = "^3.12"',
        'uvicorn = {extras = ["standard"], version = "^0.30"}',
        "[tool.poetry.group.dev.dependencies]",
        'Pytest_Cov = "*"',
      ].join("\n"),
      '[packages]\nwaitress = "*"\n[dev-packages]\nblack = "*"\n',
    );
    expect([...d.runtime].sort()).toEqual(["flask", "gunicorn", "uvicorn", "waitress"]);
    expect([...d.dev].sort()).toEqual(["black", "httpx", "mkdocs", "mypy", "pytest", "pytest-cov", "ruff"]);
  });

  it("keeps a bracket inside a string from ending the array", () => {
    const s = tomlSections('[project]\ndependencies = [\n  "uvicorn[standard]]>=0.29",\n  "fastapi",\n]\nname = "x"\n');
    expect(s[1]!.entries.map((e) => e.key)).toEqual(["dependencies", "name"]);
  });

  it("pytest in an inline dev extra makes the test command; gunicorn in the inline dependencies serves the Flask app", async () => {
    const v = await values({
      "pyproject.toml":
        '[project]\nname = "notes"\nrequires-python = ">=3.11"\ndependencies = ["flask", "gunicorn"]\n\n[project.optional-dependencies]\ndev = ["pytest"]\n',
      "notes/__init__.py": "",
      "notes/app.py": 'from flask import Flask\napp = Flask(__name__)\n\n@app.get("/healthz")\ndef h():\n    return "ok"\n',
      "tests/test_app.py": "def test_x():\n    assert True\n",
    });
    expect(v.startCommand).toBe("gunicorn notes.app:app --bind 0.0.0.0:$PORT");
    expect(v.testCommand).toBe("python -m pytest");
  });

  it("a server only in a dev group is not the image's: the start command does not rely on it", async () => {
    const v = await values({
      "pyproject.toml": '[project]\nname = "a"\ndependencies = ["flask"]\n[dependency-groups]\ndev = ["gunicorn", "pytest"]\n',
      "app.py": "from flask import Flask\napp = Flask(__name__)\n",
    });
    expect(v.startCommand).toBe("flask --app app:app run --host 0.0.0.0 --port $PORT");
  });
});

describe("start commands", () => {
  it("a Makefile run target: poetry run and --reload dropped, every interface, $PORT (its port kept as the port)", async () => {
    const r = await detectReport(
      repo({
        "pyproject.toml": '[tool.poetry]\nname = "shop"\n[tool.poetry.dependencies]\npython = "^3.12"\nfastapi = "*"\nuvicorn = "*"\n',
        "poetry.lock": "",
        Makefile: "PORT ?= 8081\nAPP = shop.api:app\n\nrun:\n\tpoetry run uvicorn $(APP) --reload --host 127.0.0.1 --port $(PORT)\n",
        "shop/__init__.py": "",
        "shop/api.py": "from fastapi import FastAPI\napp = FastAPI()\n",
      }),
      { refusal: false },
    );
    expect(r.values.startCommand).toBe("uvicorn shop.api:app --host 0.0.0.0 --port $PORT");
    expect(r.values.port).toBe(8081);
    expect(r.from.startCommand).toMatch(/^Makefile target run \(without --reload; --host 0\.0\.0\.0 instead of 127\.0\.0\.1; --port \$PORT instead of 8081\)$/);
  });

  it("a Makefile target naming a module the repository does not have is not the start command", async () => {
    const v = await values({
      "requirements.txt": "uvicorn\nstarlette\n",
      Makefile: "serve:\n\tuvicorn gone.main:app\n",
      "svc/main.py": "from starlette.applications import Starlette\napp = Starlette()\n",
    });
    expect(v.startCommand).toBe("uvicorn svc.main:app --host 0.0.0.0 --port $PORT");
  });

  it("a production target wins over a development one; gunicorn gets a bind on $PORT", () => {
    const m = makeStartCommand("dev:\n\tflask run --debug\nrun:\n\tflask --app x run --debug\nprod:\n\t.venv/bin/gunicorn -w 4 'x:create_app()'\n");
    expect(m).toEqual({ target: "prod", cmd: "gunicorn -w 4 'x:create_app()' --bind 0.0.0.0:$PORT", changed: ["--bind 0.0.0.0:$PORT added"] });
    expect(serverCommand("gunicorn -b unix:/tmp/s.sock x:app")).toBeUndefined();
    expect(serverCommand("fastapi dev main.py")).toMatchObject({ cmd: "fastapi run main.py --port $PORT" });
  });

  it("wsgi.py exposing app = create_app(): gunicorn serves wsgi:app", async () => {
    const v = await values({
      "requirements.txt": "Flask==3.1.0\ngunicorn==23.0.0\n",
      "wsgi.py": "from blog import create_app\n\napp = create_app()\n",
      "blog/__init__.py": "from flask import Flask\n\n\ndef create_app():\n    app = Flask(__name__)\n    return app\n",
    });
    expect(v.startCommand).toBe("gunicorn wsgi:app --bind 0.0.0.0:$PORT");
  });

  it("an app factory alone: gunicorn calls it ('pkg:create_app()'), uvicorn with --factory", async () => {
    const flask = await values({
      "pyproject.toml": '[project]\nname = "blog"\ndependencies = [\n  "flask>=3",\n  "gunicorn>=22",\n]\n',
      "blog/__init__.py": "from flask import Flask\n\n\ndef create_app(config=None):\n    app = Flask(__name__)\n    return app\n",
    });
    expect(flask.startCommand).toBe("gunicorn 'blog:create_app()' --bind 0.0.0.0:$PORT");
    const asgi = await values({
      "pyproject.toml": '[project]\nname = "feeds"\ndependencies = ["fastapi", "uvicorn[standard]"]\n',
      "src/feeds/__init__.py": "",
      "src/feeds/main.py": "from fastapi import FastAPI\n\n\ndef create_app() -> FastAPI:\n    return FastAPI()\n",
    });
    expect(asgi.startCommand).toBe("uvicorn --app-dir src feeds.main:create_app --factory --host 0.0.0.0 --port $PORT");
  });

  it("nothing that starts the service: no start command (never a file that is not there)", async () => {
    const r = await detectReport(repo({ "pyproject.toml": '[project]\nname = "lib"\ndependencies = ["requests"]\n', "lib/__init__.py": "" }), {
      refusal: false,
    });
    expect(r.values.startCommand).toBeUndefined();
    expect(r.unresolved?.startCommand).toMatch(/no start command/);
  });
});

describe("chained start commands (migrate, then serve)", () => {
  it("binds the server command of a Procfile line that migrates first, not the migration", async () => {
    const v = await values({
      "requirements.txt": "flask\nuvicorn\nfastapi\n",
      "main.py": "from fastapi import FastAPI\napp = FastAPI()\n",
      Procfile: "web: flask db upgrade; uvicorn main:app\n",
    });
    expect(v.startCommand).toBe("flask db upgrade && uvicorn main:app --host 0.0.0.0 --port $PORT");
  });

  it("keeps gunicorn after the migration (it binds $PORT itself) and adds no --host to it", async () => {
    const v = await values({
      "requirements.txt": "flask\ngunicorn\n",
      "app.py": "from flask import Flask\napp = Flask(__name__)\n",
      Procfile: "web: flask db upgrade; gunicorn app:app\n",
    });
    expect(v.startCommand).toBe("flask db upgrade && gunicorn app:app");
    // gunicorn's port, not flask run's (the first word is the migration's tool)
    expect(v.port).toBe(8000);
  });

  it("splits at ; and && outside quotes only", () => {
    expect(chainParts(`python manage.py migrate && sh -c 'a; b' && gunicorn "x:create(';')"`)).toEqual([
      "python manage.py migrate",
      "sh -c 'a; b'",
      `gunicorn "x:create(';')"`,
    ]);
    expect(chainParts("a || b | c")).toEqual(["a || b | c"]);
  });
});

describe("aiohttp", () => {
  const main = (run: string) =>
    [
      "import sys",
      "from aiohttp import web",
      "from aiohttpdemo_polls.routes import setup_routes",
      "from aiohttpdemo_polls.settings import get_config",
      "",
      "def init_app(argv=None):",
      "    app = web.Application()",
      "    app['config'] = get_config(argv)",
      "    setup_routes(app)",
      "    return app",
      "",
      "def main(argv):",
      "    app = init_app(argv)",
      "    config = get_config(argv)",
      `    ${run}`,
      "",
      "if __name__ == '__main__':",
      "    main(sys.argv[1:])",
      "",
    ].join("\n");
  const polls = (run: string, yaml: string) => ({
    "requirements.txt": "aiohttp\ntrafaret-config\npyyaml\n",
    "aiohttpdemo_polls/__init__.py": "",
    "aiohttpdemo_polls/main.py": main(run),
    "aiohttpdemo_polls/routes.py": "from aiohttpdemo_polls.views import index\n\ndef setup_routes(app):\n    app.router.add_get('/', index)\n",
    "aiohttpdemo_polls/views.py": "from aiohttp import web\n\nasync def index(request):\n    return web.Response(text='ok')\n",
    "aiohttpdemo_polls/settings.py":
      "import pathlib\nimport trafaret_config\nBASE_DIR = pathlib.Path(__file__).parent.parent\nDEFAULT_CONFIG_PATH = BASE_DIR / 'config' / 'polls.yaml'\n\ndef get_config(argv=None):\n    return trafaret_config.read_and_validate(str(DEFAULT_CONFIG_PATH), None)\n",
    "config/polls.yaml": yaml,
  });

  it("runs a module that imports its own package by absolute name with python -m", async () => {
    const v = await values(polls("web.run_app(app)", "postgres:\n  port: 5432\n"));
    expect(v.startCommand).toBe("python -m aiohttpdemo_polls.main");
  });

  it("takes aiohttp's default port, 8080, for web.run_app(app)", async () => {
    const r = await detectReport(repo(polls("web.run_app(app)", "postgres:\n  port: 5432\n")), { refusal: false });
    expect(r.values.port).toBe(8080);
  });

  it("reads the port from the YAML config file the run_app arguments come from", async () => {
    const r = await detectReport(
      repo(polls("web.run_app(app, host=config['host'], port=config['port'])", "postgres:\n  host: db\n  port: 5432\n\nhost: 0.0.0.0\nport: 9090\n")),
      { refusal: false },
    );
    expect(r.values.port).toBe(9090);
    expect(r.from.port).toContain("config/polls.yaml");
  });

  it("refuses a loopback host in that config file, with the fix", async () => {
    const r = await detectReport(
      repo(polls("web.run_app(app, host=config['host'], port=config['port'])", "postgres:\n  host: db\n  port: 5432\n\nhost: 127.0.0.1\nport: 8080\n")),
    );
    expect(r.refusal?.message).toContain("config/polls.yaml");
    expect(r.refusal?.message).toContain("127.0.0.1");
    expect(r.refusal?.hint).toContain("host: 0.0.0.0");
  });
});

describe("the port of a chained start command", () => {
  it("is the server's, not a port an earlier command names", async () => {
    const v = await values({
      "requirements.txt": "flask\ngunicorn\n",
      "app.py": "from flask import Flask\napp = Flask(__name__)\n",
      "wait_for_db.py": "import sys\n",
      Procfile: "web: python wait_for_db.py --port 5432 && gunicorn app:app --bind 0.0.0.0:5000\n",
    });
    expect(v.startCommand).toBe("python wait_for_db.py --port 5432 && gunicorn app:app --bind 0.0.0.0:5000");
    expect(v.port).toBe(5000);
  });
});
