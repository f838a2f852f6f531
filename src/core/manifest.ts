import * as semver from "./semver.js";
import { didYouMean, packError } from "./errors.js";
import { conditionKeys } from "./conditions.js";
import { parseYamlSource, type YamlSource } from "./yaml-source.js";
import { unsafePath } from "./paths.js";
import type { Condition, DefaultSpec, PackManifest, Question, QuestionType, ServicesSpec } from "./types.js";

const TYPES: readonly QuestionType[] = ["text", "number", "select", "multiselect", "confirm"];
const KEY = /^[a-z][A-Za-z0-9]*$/;
const TOP_KEYS = ["name", "version", "engine", "description", "questions", "constraints", "files", "migrations", "nextSteps", "services"];
const FILE_RULE_KEYS = ["match", "owner", "when", "each"];
const QUESTION_KEYS = [
  "key",
  "type",
  "message",
  "help",
  "group",
  "default",
  "choices",
  "pattern",
  "patternMessage",
  "maxLength",
  "min",
  "max",
  "slug",
  "when",
  "flag",
  "advanced",
  "wizard",
  "multiline",
  "refuse",
];

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

/** Parse and check a pack's template.yaml. Errors point at template.yaml:line:column. */
export function parseManifest(text: string, file = "template.yaml"): PackManifest {
  const src = parseYamlSource(text, file, "pack");
  const v = src.value;
  const fail = (msg: string, path: (string | number)[], hint?: string): never => {
    throw packError(msg, src.where(path), hint ?? "see docs/template-authoring.md");
  };
  if (!isObj(v)) fail(`${file} must be a mapping with name, version, engine, questions and files`, []);
  const m = v as Obj;
  // An unknown field is a typo that would otherwise be ignored silently (a `wehn:` would make a
  // conditional file unconditional): refuse it, with the nearest known field.
  const unknownField = (o: Obj, fields: readonly string[], path: (string | number)[], what: string) => {
    for (const k of Object.keys(o)) {
      if (fields.includes(k)) continue;
      const near = didYouMean(k, fields);
      fail(`${file}: ${what} has an unknown field '${k}'`, [...path, k], near ? `did you mean '${near}'?` : `fields: ${fields.join(", ")}`);
    }
  };
  unknownField(m, TOP_KEYS, [], "the manifest");
  for (const k of ["name", "version", "engine"]) {
    if (typeof m[k] !== "string" || !m[k]) fail(`${file}: '${k}' is required and must be a string`, [k]);
  }
  if (!semver.valid(m.version as string)) fail(`${file}: version '${String(m.version)}' is not a semver version`, ["version"]);
  if (!semver.validRange(m.engine as string)) fail(`${file}: engine '${String(m.engine)}' is not a semver range`, ["engine"]);
  const questions = (m.questions ?? []) as unknown;
  if (!Array.isArray(questions)) fail(`${file}: 'questions' must be a list`, ["questions"]);
  const seen = new Set<string>();
  (questions as unknown[]).forEach((q, i) => checkQuestion(q, i, seen, src, fail));
  const known = seen;
  const checkCond = (c: unknown, path: (string | number)[]) => {
    checkConditionShape(c, path, fail, file);
    for (const k of conditionKeys(c as Condition)) {
      if (!known.has(k)) fail(`${file}: condition refers to unknown question '${k}'`, path);
    }
  };
  (questions as Obj[]).forEach((q, i) => q.when !== undefined && checkCond(q.when, ["questions", i, "when"]));
  (questions as Obj[]).forEach((q, i) =>
    ((q.refuse ?? []) as Obj[]).forEach((r, j) => r.when !== undefined && checkCond(r.when, ["questions", i, "refuse", j, "when"])),
  );
  const constraints = (m.constraints ?? []) as unknown;
  if (!Array.isArray(constraints)) fail(`${file}: 'constraints' must be a list`, ["constraints"]);
  (constraints as unknown[]).forEach((c, i) => {
    if (!isObj(c) || !isObj(c.require) || typeof c.message !== "string" || (c.hint !== undefined && typeof c.hint !== "string"))
      fail(`${file}: each constraint needs 'require' (a condition) and 'message'`, ["constraints", i]);
    unknownField(c as Obj, ["require", "message", "when", "hint"], ["constraints", i], `constraint ${i + 1}`);
    checkCond((c as Obj).require, ["constraints", i, "require"]);
    if ((c as Obj).when !== undefined) checkCond((c as Obj).when, ["constraints", i, "when"]);
  });
  const files = (m.files ?? []) as unknown;
  if (!Array.isArray(files)) fail(`${file}: 'files' must be a list`, ["files"]);
  (files as unknown[]).forEach((f, i) => {
    if (!isObj(f) || typeof f.match !== "string") fail(`${file}: each file rule needs 'match' (a glob)`, ["files", i]);
    const r = f as Obj;
    unknownField(r, FILE_RULE_KEYS, ["files", i], `file rule ${i + 1} ('${String(r.match)}')`);
    if (r.owner !== undefined && r.owner !== "managed" && r.owner !== "seed") fail(`${file}: owner must be 'managed' or 'seed'`, ["files", i, "owner"]);
    if (r.when !== undefined) checkCond(r.when, ["files", i, "when"]);
    if (r.each !== undefined) {
      const e = r.each as Obj;
      if (!isObj(e) || typeof e.key !== "string" || typeof e.as !== "string" || !known.has(e.key))
        fail(`${file}: 'each' needs key (a multiselect question) and as (a name)`, ["files", i, "each"]);
    }
  });
  const migrations = (m.migrations ?? []) as unknown;
  if (!Array.isArray(migrations)) fail(`${file}: 'migrations' must be a list`, ["migrations"]);
  (migrations as unknown[]).forEach((g, i) => {
    if (!isObj(g) || typeof g.appliesTo !== "string" || !semver.validRange(g.appliesTo))
      fail(`${file}: each migration needs 'appliesTo', a semver range of old pack versions`, ["migrations", i]);
    const mg = g as Obj;
    const ok =
      (isObj(mg.renameFile) && typeof mg.renameFile.from === "string" && typeof mg.renameFile.to === "string") ||
      (isObj(mg.renameAnswer) && typeof mg.renameAnswer.from === "string" && typeof mg.renameAnswer.to === "string") ||
      typeof mg.dropAnswer === "string" ||
      typeof mg.dropFile === "string";
    if (!ok) fail(`${file}: a migration is one of renameFile {from,to}, renameAnswer {from,to}, dropAnswer, dropFile`, ["migrations", i]);
    unknownField(mg, ["appliesTo", "renameFile", "renameAnswer", "dropAnswer", "dropFile"], ["migrations", i], `migration ${i + 1}`);
    if (typeof mg.dropFile === "string") {
      const problem = unsafePath(mg.dropFile);
      if (problem)
        fail(`${file}: migration ${i + 1} drops '${mg.dropFile}': ${problem}`, ["migrations", i, "dropFile"], "give a relative path inside the target");
    }
    // A renamed file moves inside the target like any generated file: same path rules.
    if (isObj(mg.renameFile))
      for (const end of ["from", "to"] as const) {
        const problem = unsafePath(String(mg.renameFile[end]));
        if (problem)
          fail(
            `${file}: migration ${i + 1} renames ${end === "from" ? "from" : "to"} '${String(mg.renameFile[end])}': ${problem}`,
            ["migrations", i, "renameFile", end],
            "give a relative path inside the target",
          );
      }
  });
  const services = m.services === undefined ? undefined : checkServices(m.services, known, fail, file);
  return {
    name: m.name as string,
    version: m.version as string,
    engine: m.engine as string,
    description: m.description as string | undefined,
    questions: questions as Question[],
    constraints: constraints as PackManifest["constraints"],
    files: files as PackManifest["files"],
    migrations: migrations as PackManifest["migrations"],
    nextSteps: typeof m.nextSteps === "string" ? m.nextSteps : undefined,
    ...(services ? { services } : {}),
  };
}

