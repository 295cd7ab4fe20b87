// Fault: the Redis Cluster master holding the app's keys dies mid-campaign and mid-batch,
// and its replica takes over; then every key is lost; then the app's slot is resharded to
// another master mid-campaign. On a plain cluster (no TLS, no ACL user); the scenarios and
// their checks are in redis-failover-scenarios.ts, shared with redis-failover-tls.test.ts.
import { describeRedisFailover } from "./redis-failover-scenarios";

await describeRedisFailover({
  title: "the Redis Cluster master with the app's keys fails over to its replica",
  suffix: "failover",
  // A dead port: nothing can fall back to a single Redis.
  redisUrl: "redis://127.0.0.1:1",
});
