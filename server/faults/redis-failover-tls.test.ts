// Fault: the scenarios of redis-failover.test.ts (a master failing over to its replica
// mid-campaign and mid-batch, every key lost, the app's slot resharded mid-campaign), with
// the same checks, on a Redis Cluster set up as managed clusters are (ElastiCache with
// in-transit encryption, Memorystore …): every node listens only on TLS, for clients, the
// cluster bus and replication (`port 0`, `tls-port`, `tls-cluster yes`, `tls-replication
// yes`); one ACL user, the default user off; the nodes announce a hostname (`localhost`,
// `cluster-preferred-endpoint-type hostname`) and their certificate names only that hostname
// (DNS:localhost), so a client that connects to a promoted replica or a MOVED target by IP
// is refused. The app gets REDIS_CLUSTER_NODES=localhost:P,… and
// REDIS_URL=rediss://user:password@localhost:1 (only its credentials and TLS are used). The
// workers trust the throwaway CA through NODE_EXTRA_CA_CERTS, as in production; this
// process, which plays the web side (health, rate limits, uploads, enqueues), trusts it
// through trustCaInThisProcess (server/testing/test-ca.ts): Node reads NODE_EXTRA_CA_CERTS
// only at start.
import { describe, expect, it } from "vitest";
import net from "node:net";
import tls from "node:tls";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { redisServerHasTls, redisServerMajorVersion } from "../testing/redis-cluster";
import { hasOpenssl, makeTestCertificates, trustCaInThisProcess } from "../testing/test-ca";
import { describeRedisFailover } from "./redis-failover-scenarios";

// Hostnames announced in CLUSTER SLOTS and MOVED need Redis 7.
const canRun = hasOpenssl() && redisServerHasTls() && redisServerMajorVersion() >= 7;
const HOST = "localhost";
const USER = "sales-agent";
const PASSWORD = `pw-${Math.random().toString(36).slice(2)}`;

/** What a server answers a PING on this socket with, before it closes or 3 s pass. */
function ping(s: net.Socket): Promise<string> {
  return new Promise((resolve) => {
    let got = "";
    s.write("PING\r\n");
    s.on("data", (d) => {
      got += d;
      if (got.endsWith("\r\n")) s.destroy();
    });
    s.on("error", () => {});
    s.on("close", () => resolve(got));
    s.setTimeout(3_000, () => s.destroy());
  });
}

if (canRun) {
  const certDir = mkdtempSync(path.join(tmpdir(), "sa-redis-failover-tls-"));
  const certs = makeTestCertificates(certDir, { san: `DNS:${HOST}` });
  const untrust = trustCaInThisProcess(certs.caFile);

  await describeRedisFailover({
    title: "on a TLS-only Redis Cluster (ACL user, hostname-only certificates), the master with the app's keys fails over to its replica",
    suffix: "failover-tls",
    cluster: { tls: certs, user: { name: USER, password: PASSWORD }, announceHostname: HOST },
    // Port 1: nothing listens there, so nothing can fall back to a single Redis.
    redisUrl: `rediss://${USER}:${PASSWORD}@${HOST}:1`,
    workerEnv: { NODE_EXTRA_CA_CERTS: certs.caFile },
    setUpChecks(cluster) {
      it("the set-up is the one to test: TLS only, the default user off, every node (replicas too) announced as localhost, a certificate that does not name 127.0.0.1", async () => {
        expect(cluster.nodes).toBe(cluster.ports.map((p) => `${HOST}:${p}`).join(","));
        const owner = cluster.ports[0];
        // CLUSTER SHARDS lists every node, replicas too, with the endpoint clients are sent to.
        const pairs = (flat: unknown[]) => Object.fromEntries(flat.flatMap((v, i) => (i % 2 ? [] : [[String(v), flat[i + 1]]])));
        const shards = (await cluster.node(owner).call("CLUSTER", "SHARDS")) as unknown[][];
        const nodes = shards.flatMap((shard) => (pairs(shard).nodes as unknown[][]).map(pairs));
        expect(nodes.map((n) => Number(n["tls-port"] ?? n.port)).sort((a, b) => a - b)).toEqual([...cluster.ports].sort((a, b) => a - b));
        expect(new Set(nodes.map((n) => n.endpoint))).toEqual(new Set([HOST]));
        expect(nodes.filter((n) => n.role === "replica")).toHaveLength(3);
        // Plain text is not answered on any node's port.
        for (const port of cluster.ports) expect(await ping(net.connect({ host: "127.0.0.1", port }))).not.toMatch(/PONG/);
        // The same CA and node by IP: the certificate is refused.
        const byIp = tls.connect({ host: "127.0.0.1", port: owner, ca: readFileSync(certs.caFile) });
        const refusal = await new Promise<Error>((resolve, reject) => byIp.once("error", resolve).once("secureConnect", () => reject(new Error("verified"))));
        byIp.destroy();
        expect(refusal.message).toMatch(/IP: 127\.0\.0\.1 is not in the cert's list/);
        // TLS, the right CA and the hostname, but no credentials: the default user is off.
        expect(await ping(tls.connect({ host: HOST, port: owner, ca: readFileSync(certs.caFile) }))).toMatch(/^-NOAUTH/);
      });
    },
    cleanUp() {
      untrust();
      rmSync(certDir, { recursive: true, force: true });
    },
  });
} else {
  describe.skip("Redis Cluster failover over TLS (needs openssl and a TLS-enabled redis-server 7)", () => {
    it("skipped", () => {});
  });
}
