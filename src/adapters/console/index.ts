export {
  type ConsoleAdapter,
  type ConsoleAdapterOptions,
  createConsoleAdapter,
  toConsoleEvent,
} from "./console-adapter.js";
