// Settings, from the environment with defaults for a developer's machine.
module.exports = {
  database: {
    host: process.env.DB_HOST || "localhost",
    port: 5432,
    name: "catalog",
  },
  cache: { host: process.env.REDIS_HOST || "localhost", port: 6379 },
  port: parseInt(process.env.PORT, 10) || 4100,
};
