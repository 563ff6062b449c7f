export { createLruCache, type LruCache } from "../../util/lru.js";
