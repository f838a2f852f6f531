import { OpenAPIHono } from "@hono/zod-openapi";

/** A router of its own: routes declared with createRoute and registered with .openapi. */
export function createRouter() {
  return new OpenAPIHono({ strict: false });
}

export default function createApp() {
  const app = createRouter();
  app.doc("/doc", { openapi: "3.0.0", info: { title: "Notes API", version: "0.3.0" } });
  return app;
}
