import { createServer } from "node:http";
import { handle } from "./routes.js";

const port = Number(process.env.PORT) || 4300;

const server = createServer(handle);
server.listen(port, () => {
  console.log(`notes-api listening on ${port}`);
});

process.on("SIGTERM", () => {
  server.close(() => process.exit(0));
});
