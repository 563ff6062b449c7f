// The SQLite backend, as the backend table lists it.
export { sqliteBackend } from "./sqlite-backend.js";
