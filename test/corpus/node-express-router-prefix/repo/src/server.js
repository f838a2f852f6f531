const app = require("./app");
const config = require("./config");

const server = app.listen(config.port, () => console.log(`catalog-api on ${config.port}`));
process.on("SIGTERM", () => server.close(() => process.exit(0)));
