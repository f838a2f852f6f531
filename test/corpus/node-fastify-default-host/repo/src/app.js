import Fastify from "fastify";
import health from "./routes/health.js";
import notes from "./routes/notes.js";

export function build(opts = {}) {
  const app = Fastify(opts);
  app.register(health);
  app.register(notes, { prefix: "/notes" });
  return app;
}
