// A throwaway certificate authority and a server certificate for 127.0.0.1/localhost, made
// with the openssl CLI in `dir`, for tests of TLS connections (Redis, PostgreSQL) that must
// verify the server as production does, against a CA the test controls. `{ san }` replaces
// the certificate's subjectAltName, e.g. "DNS:localhost" alone: a certificate that names
// only a hostname, as managed services' certificates do, which a client connecting to
// 127.0.0.1 must refuse.
// `trustCaInThisProcess` makes the test's own, already running process trust that CA.
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import tls from "node:tls";

export interface TestCertificates {
  /** The CA certificate (PEM): what a client must trust. */
  caFile: string;
  /** The server's certificate (PEM, signed by the CA) and its private key. */
  certFile: string;
  keyFile: string;
}

export const hasOpenssl = () => existsSync("/usr/bin/openssl");

export function makeTestCertificates(dir: string, opts: { san?: string } = {}): TestCertificates {
  const openssl = (...args: string[]) => execFileSync("openssl", args, { cwd: dir, stdio: "pipe" });
  openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem", "-days", "2", "-subj", "/CN=sales-agent-test-ca");
  const san = opts.san ?? "IP:127.0.0.1,DNS:localhost";
  // Node never checks an IP against the CN, and a hostname only when the SAN names none.
  openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=127.0.0.1");
  writeFileSync(path.join(dir, "san.cnf"), `subjectAltName=${san}\n`);
  openssl("x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-out", "server.pem", "-days", "2", "-extfile", "san.cnf");
  return { caFile: path.join(dir, "ca.pem"), certFile: path.join(dir, "server.pem"), keyFile: path.join(dir, "server.key") };
}

/**
 * Makes this process trust the CA in `caFile`, besides Node's own roots, on every TLS
 * connection that names no CA of its own: what NODE_EXTRA_CA_CERTS does for a process
 * started with it. For the test file's process, already running when the test makes its CA:
 * Node reads NODE_EXTRA_CA_CERTS only at start, and Node 20 has no
 * tls.setDefaultCACertificates. It wraps tls.connect (ioredis calls it through the module
 * object); the hostname is still checked against the certificate as usual. Child processes
 * (workers) should get NODE_EXTRA_CA_CERTS instead. Returns the undo.
 */
export function trustCaInThisProcess(caFile: string): () => void {
  const mod = tls as { connect: typeof tls.connect };
  const original = mod.connect;
  const ca = [...tls.rootCertificates, readFileSync(caFile, "utf8")];
  mod.connect = ((...args: unknown[]) => {
    const first = args[0] as tls.ConnectionOptions | undefined;
    if (first && typeof first === "object" && !first.ca && !first.secureContext) args[0] = { ...first, ca };
    return (original as (...a: unknown[]) => tls.TLSSocket)(...args);
  }) as typeof tls.connect;
  return () => {
    mod.connect = original;
  };
}
