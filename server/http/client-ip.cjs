// @ts-check
// The client's address, decided once per request by the web launcher (scripts/start-web.cjs),
// which alone knows the TCP peer, and handed to the app in a header the app trusts.
//
// TRUST_PROXY_HOPS (default 0) is the number of reverse proxies in front of the app that each
// append the address they saw to X-Forwarded-For (nginx's $proxy_add_x_forwarded_for, most
// load balancers):
//   0: the client address is the TCP peer; any X-Forwarded-For the client sent is ignored.
//   N: the Nth address from the right of X-Forwarded-For, the one the outermost of the N
//      trusted proxies appended. Everything left of it came from the client and is ignored.
//      A header with fewer than N addresses did not pass through every proxy: the peer is used.
// The launcher then overwrites X-Forwarded-For with that single address and sets CLIENT_IP_HEADER
// (replacing anything the client sent under that name); server/http/request-meta.ts reads only
// CLIENT_IP_HEADER, and only in processes the launcher started (LAUNCHER_MARKER).
"use strict";
const net = require("node:net");

/** The header the launcher writes and request-meta.ts reads (lower case, as Node stores it). */
const CLIENT_IP_HEADER = "x-sa-client-ip";
/** Set in the environment by the launcher: without it the header may come from the client. */
const LAUNCHER_MARKER = "SA_CLIENT_IP_FROM_LAUNCHER";
const MAX_TRUST_PROXY_HOPS = 20;

/**
 * An address as it appears in a socket or X-Forwarded-For entry, reduced to a bare IP
 * ("::ffff:203.0.113.9" → "203.0.113.9", "[2001:db8::1]:443" → "2001:db8::1",
 * "198.51.100.4:5123" → "198.51.100.4"); undefined when it is not an IP address.
 * @param {string | undefined | null} raw
 * @returns {string | undefined}
 */
function normalizeIp(raw) {
  if (!raw) return undefined;
  let s = raw.trim();
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(s);
  if (bracketed) s = bracketed[1];
  else if (/^\d{1,3}(?:\.\d{1,3}){3}:\d+$/.test(s)) s = s.slice(0, s.lastIndexOf(":"));
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(s);
  if (mapped) s = mapped[1];
  return net.isIP(s) ? s.toLowerCase() : undefined;
}

/**
 * The client address for one request.
 * @param {string | undefined} peer the socket's remoteAddress
 * @param {string | string[] | undefined} forwardedFor the X-Forwarded-For header(s) as received
 * @param {number} hops TRUST_PROXY_HOPS
 * @returns {string} an IP address, or "unknown" when there is none (a socket already closed)
 */
function clientIpFrom(peer, forwardedFor, hops) {
  const fromPeer = normalizeIp(peer) ?? "unknown";
  if (hops <= 0) return fromPeer;
  const list = (Array.isArray(forwardedFor) ? forwardedFor.join(",") : (forwardedFor ?? ""))
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  if (list.length < hops) return fromPeer;
  return normalizeIp(list[list.length - hops]) ?? fromPeer;
}

/**
 * TRUST_PROXY_HOPS from the environment: unset or empty is 0.
 * @param {string | undefined} raw
 * @returns {number}
 * @throws {Error} with a one-line reason for anything but a whole number 0..20
 */
function parseTrustProxyHops(raw) {
  if (raw === undefined || raw.trim() === "") return 0;
  const n = Number(raw);
  if (!/^\s*\d+\s*$/.test(raw) || !Number.isSafeInteger(n) || n > MAX_TRUST_PROXY_HOPS) {
    throw new Error(`TRUST_PROXY_HOPS must be a whole number from 0 to ${MAX_TRUST_PROXY_HOPS} (the number of reverse proxies in front of the app), got "${raw.slice(0, 40)}"`);
  }
  return n;
}

/**
 * Writes the decided address into the request before anything else reads it: X-Forwarded-For
 * becomes that one address (for Next and next-auth, which read it) and CLIENT_IP_HEADER is set,
 * whatever the client sent under either name. Call exactly once per request.
 * @param {import("node:http").IncomingMessage} req
 * @param {number} hops
 * @returns {string} the address
 */
function stampClientIp(req, hops) {
  const ip = clientIpFrom(req.socket.remoteAddress, req.headers["x-forwarded-for"], hops);
  req.headers["x-forwarded-for"] = ip;
  req.headers[CLIENT_IP_HEADER] = ip;
  delete req.headers["x-real-ip"];
  return ip;
}

module.exports = { CLIENT_IP_HEADER, LAUNCHER_MARKER, MAX_TRUST_PROXY_HOPS, normalizeIp, clientIpFrom, parseTrustProxyHops, stampClientIp };
