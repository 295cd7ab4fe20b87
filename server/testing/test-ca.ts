// A throwaway certificate authority and a server certificate for 127.0.0.1/localhost, made
// with the openssl CLI in `dir`, for tests of TLS connections (Redis, PostgreSQL) that must
// verify the server as production does, against a CA the test controls. `{ san }` replaces
// the certificate's subjectAltName, e.g. "DNS:localhost" alone: a certificate that names
// only a hostname, as managed services' certificates do, which a client connecting to
// 127.0.0.1 must refuse.
import { execFileSync } from "node:child_process";
import { existsSync, writeFileSync } from "node:fs";
import path from "node:path";

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
