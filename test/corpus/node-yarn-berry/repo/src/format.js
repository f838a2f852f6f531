const ms = require("ms");

/** "up 3h" for a number of milliseconds. */
function uptime(millis) {
  return `up ${ms(millis)}`;
}

module.exports = { uptime };
