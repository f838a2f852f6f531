const LETTERS = { ä: "ae", ö: "oe", ü: "ue", ß: "ss", æ: "ae", ø: "oe", å: "aa", ł: "l" };

/** Letters without an ASCII form spelled out, accents removed from the others. */
export function transliterate(text) {
  return [...text.normalize("NFC")]
    .map((c) => LETTERS[c.toLowerCase()] ?? c)
    .join("")
    .normalize("NFD")
    .replace(/\p{Diacritic}/gu, "");
}
