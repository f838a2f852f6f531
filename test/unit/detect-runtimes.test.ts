import { describe, expect, it } from "vitest";
import { tempRepos } from "../support/temp-repo.js";
import { detectReport } from "../../src/io/detect/index.js";
import { findServices } from "../../src/io/detect/services.js";

const repo = tempRepos("detect-rt-");

const rack = {
  Gemfile: 'source "https://rubygems.org"\ngem "sinatra"\ngem "puma"\n',
  "app.rb": 'require "sinatra/base"\nclass App < Sinatra::Base\n  get("/health") { "ok" }\nend\n',
};

describe("a runtime create-pipeline does not support, beside a supported manifest", () => {
  it("refuses a Ruby service whose requirements.txt is only tooling, naming the Procfile's command", async () => {
    const r = await detectReport(
      repo({
        ...rack,
        "config.ru": 'require "./app"\nrun App\n',
        "requirements.txt": "pre-commit==3.7.0\nyamllint\n",
        Procfile: "web: bundle exec puma -p $PORT\n",
      }),
    );
    expect(r.refusal?.message).toMatch(/^Ruby service/);
    expect(r.refusal?.message).toContain("bundle exec puma");
    expect(r.refusal?.hint).not.toMatch(/--start-command/);
  });

  it("refuses when only the Procfile's web process says the runtime (requirements.txt with a Python framework)", async () => {
    const r = await detectReport(repo({ ...rack, "requirements.txt": "flask\n", Procfile: "web: bundle exec rackup -p $PORT\n" }));
    expect(r.refusal?.message).toMatch(/Ruby service \(Procfile web runs "bundle exec rackup -p \$PORT"\)/);
  });

  it("refuses when the foreign manifest has its application file and requirements.txt only tooling", async () => {
    const php = await detectReport(repo({ "composer.json": '{"require":{"slim/slim":"^4"}}\n', "requirements.txt": "ansible\n" }));
    expect(php.refusal?.message).toMatch(/PHP service \(composer\.json; requirements\.txt holds no Python service: ansible\)/);
    const ruby = await detectReport(repo({ ...rack, "config.ru": "run App\n", "requirements.txt": "flask\n" }));
    expect(ruby.refusal?.message).toMatch(/Ruby service \(Gemfile, config\.ru\)/);
  });

  it("does not judge a requirements.txt that only includes other files", async () => {
    const r = await detectReport(
      repo({
        Gemfile: 'gem "jekyll"\n',
        "requirements.txt": "-r requirements/base.txt\n",
        "requirements/base.txt": "flask\ngunicorn\n",
        "app.py": "from flask import Flask\napp = Flask(__name__)\n",
      }),
    );
    expect(r.refusal).toBeUndefined();
    expect(r.values.language).toBe("python");
  });

  it("refuses a Java start command without a Maven or Gradle build", async () => {
    const r = await detectReport(
      repo({ "requirements.txt": "awscli\n", Procfile: "web: java -jar app.jar --server.port=$PORT\n", "Main.java": "class Main {}\n" }),
    );
    expect(r.refusal?.message).toMatch(/Java without a Maven or Gradle build/);
  });

  it("keeps a Python service that has a Gemfile for its tooling", async () => {
    const r = await detectReport(
      repo({
        Gemfile: 'gem "danger"\n',
        "requirements.txt": "flask\ngunicorn\n",
        "app.py": "from flask import Flask\napp = Flask(__name__)\n",
        Procfile: "web: gunicorn app:app\n",
      }),
    );
    expect(r.refusal).toBeUndefined();
    expect(r.values).toMatchObject({ language: "python", startCommand: "gunicorn app:app" });
  });
});

