import { describe, expect, it } from "vitest";
import { tempRepos } from "../support/temp-repo.js";
import { detectReport } from "../../src/io/detect/index.js";

const repo = tempRepos("detect-worker-");
const refusalOf = async (files: Record<string, string>) => (await detectReport(repo(files), { refusal: false })).refusal;

const natsMain = `package main

import (
\t"log"
\t"os"
\t"os/signal"

\t"github.com/nats-io/nats.go"
)

func main() {
\tnc, err := nats.Connect(os.Getenv("NATS_URL"))
\tif err != nil {
\t\tlog.Fatal(err)
\t}
\tnc.Subscribe("orders.created", func(m *nats.Msg) { log.Printf("order %s", m.Data) })
\tch := make(chan os.Signal, 1)
\tsignal.Notify(ch, os.Interrupt)
\t<-ch
}
`;
const goMod = "module example.com/acme/order-worker\n\ngo 1.22\n\nrequire github.com/nats-io/nats.go v1.37.0\n";

describe("a background worker with no listener is refused, naming the evidence and the flags", () => {
  it("a Go NATS consumer", async () => {
    const r = await refusalOf({ "go.mod": goMod, "main.go": natsMain });
    expect(r?.message).toMatch(
      /^a background worker with no network listener \(Go, main\.go\): main\.go runs without a listener \(import "github\.com\/nats-io\/nats\.go"\)/,
    );
    expect(r?.message).toMatch(/deploys a service that listens on a port/);
    expect(r?.hint).toMatch(/--port <port>.*--start-command/);
    expect(r?.overriddenBy).toEqual(["port", "startCommand"]);
  });

  it("a Go consumer whose Run() is its own package's (not a server library's)", async () => {
    const r = await refusalOf({
      "go.mod": goMod,
      "cmd/worker/main.go":
        'package main\n\nimport (\n\t"context"\n\n\t"example.com/acme/order-worker/internal/consumer"\n)\n\nfunc main() {\n\tc, _ := consumer.New()\n\t_ = c.Run(context.Background())\n}\n',
      "internal/consumer/consumer.go": natsMain.replace("package main", "package consumer").replace("func main() {", "func run() {"),
    });
    expect(r?.message).toMatch(
      /^a background worker with no network listener \(Go, cmd\/worker\/main\.go\): internal\/consumer\/consumer\.go runs without a listener/,
    );
  });

  it("a Go consumer with a health listener beside it is a service", async () => {
    const main = natsMain.replace("\tch := make", '\tgo http.ListenAndServe(":8080", nil)\n\tch := make');
    expect(await refusalOf({ "go.mod": goMod, "main.go": main })).toBeUndefined();
  });

  const discordPkg = JSON.stringify({
    name: "guild-bot",
    private: true,
    main: "src/index.js",
    scripts: { start: "node src/index.js" },
    dependencies: { "discord.js": "^14.16.0", dotenv: "^16.4.0" },
  });
  const discordIndex =
    'require("dotenv").config();\nconst { Client, GatewayIntentBits } = require("discord.js");\nconst { onMessage } = require("./handlers");\nconst client = new Client({ intents: [GatewayIntentBits.Guilds] });\nclient.on("messageCreate", onMessage);\nclient.login(process.env.DISCORD_TOKEN);\n';

  it("a Node.js Discord bot", async () => {
    const r = await refusalOf({ "package.json": discordPkg, "src/index.js": discordIndex, "src/handlers.js": "exports.onMessage = (m) => m.reply('pong');\n" });
    expect(r?.message).toMatch(
      /^a background worker with no network listener \(Node\.js, discord\.js in package\.json\): src\/index\.js runs \.login\(\) and none of the 2 files it is made of opens a port/,
    );
    expect(r?.hint).toMatch(/`--port <port>` and `--start-command "node <file>"`/);
  });

  it("a Node.js bot that serves a health endpoint (express) or a webhook is a service", async () => {
    const withExpress = JSON.stringify({ ...JSON.parse(discordPkg), dependencies: { "discord.js": "^14.16.0", express: "^4.21.0" } });
    expect(await refusalOf({ "package.json": withExpress, "src/index.js": discordIndex })).toBeUndefined();
    const tg = JSON.stringify({ name: "tg", private: true, scripts: { start: "node bot.js" }, dependencies: { telegraf: "^4.16.0" } });
    expect(
      await refusalOf({
        "package.json": tg,
        "bot.js":
          'const { Telegraf } = require("telegraf");\nconst bot = new Telegraf(process.env.BOT_TOKEN);\nbot.launch({ webhook: { domain: process.env.DOMAIN, port: 8443 } });\n',
      }),
    ).toBeUndefined();
  });

  it("a Node.js app whose Procfile has only a worker process", async () => {
    const pkg = JSON.stringify({ name: "sync", private: true, scripts: { start: "node worker.js" }, dependencies: { pg: "^8.13.0" } });
    const r = await refusalOf({
      "package.json": pkg,
      Procfile: "worker: node worker.js\n",
      "worker.js": 'const { Client } = require("pg");\nasync function tick() { await new Client().connect(); }\nsetInterval(tick, 60000);\n',
    });
    expect(r?.message).toMatch(
      /^a background worker with no network listener \(Node\.js, its Procfile has worker: "node worker\.js" and no web process\): none of the 1 file it is made of opens a port/,
    );
  });

  it("a Python Procfile with only a worker process (celery)", async () => {
    const r = await refusalOf({
      "requirements.txt": "celery==5.4.0\nredis==5.0.8\n",
      Procfile: "worker: celery -A tasks worker --loglevel=info\n",
      "tasks.py": 'from celery import Celery\n\napp = Celery("tasks", broker="redis://localhost:6379/0")\n\n@app.task\ndef add(x, y):\n    return x + y\n',
    });
    expect(r?.message).toMatch(
      /^a background worker with no network listener \(Python\): its Procfile has worker: "celery -A tasks worker --loglevel=info" and no web process/,
    );
  });

  it("a Python Telegram bot run as a script", async () => {
    const r = await refusalOf({
      "requirements.txt": "python-telegram-bot==21.6\n",
      "main.py":
        'import os\nfrom telegram.ext import ApplicationBuilder, CommandHandler\n\nasync def start(update, context):\n    await update.message.reply_text("hi")\n\nif __name__ == "__main__":\n    app = ApplicationBuilder().token(os.environ["TOKEN"]).build()\n    app.add_handler(CommandHandler("start", start))\n    app.run_polling()\n',
    });
    expect(r?.message).toMatch(
      /^a background worker with no network listener \(Python\): "python main\.py" runs main\.py \(\.run_polling\(\)\) with python-telegram-bot among its dependencies/,
    );
  });

  it("a Python Discord bot in bot.py, a script that runs itself (no start command found for it)", async () => {
    const r = await refusalOf({
      "requirements.txt": "discord.py==2.4.0\npython-dotenv==1.0.1\n",
      "bot.py":
        'import os\n\nimport discord\n\nclient = discord.Client(intents=discord.Intents.default())\n\n@client.event\nasync def on_ready():\n    print("ready")\n\nif __name__ == "__main__":\n    client.run(os.environ["DISCORD_TOKEN"])\n',
    });
    expect(r?.message).toMatch(
      /^a background worker with no network listener \(Python\): bot\.py runs itself \(client\.run\(\)\) with discord-py among its dependencies/,
    );
  });

  it("a Flask app with a celery worker beside it (Procfile web and worker) is a service", async () => {
    const files = {
      "requirements.txt": "flask==3.0.3\ncelery==5.4.0\ngunicorn==23.0.0\n",
      Procfile: "web: gunicorn app:app --bind 0.0.0.0:$PORT\nworker: celery -A tasks worker\n",
      "app.py": 'from flask import Flask\nfrom tasks import add\n\napp = Flask(__name__)\n\n@app.get("/healthz")\ndef health():\n    return "ok"\n',
      "tasks.py": 'from celery import Celery\n\ncelery = Celery("tasks")\n',
    };
    expect(await refusalOf(files)).toBeUndefined();
    const { Procfile: _, ...noProcfile } = files;
    expect(await refusalOf(noProcfile)).toBeUndefined();
  });
});
