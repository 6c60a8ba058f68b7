// Preloaded into the sandbox's bot process (NODE_OPTIONS=--import): any TCP connection to an address
// other than loopback fails at once, so a feed added with /feed add, say, cannot reach the internet.
import net from 'node:net';
import process from 'node:process';

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);
const connect = net.Socket.prototype.connect;

net.Socket.prototype.connect = function (...args) {
  const first = Array.isArray(args[0]) ? args[0][0] : args[0];
  const options = typeof first === 'object' && first !== null ? first : { port: first, host: typeof args[1] === 'string' ? args[1] : undefined };
  const host = options.host ?? 'localhost';
  if (typeof options.path !== 'string' && !LOOPBACK.has(host)) {
    process.nextTick(() => this.destroy(new Error(`sandbox: connections beyond loopback are blocked (${host})`)));
    return this;
  }
  return connect.apply(this, args);
};
