/**
 * The image's start command: a chained one ("migrate, then serve") runs its earlier commands and
 * then exec's the server, so the server is the process the container's signals reach and the
 * container does not end when the first command does.
 */
import { describe, expect, it } from "vitest";
import { render } from "../../src/core/render.js";
import { loadPack } from "../../src/io/pack-loader.js";
import { TOOL_VERSION } from "../../src/version.js";
import { OptionSpace } from "../conformance/combinations.js";

async function cmdFor(startCommand: string): Promise<string> {
  const space = OptionSpace.load();
  const loaded = await loadPack({ kind: "builtin", name: "pipeline" });
  try {
    const answers = space.complete({ name: "svc", language: "python", startCommand, port: 8000 });
    const tree = render(loaded.pack, answers, { toolVersion: TOOL_VERSION });
    const dockerfile = tree.get("Dockerfile")?.content ?? "";
    return (
      /^CMD (.+)$/m.exec(
        dockerfile
          .split("\n")
          .filter((l) => /^CMD /.test(l))
          .pop() ?? "",
      )?.[1] ?? ""
    );
  } finally {
    await loaded.cleanup();
  }
}

describe("Dockerfile start command", () => {
  it("exec's the server after the commands chained before it", async () => {
    expect(await cmdFor("flask db upgrade && gunicorn app:app")).toBe('["sh", "-c", "flask db upgrade && exec gunicorn app:app"]');
    expect(await cmdFor("python manage.py migrate; uvicorn main:app --host 0.0.0.0 --port $PORT")).toBe(
      '["sh", "-c", "python manage.py migrate; exec uvicorn main:app --host 0.0.0.0 --port $PORT"]',
    );
  });

  it("keeps the command as written otherwise: exec only before its last command", async () => {
    expect(await cmdFor('echo "a; b" && exec node server.js')).toBe('["sh", "-c", "echo \\"a; b\\" && exec node server.js"]');
    expect(await cmdFor("(cd app && ./migrate); serve --port $PORT;")).toBe('["sh", "-c", "(cd app && ./migrate); exec serve --port $PORT;"]');
  });

  it("keeps a single command through sh as one exec", async () => {
    expect(await cmdFor("uvicorn main:app --host 0.0.0.0 --port $PORT")).toBe('["sh", "-c", "exec uvicorn main:app --host 0.0.0.0 --port $PORT"]');
    expect(await cmdFor("gunicorn app:app")).toBe('["gunicorn", "app:app"]');
  });
});