/** The optional `services:` section: how a repository of several services is rendered. */
function checkServices(v: unknown, known: Set<string>, fail: (msg: string, path: (string | number)[], hint?: string) => never, file: string): ServicesSpec {
  if (!isObj(v)) fail(`${file}: 'services' must be a mapping with keys, inFolder, perService, repository and shared`, ["services"]);
  const o = v as Obj;
  for (const k of Object.keys(o))
    if (!["keys", "inFolder", "perService", "repository", "shared", "notYet", "only"].includes(k))
      fail(`${file}: unknown field '${k}' in services`, ["services", k], "services has keys, inFolder, perService, repository, shared, notYet and only");
  const list = (k: string): string[] => {
    const l = o[k] ?? [];
    if (!Array.isArray(l) || l.some((x) => typeof x !== "string")) fail(`${file}: services.${k} must be a list of strings`, ["services", k]);
    return l as string[];
  };
  const keys = list("keys");
  keys.forEach((k, i) => known.has(k) || fail(`${file}: services.keys names unknown question '${k}'`, ["services", "keys", i]));
  if (!keys.includes("name")) fail(`${file}: services.keys must include 'name' (each service needs its own)`, ["services", "keys"]);
  const repository = o.repository;
  if (typeof repository !== "string" || !/^[A-Za-z0-9._-]+$/.test(repository))
    fail(`${file}: services.repository must name one folder under files/`, ["services", "repository"]);
  const notYet = list("notYet");
  notYet.forEach((k, i) => known.has(k) || fail(`${file}: services.notYet names unknown question '${k}'`, ["services", "notYet", i]));
  const only = list("only");
  only.forEach((k, i) => known.has(k) || fail(`${file}: services.only names unknown question '${k}'`, ["services", "only", i]));
  return { keys, inFolder: list("inFolder"), perService: list("perService"), repository: repository as string, shared: list("shared"), notYet, only };
}

