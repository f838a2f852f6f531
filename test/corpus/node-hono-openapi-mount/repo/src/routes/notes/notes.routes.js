import { createRoute, z } from "@hono/zod-openapi";

const Note = z.object({ id: z.number(), text: z.string() });

export const list = createRoute({
  tags: ["Notes"],
  method: "get",
  path: "/notes",
  responses: {
    200: { description: "The notes", content: { "application/json": { schema: z.array(Note) } } },
  },
});

export const health = createRoute({
  tags: ["Health"],
  method: "get",
  path: "/health",
  responses: {
    200: { description: "Serving", content: { "application/json": { schema: z.object({ status: z.string() }) } } },
  },
});
