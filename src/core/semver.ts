// The few semver functions the engine needs, imported one by one: the package's index evaluates
// every module (and builds comparators) at load, which costs more start-up time than a whole
// create run spends rendering.
import satisfiesFn from "semver/functions/satisfies.js";
import validFn from "semver/functions/valid.js";
import gtrFn from "semver/ranges/gtr.js";
import validRangeFn from "semver/ranges/valid.js";

export const satisfies = (version: string, range: string): boolean => satisfiesFn(version, range, { includePrerelease: true });
export const valid = (version: string): boolean => validFn(version) !== null;
export const validRange = (range: string): boolean => validRangeFn(range) !== null;
export const gtr = (version: string, range: string): boolean => gtrFn(version, range);
