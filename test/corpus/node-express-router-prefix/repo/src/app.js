const express = require("express");
const healthRoutes = require("./routes/health");
const { products } = require("./routes/products");

const app = express();
app.use(express.json());
app.use("/api", healthRoutes);
app.use("/api/products", products);

module.exports = app;
