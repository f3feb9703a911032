'use strict';
// dynalite (DynamoDB) in memory on loopback, with table state changes made instant so tests never wait
// for CREATING/DELETING/UPDATING tables.
//
//   node dynalite.js <port> [host]      (host defaults to 127.0.0.1)
//
// Also used in-process by run.js through start(port, host, onListening).

const dynalite = require('dynalite');

function start(port, host, onListening) {
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  server.on('error', (err) => {
    console.error(`dynalite: ${err.message}`);
    process.exit(1);
  });
  server.listen(port, host || '127.0.0.1', () => {
    const address = server.address();
    console.log(`dynalite listening on http://${address.address}:${address.port}`);
    if (onListening) onListening();
  });
  return server;
}

module.exports = { start };

if (require.main === module) {
  const port = Number.parseInt(process.argv[2], 10);
  if (!Number.isInteger(port) || port <= 0 || port > 65535) {
    console.error('usage: node dynalite.js <port> [host]');
    process.exit(2);
  }
  start(port, process.argv[3]);
}
