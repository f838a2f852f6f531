import { transliterate } from "./lib/letters.js";

/**
 * A URL slug for `title`: transliterated, lower case, words joined by `separator`.
 * @param {string} title
 * @param {{ separator?: string }} [options]
 */
export default function slugline(title, options = {}) {
  const separator = options.separator ?? "-";
  return transliterate(title)
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, separator)
    .replace(new RegExp(`^${separator}+|${separator}+$`, "g"), "");
}
