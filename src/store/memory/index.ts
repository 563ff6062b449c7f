// The in-process memory backend, as the backend table lists it.
export { memoryBackend } from "./memory-backend.js";
