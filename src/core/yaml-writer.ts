import { stringify } from "yaml";
import { setYamlStringify } from "./helpers.js";

/**
 * Hands the YAML library's writer to h.yaml (src/core/helpers.ts), for a built-in pack whose
 * templates call it. A module of its own, imported lazily by name: an `import("yaml")` would keep
 * every export of the library in the bundle (its CST tools, Lexer, Parser, Composer, Schema), used or not.
 */
export function useYamlWriter(): void {
  setYamlStringify(stringify);
}
