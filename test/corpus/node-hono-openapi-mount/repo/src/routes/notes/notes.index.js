import { createRouter } from "../../lib/create-app.js";
import * as routes from "./notes.routes.js";

const notes = [{ id: 1, text: "buy milk" }];

const router = createRouter()
  .openapi(routes.list, (c) => c.json(notes, 200))
  .openapi(routes.health, (c) => c.json({ status: "ok" }, 200));

export default router;
