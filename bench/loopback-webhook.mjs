// Preloaded (`node --import`) into the deployed-configuration bench child: inside Lambda
// (AWS_LAMBDA_FUNCTION_NAME set) the handler accepts only an https Dooray webhook URL on port 443, so the child is
// given https://bench.dooray.com/... and this hook sends requests for that host to the loopback receiver in
// BENCH_WEBHOOK_LOOPBACK (http://127.0.0.1:<port>) instead. Every other https request fails, so nothing leaves
// the machine.
import http from 'node:http';
import https from 'node:https';

const target = new URL(process.env.BENCH_WEBHOOK_LOOPBACK ?? 'http://127.0.0.1:1');
https.request = (url, options, callback) => {
  const u = new URL(String(url));
  if (u.hostname !== 'bench.dooray.com') throw new Error(`bench: https request to ${u.hostname} refused`);
  const { agent: _agent, ...rest } = options ?? {};
  return http.request(`${target.origin}${u.pathname}${u.search}`, rest, callback);
};
