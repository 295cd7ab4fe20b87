// Webhooks may not reach private, loopback or link-local addresses unless WEBHOOK_ALLOWED_NETWORKS
// lists them: refused with a 422 when saved, and refused again when a delivery connects (a name
// whose DNS answer changed after it was saved). The tests' env allows 127.0.0.0/8 and ::1 (vitest.config.ts),
// so the refusals below pass their own, empty allow list where the loopback receiver is involved.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { getDb } from "../db";
import { parseEnv } from "../env";
import { callerFor, makeUser } from "../testing/fixtures";
import { allowedNetworks } from "./allowed-networks";
import { assertWebhookTarget, blockedAddressReason } from "./webhook-address";
import { deliverWebhook } from "./deliver-webhook";

const none = allowedNetworks("");

describe("blockedAddressReason", () => {
  it.each([
    ["127.0.0.1", "loopback"],
    ["127.255.255.254", "loopback"],
    ["10.1.2.3", "private"],
    ["172.16.0.1", "private"],
    ["172.31.255.255", "private"],
    ["192.168.1.1", "private"],
    ["169.254.169.254", "link-local"],
    ["100.64.0.1", "carrier-grade"],
    ["0.0.0.0", "this network"],
    ["224.0.0.1", "multicast"],
    ["255.255.255.255", "reserved"],
    ["::1", "loopback"],
    ["::", "unspecified"],
    ["fe80::1", "link-local"],
    ["fd12:3456::1", "unique local"],
    ["::ffff:10.0.0.1", "private"],
    ["::ffff:7f00:1", "loopback"],
    ["64:ff9b::a00:1", "10.0.0.1, reached through NAT64"],
    ["64:ff9b::10.0.0.1", "10.0.0.1, reached through NAT64"],
    ["64:ff9b:1::a9fe:a9fe", "169.254.169.254, reached through NAT64"],
    ["::ffff:0:a00:1", "10.0.0.1, reached through SIIT"],
    ["2002:a00:1::1", "10.0.0.1, reached through 6to4"],
  ])("refuses %s (%s)", (ip, why) => {
    expect(blockedAddressReason(ip, none)).toContain(why);
  });

  // The last four: a public IPv4 receiver as an IPv6-only server with DNS64 reaches it (NAT64), and through SIIT and 6to4.
  it.each(["8.8.8.8", "93.184.216.34", "172.32.0.1", "100.128.0.1", "192.169.0.1", "2606:4700::1111", "64:ff9b::5db8:d822", "64:ff9b::93.184.216.34", "::ffff:0:5db8:d822", "2002:5db8:d822::1"])("lets public %s through", (ip) => {
    expect(blockedAddressReason(ip, none)).toBeNull();
  });

  it("lets through exactly what WEBHOOK_ALLOWED_NETWORKS lists", () => {
    const allowed = allowedNetworks(" 10.0.5.0/24 , 192.168.1.7, fd00::/8 ");
    expect(blockedAddressReason("10.0.5.20", allowed)).toBeNull();
    expect(blockedAddressReason("192.168.1.7", allowed)).toBeNull();
    expect(blockedAddressReason("fd00::5", allowed)).toBeNull();
    expect(blockedAddressReason("10.0.6.1", allowed)).toContain("private");
    expect(blockedAddressReason("192.168.1.8", allowed)).toContain("private");
    expect(blockedAddressReason("169.254.169.254", allowed)).toContain("link-local");
    // An allowed IPv4 address reached through NAT64 is allowed too.
    expect(blockedAddressReason("64:ff9b::a00:514", allowed)).toBeNull(); // 10.0.5.20
  });

  it("refuses what is not an IP address", () => {
    expect(blockedAddressReason("example.com", none)).toContain("not an IP address");
  });
});

describe("WEBHOOK_ALLOWED_NETWORKS", () => {
  it.each(["10.0.0.0/33", "::1/129", "abc", "10.0.0.0/8/9", "10.0.0.0/x", "10.0.0.0/", "10.0.0.0/-1", "300.1.1.1"])("refuses the entry %s, naming it", (entry) => {
    expect(() => allowedNetworks(`127.0.0.1,${entry}`)).toThrow(`"${entry}"`);
    expect(() => parseEnv({ NODE_ENV: "test", WEBHOOK_ALLOWED_NETWORKS: entry })).toThrow(/WEBHOOK_ALLOWED_NETWORKS: .*not an IP address or a CIDR range/);
  });

  it("is empty by default: every private address is refused", () => {
    expect(parseEnv({ NODE_ENV: "test" }).WEBHOOK_ALLOWED_NETWORKS).toBe("");
  });
});