describe("runtimes that look like Node.js: Bun and Deno", () => {
  const hono = 'import { Hono } from "hono";\nconst app = new Hono();\napp.get("/health", (c) => c.text("ok"));\nexport default app;\n';

  it("refuses a start script that runs bun, naming it and the lockfile", async () => {
    const r = await detectReport(
      repo({ "package.json": '{"name":"b","scripts":{"start":"bun run src/index.ts"},"dependencies":{"hono":"4"}}\n', "bun.lockb": "x", "src/index.ts": hono }),
    );
    expect(r.refusal?.message).toMatch(/^Bun service \(package\.json scripts\.start "bun run src\/index\.ts"; bun\.lockb\)/);
    expect(r.refusal?.hint).not.toMatch(/--start-command/);
    const noLock = await detectReport(repo({ "package.json": '{"scripts":{"start":"NODE_ENV=production bun src/index.ts"}}\n', "src/index.ts": hono }));
    expect(noLock.refusal?.message).toMatch(/^Bun service \(package\.json scripts\.start/);
  });

  it("refuses a Bun lockfile with no start command node can run, naming the lockfile", async () => {
    const r = await detectReport(
      repo({ "package.json": '{"name":"b","module":"index.ts"}\n', "bun.lock": "{}\n", "index.ts": "Bun.serve({ fetch: () => new Response('ok') });\n" }),
    );
    expect(r.refusal?.message).toMatch(/^Bun service \(bun\.lock/);
  });

  it("keeps a Node.js start with a Bun lockfile, saying npm does not read it", async () => {
    const r = await detectReport(
      repo({
        "package.json": '{"name":"n","scripts":{"start":"node server.js"},"dependencies":{"express":"4"}}\n',
        "bun.lock": "{}\n",
        "server.js": "require('express')().listen(3000);\n",
      }),
    );
    expect(r.refusal).toBeUndefined();
    expect(r.values).toMatchObject({ language: "node", packageManager: "npm", startCommand: "node server.js" });
    expect(r.from.packageManager).toMatch(/bun\.lock is Bun's lockfile/);
  });

  it("refuses deno.jsonc as Deno, not as a folder without a start command", async () => {
    const r = await detectReport(
      repo({ "deno.jsonc": '{ // tasks\n "tasks": { "start": "deno run -A main.ts" } }\n', "main.ts": "Deno.serve(() => new Response('ok'));\n" }),
    );
    expect(r.refusal?.message).toMatch(/^Deno service \(deno\.jsonc\)/);
    expect(r.unresolved).toBeUndefined();
  });
});

describe("refusals that name their cause", () => {
  it("names a .NET project below the root when the root has no manifest", async () => {
    const r = await detectReport(
      repo({
        "src/Api/Api.csproj": '<Project Sdk="Microsoft.NET.Sdk.Web"></Project>\n',
        "src/Api/Program.cs": "var app = WebApplication.Create();\n",
        "README.md": "# api\n",
      }),
    );
    expect(r.refusal?.message).toMatch(/^C#\/\.NET service \(a \.NET project at src\/Api\/Api\.csproj/);
    expect(r.refusal?.hint).not.toMatch(/--start-command/);
    expect(r.unresolved).toBeUndefined();
  });

  it("refuses a documentation site (MkDocs with its requirements.txt, Docusaurus) as not a service", async () => {
    const mk = await detectReport(repo({ "mkdocs.yml": "site_name: Docs\n", "requirements.txt": "mkdocs-material==9.5.0\n", "docs/index.md": "# hi\n" }));
    expect(mk.refusal?.message).toMatch(/^a documentation site \(mkdocs\.yml\) is not a service/);
    expect(mk.refusal?.hint).not.toMatch(/--start-command/);
    const docusaurus = await detectReport(
      repo({
        "docusaurus.config.ts": "export default { title: 'x' };\n",
        "package.json": '{"name":"site","scripts":{"start":"docusaurus start","build":"docusaurus build"},"dependencies":{"@docusaurus/core":"3"}}\n',
        "package-lock.json": "{}\n",
      }),
    );
    expect(docusaurus.refusal?.message).toMatch(/^a documentation site \(docusaurus\.config\.ts\) is not a service/);
    expect(docusaurus.refusal?.message).toContain('scripts.start "docusaurus start"');
  });

  it("keeps a service that has its documentation beside it", async () => {
    const r = await detectReport(
      repo({
        "mkdocs.yml": "site_name: Docs\n",
        "requirements.txt": "fastapi\nuvicorn\nmkdocs\n",
        "main.py": 'from fastapi import FastAPI\napp = FastAPI()\n@app.get("/health")\ndef h():\n    return {}\n',
      }),
    );
    expect(r.refusal).toBeUndefined();
    expect(r.values.startCommand).toBe("uvicorn main:app --host 0.0.0.0 --port $PORT");
  });
});

describe("a repository of several services with its documentation site", () => {
  it("leaves the site out of the services, saying why", async () => {
    const dir = repo({
      "apps/api/package.json": '{"name":"api","scripts":{"start":"node server.js"}}\n',
      "apps/api/server.js": "require('http').createServer().listen(3000);\n",
      "apps/web/package.json": '{"name":"web","scripts":{"start":"node index.js"}}\n',
      "apps/web/index.js": "require('http').createServer().listen(3001);\n",
      "website/package.json": '{"name":"website","scripts":{"start":"docusaurus start"}}\n',
      "website/docusaurus.config.js": "module.exports = {};\n",
    });
    const shape = await findServices(dir);
    expect(shape.services.map((s) => s.path)).toEqual(["apps/api", "apps/web"]);
    expect(shape.skipped).toEqual([{ path: "website", reason: expect.stringMatching(/^a documentation site \(docusaurus\.config\.js\) is not a service/) }]);
  });
});

describe("Python test command", () => {
  const manage = 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "proj.settings")\n';

  it("takes pytest over Django's runner when pytest is configured (pytest-django)", async () => {
    const r = await detectReport(
      repo({
        "manage.py": manage,
        "proj/__init__.py": "",
        "proj/settings.py": "DEBUG = False\n",
        "pyproject.toml":
          '[tool.poetry]\nname = "dj"\n[tool.poetry.dependencies]\npython = "^3.11"\ndjango = "^5"\n[tool.poetry.group.dev.dependencies]\npytest-django = "*"\n[tool.pytest.ini_options]\nDJANGO_SETTINGS_MODULE = "proj.settings"\n',
        "poetry.lock": "",
      }),
    );
    expect(r.values.testCommand).toBe("poetry run python -m pytest");
    expect(r.from.testCommand).toMatch(/pyproject\.toml \[tool\.pytest\.ini_options\]/);
    const ini = await detectReport(
      repo({ "manage.py": manage, "requirements.txt": "django\n", "requirements-dev.txt": "pytest-django\n", "pytest.ini": "[pytest]\n", "conftest.py": "" }),
    );
    expect(ini.values.testCommand).toBe("python -m pytest");
    expect(ini.from.testCommand).toMatch(/pytest\.ini/);
  });

  it("keeps Django's runner when pytest is not set up for Django", async () => {
    const r = await detectReport(repo({ "manage.py": manage, "requirements.txt": "django\n", "requirements-dev.txt": "pytest\n", "shop/tests.py": "" }));
    expect(r.values.testCommand).toBe("python manage.py test");
  });

  it("finds test files anywhere under the sources, not only in tests/ (virtualenvs and node_modules left out)", async () => {
    const files = {
      "pyproject.toml": '[project]\nname = "svc"\ndependencies = ["fastapi", "uvicorn"]\n[project.optional-dependencies]\ndev = ["pytest"]\n',
      "app/__init__.py": "",
      "app/main.py": "from fastapi import FastAPI\napp = FastAPI()\n",
    };
    const r = await detectReport(repo({ ...files, "app/tests/__init__.py": "", "app/tests/test_health.py": "def test_x():\n    assert True\n" }));
    expect(r.values.testCommand).toBe("python -m pytest");
    expect(r.from.testCommand).toBe("pytest in the dependencies and app/tests/test_health.py");
    const venvOnly = await detectReport(repo({ ...files, ".venv/lib/site/test_x.py": "", "node_modules/x/test_y.py": "" }));
    expect(venvOnly.values.testCommand).toBeUndefined();
  });
});

describe("Python version from the repository's own image", () => {
  const svc = { "main.py": "from fastapi import FastAPI\napp = FastAPI()\n" };
  it("takes an existing Dockerfile's python:X.Y over the requires-python floor, saying so", async () => {
    const r = await detectReport(
      repo({
        ...svc,
        "pyproject.toml": '[project]\nname = "svc"\nrequires-python = ">=3.9"\ndependencies = ["fastapi", "uvicorn"]\n',
        Dockerfile: 'FROM python:3.11-slim\nCOPY . .\nCMD ["uvicorn", "main:app", "--host", "0.0.0.0"]\n',
      }),
    );
    expect(r.values.languageVersion).toBe("3.11");
    expect(r.from.languageVersion).toMatch(/^Dockerfile FROM python:3\.11 \(within pyproject\.toml requires-python ">=3\.9"\)/);
  });

  it("keeps the range when the image is outside it (a stale Dockerfile)", async () => {
    const r = await detectReport(
      repo({ ...svc, "pyproject.toml": '[project]\nname = "svc"\nrequires-python = ">=3.11"\ndependencies = ["fastapi"]\n', Dockerfile: "FROM python:3.8\n" }),
    );
    expect(r.values.languageVersion).toBe("3.12");
  });
});
