// The Redis backend, as the backend table lists it, and its connection for tests and benchmarks.
export { type RedisAccess, redisAccessOf } from "./redis-access.js";
export { redisBackend } from "./redis-backend.js";