function checkQuestion(
  q: unknown,
  i: number,
  seen: Set<string>,
  src: YamlSource,
  fail: (msg: string, path: (string | number)[], hint?: string) => never,
): void {
  const at = ["questions", i];
  if (!isObj(q)) fail(`${src.file}: question ${i + 1} must be a mapping`, at);
  const o = q as Obj;
  // An unknown key is almost always a typo or a YAML slip (an unquoted comma in a flow mapping
  // splits a hint in two), so it is an error rather than something silently ignored.
  for (const k of Object.keys(o)) {
    if (!QUESTION_KEYS.includes(k)) {
      const near = didYouMean(k, QUESTION_KEYS);
      fail(`${src.file}: question ${i + 1} has an unknown field '${k}'`, [...at, k], near ? `did you mean '${near}'?` : `fields: ${QUESTION_KEYS.join(", ")}`);
    }
  }
  if (Array.isArray(o.choices)) {
    o.choices.forEach((c, j) => {
      if (!isObj(c)) return;
      for (const k of Object.keys(c)) {
        if (!["value", "label", "hint"].includes(k))
          fail(
            `${src.file}: choice ${j + 1} of question '${String(o.key)}' has an unknown field '${k}'`,
            [...at, "choices", j, k],
            "a choice has value, label and hint; quote a label or hint that contains a comma",
          );
      }
    });
  }
  if (typeof o.key !== "string" || !KEY.test(o.key)) fail(`${src.file}: question ${i + 1} needs a camelCase 'key'`, [...at, "key"]);
  if (seen.has(o.key as string)) fail(`${src.file}: question key '${String(o.key)}' is declared twice`, [...at, "key"]);
  seen.add(o.key as string);
  if (!TYPES.includes(o.type as QuestionType))
    fail(`${src.file}: question '${String(o.key)}' has type '${String(o.type)}'; use one of ${TYPES.join(", ")}`, [...at, "type"]);
  if (typeof o.message !== "string") fail(`${src.file}: question '${String(o.key)}' needs a 'message'`, at);
  if (o.type === "select" || o.type === "multiselect") {
    if (!Array.isArray(o.choices) || o.choices.length === 0 || !o.choices.every((c) => isObj(c) && typeof c.value === "string"))
      fail(`${src.file}: question '${String(o.key)}' needs 'choices' with a string 'value' each`, [...at, "choices"]);
  }
  if (o.wizard !== undefined && o.wizard !== "facts" && o.wizard !== "main")
    fail(
      `${src.file}: question '${String(o.key)}' has wizard '${String(o.wizard)}'; use facts or main`,
      [...at, "wizard"],
      "facts: confirmed together in one step; main: asked one by one; leave it out for the rest",
    );
  if (o.pattern !== undefined) {
    try {
      new RegExp(o.pattern as string);
    } catch {
      fail(`${src.file}: question '${String(o.key)}' has an invalid pattern`, [...at, "pattern"]);
    }
  }
  if (o.multiline !== undefined && (typeof o.multiline !== "boolean" || o.type !== "text"))
    fail(`${src.file}: question '${String(o.key)}': multiline is true or false, on a text question`, [...at, "multiline"]);
  if (o.refuse !== undefined) {
    if (o.type !== "text" || !Array.isArray(o.refuse))
      fail(`${src.file}: question '${String(o.key)}': refuse is a list of { pattern, message, hint } on a text question`, [...at, "refuse"]);
    (o.refuse as unknown[]).forEach((r, j) => {
      if (!isObj(r) || typeof r.pattern !== "string" || typeof r.message !== "string" || (r.hint !== undefined && typeof r.hint !== "string"))
        fail(`${src.file}: question '${String(o.key)}': each refuse entry needs pattern and message (strings), hint optional`, [...at, "refuse", j]);
      for (const k of Object.keys(r as Obj))
        if (!["pattern", "message", "hint", "when"].includes(k))
          fail(`${src.file}: question '${String(o.key)}': refuse entry has an unknown field '${k}'`, [...at, "refuse", j, k]);
      try {
        new RegExp((r as Obj).pattern as string);
      } catch {
        fail(`${src.file}: question '${String(o.key)}' has an invalid refuse pattern`, [...at, "refuse", j, "pattern"]);
      }
    });
  }
  if (o.default !== undefined) checkDefault(o.default as DefaultSpec, [...at, "default"], fail, src.file);
}

