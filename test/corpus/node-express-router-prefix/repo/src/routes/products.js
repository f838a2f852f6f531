const express = require("express");

const products = express.Router();
const items = [{ id: 1, name: "lamp" }];

products.get("/", (_req, res) => res.json(items));
products.get("/:id", (req, res) => {
  const item = items.find((p) => String(p.id) === req.params.id);
  if (!item) return res.status(404).json({ error: "not found" });
  res.json(item);
});

module.exports = { products, items };
