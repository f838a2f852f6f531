// The few semver functions the engine needs. They are required on first use, one function module
// at a time: the package's index evaluates every module (and builds comparators) at load, and even
// these few cost start-up time on the paths that never compare versions (a built-in pack's create).
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const fn = <T>(path: string): (() => T) => {
  let f: T | undefined;
  return () => (f ??= require(path) as T);
};
const satisfiesFn = fn<(v: string, r: string, o: object) => boolean>("semver/functions/satisfies.js");
const validFn = fn<(v: string) => string | null>("semver/functions/valid.js");
const gtrFn = fn<(v: string, r: string) => boolean>("semver/ranges/gtr.js");
const validRangeFn = fn<(r: string) => string | null>("semver/ranges/valid.js");
const minVersionFn = fn<(r: string) => { version: string } | null>("semver/ranges/min-version.js");

export const satisfies = (version: string, range: string): boolean => satisfiesFn()(version, range, { includePrerelease: true });
export const valid = (version: string): boolean => validFn()(version) !== null;
export const validRange = (range: string): boolean => validRangeFn()(range) !== null;
export const gtr = (version: string, range: string): boolean => gtrFn()(version, range);
/** The lowest version a range admits (`>=0.2 <1` → 0.2.0), or undefined for an empty range. */
export const minVersion = (range: string): string | undefined => minVersionFn()(range)?.version;