function checkDefault(d: DefaultSpec, path: (string | number)[], fail: (msg: string, path: (string | number)[]) => never, file: string): void {
  if (!isObj(d)) return;
  if ("detect" in d || "answer" in d || "format" in d) {
    if (d.else !== undefined) checkDefault(d.else as DefaultSpec, [...path, "else"], fail, file);
  } else if ("switch" in d || "origin" in d) {
    if (!isObj(d.cases)) fail(`${file}: a ${"switch" in d ? "switch" : "origin"} default needs 'cases'`, path);
    if ("origin" in d)
      for (const k of Object.keys(d.cases as Obj))
        if (!["given", "detected", "default", "asked"].includes(k))
          fail(`${file}: an origin default's cases are given, detected, default and asked, not '${k}'`, [...path, "cases", k]);
    for (const [k, c] of Object.entries(d.cases as Obj)) checkDefault(c as DefaultSpec, [...path, "cases", k], fail, file);
    if (d.else !== undefined) checkDefault(d.else as DefaultSpec, [...path, "else"], fail, file);
  } else if (!("format" in d)) {
    fail(`${file}: a default is a value or one of {detect}, {answer}, {switch, cases}, {origin, cases}, {format}`, path);
  }
}

const validRegExp = (p: string) => {
  try {
    new RegExp(p);
    return true;
  } catch {
    return false;
  }
};

const OPERATORS = ["equals", "in", "includes", "truthy", "matches"] as const;

/** A condition is one of the documented forms; anything else would silently be false (or crash). */
function checkConditionShape(
  c: unknown,
  path: (string | number)[],
  fail: (msg: string, path: (string | number)[], hint?: string) => never,
  file: string,
): void {
  const forms =
    "{ key, equals }, { key, in: [..] }, { key, includes }, { key, truthy: true }, { key, matches: regex }, { all: [..] }, { any: [..] }, { not: .. }";
  if (!isObj(c)) fail(`${file}: a condition must be a mapping`, path, `write one of ${forms}`);
  const o = c as Obj;
  const keys = Object.keys(o);
  for (const group of ["all", "any"] as const) {
    if (group in o) {
      if (keys.length !== 1 || !Array.isArray(o[group]))
        fail(`${file}: '${group}' takes a list of conditions and nothing beside it`, [...path, group], `write ${group}: [ {..}, {..} ]`);
      (o[group] as unknown[]).forEach((sub, i) => checkConditionShape(sub, [...path, group, i], fail, file));
      return;
    }
  }
  if ("not" in o) {
    if (keys.length !== 1) fail(`${file}: 'not' takes one condition and nothing beside it`, [...path, "not"]);
    checkConditionShape(o.not, [...path, "not"], fail, file);
    return;
  }
  if (typeof o.key !== "string") fail(`${file}: a condition needs 'key' (a question key) or all/any/not`, path, `write one of ${forms}`);
  const ops = keys.filter((k) => k !== "key");
  const op = ops[0];
  if (ops.length !== 1 || !(OPERATORS as readonly string[]).includes(op!)) {
    const near = op === undefined ? undefined : didYouMean(op, OPERATORS);
    fail(
      `${file}: condition on '${String(o.key)}' needs exactly one of ${OPERATORS.join(", ")}${op === undefined ? "" : `, not '${ops.join("', '")}'`}`,
      op === undefined ? path : [...path, op],
      near ? `did you mean '${near}'?` : `write one of ${forms}`,
    );
  }
  const v = o[op!];
  const scalar = (x: unknown) => typeof x === "string" || typeof x === "number" || typeof x === "boolean";
  if (
    (op === "equals" && !scalar(v)) ||
    (op === "in" && !(Array.isArray(v) && v.every(scalar))) ||
    (op === "includes" && typeof v !== "string") ||
    (op === "truthy" && v !== true) ||
    (op === "matches" && (typeof v !== "string" || !validRegExp(v)))
  )
    fail(`${file}: condition '${op}' on '${String(o.key)}' has a value of the wrong kind`, [...path, op!], `write one of ${forms}`);
}