describe("assertWebhookTarget (when a webhook is saved)", () => {
  it.each([
    "http://169.254.169.254/latest/meta-data/",
    "http://10.0.0.5/hook",
    "https://[fd00::1]/hook",
    "http://[::ffff:127.0.0.1]:8080/hook",
    "http://0x7f000001/hook", // the URL parser reads it as 127.0.0.1
    "http://2130706433/hook", // so is this
    "http://localhost:9/hook", // a name: checked by what it resolves to
  ])("refuses %s with a 422 naming the rule", async (url) => {
    await expect(assertWebhookTarget(url, none)).rejects.toMatchObject({ code: "VALIDATION", message: expect.stringContaining("WEBHOOK_ALLOWED_NETWORKS") });
  });

  it("accepts a public address, an allowed private one, and a name that does not resolve (yet)", async () => {
    await expect(assertWebhookTarget("https://93.184.216.34/hook", none)).resolves.toBeUndefined();
    await expect(assertWebhookTarget("http://10.0.5.20/hook", allowedNetworks("10.0.5.0/24"))).resolves.toBeUndefined();
    await expect(assertWebhookTarget("https://no-such-host.invalid/hook", none)).resolves.toBeUndefined();
  });
});

describe("integrations.webhooks.create", () => {
  it("answers 422 for an address inside the network and stores nothing", async () => {
    const admin = await makeUser("ADMIN");
    const before = await getDb().webhook.count();
    for (const url of ["http://169.254.169.254/latest/meta-data/", "http://10.20.30.40:8080/hook", "http://[fe80::1]/hook"]) {
      await expect(callerFor(admin).integrations.webhooks.create({ url, events: ["contact.created"] })).rejects.toMatchObject({ code: "UNPROCESSABLE_CONTENT", message: expect.stringContaining("points inside the network") });
    }
    expect(await getDb().webhook.count()).toBe(before);
  });
});

describe("deliverWebhook (when a delivery connects)", () => {
  let server: http.Server;
  let port = 0;
  const received: string[] = [];
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      received.push(req.url ?? "");
      req.resume();
      req.on("end", () => res.writeHead(204).end());
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  async function deliveryTo(url: string) {
    const hook = await getDb().webhook.create({ data: { url, events: ["contact.created"], secret: "whsec_test" } });
    const d = await getDb().webhookDelivery.create({ data: { webhookId: hook.id, event: "contact.created", payload: { data: {} } } });
    return d.id;
  }

  it("refuses a name that now resolves to a refused address, and records why (the receiver gets nothing)", async () => {
    // Saved as a name, the way a DNS answer that changed after saving looks to the worker.
    const id = await deliveryTo(`http://localhost:${port}/rebound`);
    // The first of 5 attempts: a refusal is final (FAILED now, and BullMQ's UnrecoverableError: no retry).
    await expect(deliverWebhook(getDb(), id, { number: 1, max: 5 }, { allowed: none })).rejects.toMatchObject({ name: "UnrecoverableError", message: expect.stringMatching(/refused/) });
    const row = await getDb().webhookDelivery.findUniqueOrThrow({ where: { id } });
    expect(row.status).toBe("FAILED");
    expect(row.attempts).toBe(1);
    expect(row.lastError).toMatch(/refused: .*loopback.*\(the address of localhost\).*WEBHOOK_ALLOWED_NETWORKS/);
    expect(received).not.toContain("/rebound");
  });

  it("refuses an address written in the URL, which never goes through DNS", async () => {
    const id = await deliveryTo(`http://127.0.0.1:${port}/literal`);
    await expect(deliverWebhook(getDb(), id, { number: 1, max: 5 }, { allowed: none })).rejects.toMatchObject({ name: "UnrecoverableError", message: expect.stringMatching(/refused: 127\.0\.0\.1 is this machine/) });
    expect(received).not.toContain("/literal");
    expect((await getDb().webhookDelivery.findUniqueOrThrow({ where: { id } })).status).toBe("FAILED");
  });

  it("delivers to the same receiver once its network is allowed", async () => {
    const id = await deliveryTo(`http://localhost:${port}/allowed`);
    await expect(deliverWebhook(getDb(), id, { number: 1, max: 5 }, { allowed: allowedNetworks("127.0.0.0/8,::1") })).resolves.toBe("delivered");
    expect(received).toContain("/allowed");
    const row = await getDb().webhookDelivery.findUniqueOrThrow({ where: { id } });
    expect(row.status).toBe("SUCCEEDED");
  });
});
