import createApp from "./lib/create-app.js";
import notes from "./routes/notes/notes.index.js";

const app = createApp();

// Every route of the API is under /api/v1.
app.route("/api/v1", notes);

export default app;
