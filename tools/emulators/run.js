'use strict';
// Runs one local AWS engine for the tests and the demo, and stops it as soon as whoever started it goes away.
//
//   node run.js kinesis <plainPort> <tlsPort>   kinesis-mock (npm kinesis-local), HTTP on plainPort
//   node run.js dynamodb <port>                 dynalite, in memory
//
// The engine runs inside this process, so there is no grandchild to leak. This process exits when its
// standard input reaches end-of-file: the starter keeps the pipe open for its whole life, and the OS closes
// it when the starter dies in any way (including SIGKILL), so the engine cannot outlive it. A reparenting
// check backs this up for starters that hand over a stdin they do not hold open. Run by hand, press Ctrl-D
// (or Ctrl-C) to stop.
//
// Once every port of the engine is bound, this prints the line "run.js: ready". A starter should wait for
// that line before probing: a port picked as free may be taken by someone else before the engine binds it,
// and then the answer would come from the wrong server (the engine itself exits on EADDRINUSE).

const path = require('path');

function usage() {
  console.error('usage: node run.js kinesis <plainPort> <tlsPort> | node run.js dynamodb <port>');
  process.exit(2);
}

function port(text) {
  const value = Number.parseInt(text, 10);
  if (!Number.isInteger(value) || value <= 0 || value > 65535 || String(value) !== text) usage();
  return value;
}

// kinesis-mock (a cats-effect IOApp) replaces process.exit with a graceful exit that first waits for its server to end
// every open connection, which a half-sent request holds off for ever: the engine then outlives its starter (seen as
// "run.js: stopping" followed by nothing). It keeps nothing worth a graceful end (no persistence), so stop() ends the
// process at once, skipping 'exit' listeners.
function exitNow(code) {
  process.reallyExit(code);
}

let stopping = false;
function stop(reason, code) {
  if (stopping) return;
  stopping = true;
  if (reason) console.error(`run.js: stopping (${reason})`);
  exitNow(code || 0);
}

function watchStarter() {
  process.stdin.on('end', () => stop('stdin closed'));
  process.stdin.on('close', () => stop('stdin closed'));
  process.stdin.on('error', () => stop('stdin error'));
  process.stdin.resume();

  const starter = process.ppid;
  setInterval(() => {
    if (process.ppid !== starter) stop('starter exited');
  }, 1000).unref();

  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGHUP', () => stop('SIGHUP'));
}

const READY = 'run.js: ready';

/**
 * Wraps net.Server#listen so this process learns when the engine has bound its ports, and keeps the
 * engine on loopback: kinesis-mock binds every interface, and a test engine has no business there.
 */
function watchListening(ports, onAllBound) {
  const net = require('net');
  const listen = net.Server.prototype.listen;
  const pending = new Set(ports);
  net.Server.prototype.listen = function (...args) {
    if (typeof args[0] === 'number' && typeof args[1] !== 'string') {
      args.splice(1, 0, '127.0.0.1');
    } else if (args[0] && typeof args[0] === 'object' && args[0].port !== undefined && !args[0].host) {
      args[0] = { ...args[0], host: '127.0.0.1' };
    }
    const failed = (err) => stop(`cannot listen: ${err.message}`, 1);
    this.once('error', failed);
    this.once('listening', () => {
      this.removeListener('error', failed);
      const address = this.address();
      if (address && typeof address === 'object' && pending.delete(address.port) && pending.size === 0) onAllBound();
    });
    return listen.apply(this, args);
  };
}

function setDefault(name, value) {
  if (process.env[name] === undefined || process.env[name] === '') process.env[name] = value;
}

function localStackSetting(name, fallback) {
  const value = (process.env[name] || '').trim();
  return value === '' ? fallback : value;
}

function startKinesis(plainPort, tlsPort) {
  const home = path.join(__dirname, 'node_modules', 'kinesis-local');
  process.env.KINESIS_MOCK_PLAIN_PORT = String(plainPort);
  process.env.KINESIS_MOCK_TLS_PORT = String(tlsPort);
  // LocalStack's defaults, so a test that works here works on a user's LocalStack: KINESIS_LATENCY (500 ms for every
  // stream create/delete/reshard/consumer change), KINESIS_SHARD_LIMIT (100 open shards in all),
  // KINESIS_ON_DEMAND_STREAM_COUNT_LIMIT (10). The same variables change them here, as they do in LocalStack.
  const latency = `${localStackSetting('KINESIS_LATENCY', '500')}ms`;
  for (const name of [
    'CREATE_STREAM_DURATION', 'DELETE_STREAM_DURATION', 'SPLIT_SHARD_DURATION', 'MERGE_SHARDS_DURATION',
    'UPDATE_SHARD_COUNT_DURATION', 'UPDATE_STREAM_MODE_DURATION', 'REGISTER_STREAM_CONSUMER_DURATION',
    'DEREGISTER_STREAM_CONSUMER_DURATION', 'START_STREAM_ENCRYPTION_DURATION', 'STOP_STREAM_ENCRYPTION_DURATION',
  ]) {
    setDefault(name, latency);
  }
  setDefault('SHARD_LIMIT', localStackSetting('KINESIS_SHARD_LIMIT', '100'));
  setDefault('ON_DEMAND_STREAM_COUNT_LIMIT', localStackSetting('KINESIS_ON_DEMAND_STREAM_COUNT_LIMIT', '10'));
  setDefault('LOG_LEVEL', 'WARN');
  setDefault('SHOULD_PERSIST_DATA', 'false');
  watchListening([plainPort, tlsPort], () => console.log(READY));
  // kinesis-mock reads server.json (its TLS certificate) from the working directory.
  process.chdir(home);
  require(path.join(home, 'main.js'));
  console.log(`kinesis-mock starting on http://127.0.0.1:${plainPort} (tls ${tlsPort})`);
}

function startDynamoDb(dynamoPort) {
  require('./dynalite.js').start(dynamoPort, '127.0.0.1', () => console.log(READY));
}

process.on('uncaughtException', (err) => {
  console.error(`run.js: ${err && err.stack ? err.stack : err}`);
  stop(undefined, 1);
});

const [engine, ...args] = process.argv.slice(2);
if (engine === 'kinesis' && args.length === 2) {
  watchStarter();
  startKinesis(port(args[0]), port(args[1]));
} else if (engine === 'dynamodb' && args.length === 1) {
  watchStarter();
  startDynamoDb(port(args[0]));
} else {
  usage();
}
