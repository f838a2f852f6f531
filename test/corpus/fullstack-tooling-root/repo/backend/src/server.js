import express from "express";

const app = express();
const notes = [];
app.use(express.json());
app.get("/api/health", (_req, res) => res.json({ ok: true }));
app.get("/api/notes", (_req, res) => res.json(notes));
app.post("/api/notes", (req, res) => {
  notes.push({ id: notes.length + 1, text: String(req.body?.text ?? "") });
  res.status(201).json(notes.at(-1));
});

const port = Number(process.env.PORT ?? 4000);
app.listen(port, () => console.log(`notes api on :${port}`));
