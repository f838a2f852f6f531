const notes = new Map();

export default async function routes(app) {
  app.get("/", async () => [...notes.values()]);
  app.post("/", async (req, reply) => {
    const id = String(notes.size + 1);
    notes.set(id, { id, text: String(req.body?.text ?? "") });
    return reply.code(201).send(notes.get(id));
  });
}
