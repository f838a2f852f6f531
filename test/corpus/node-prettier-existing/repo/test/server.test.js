const test = require('node:test');
const assert = require('node:assert');
const { handler } = require('../src/server.js');

test('livez answers ok', () => {
  let status;
  const res = { writeHead: (s) => (status = s), end: () => {} };
  handler({ url: '/livez' }, res);
  assert.strictEqual(status, 200);
});
