// ../../tmp/labrun.ts
import { mkdtempSync as mkdtempSync2 } from "node:fs";
import { tmpdir as tmpdir3 } from "node:os";
import { join as join6 } from "node:path";

// test/conformance/combinations.ts
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse as parseYaml } from "yaml";

// src/core/conditions.ts
function truthy(v) {
  if (Array.isArray(v)) return v.length > 0;
  return v !== void 0 && v !== false && v !== "" && v !== 0;
}
function evaluate(cond, answers) {
  if (cond === void 0) return true;
  if ("all" in cond) return cond.all.every((c) => evaluate(c, answers));
  if ("any" in cond) return cond.any.some((c) => evaluate(c, answers));
  if ("not" in cond) return !evaluate(cond.not, answers);
  const v = answers[cond.key];
  if ("equals" in cond) return v === cond.equals;
  if ("in" in cond) return v !== void 0 && !Array.isArray(v) && cond.in.includes(v);
  if ("includes" in cond) return Array.isArray(v) && v.includes(cond.includes);
  if ("truthy" in cond) return truthy(v);
  return false;
}
function conditionKeys(cond) {
  if (cond === void 0) return [];
  if ("all" in cond) return cond.all.flatMap(conditionKeys);
  if ("any" in cond) return cond.any.flatMap(conditionKeys);
  if ("not" in cond) return conditionKeys(cond.not);
  return [cond.key];
}

// src/core/errors.ts
var PipelineError = class extends Error {
  code;
  /** Where the problem is: a flag, file:line:column, a template. */
  where;
  /** How to fix it, one sentence. */
  hint;
  constructor(code, message, opts = {}) {
    super(message, opts.cause === void 0 ? void 0 : { cause: opts.cause });
    this.name = "PipelineError";
    this.code = code;
    this.where = opts.where;
    this.hint = opts.hint;
  }
};
var validationError = (message, where, hint) => new PipelineError("validation", message, { where, hint });
var packError = (message, where, hint) => new PipelineError("pack", message, { where, hint });
function distance(a, b) {
  const prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0];
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = prev[j];
      prev[j] = Math.min(prev[j] + 1, prev[j - 1] + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = tmp;
    }
  }
  return prev[b.length];
}
function didYouMean(input, options) {
  let best;
  let bestD = Infinity;
  for (const o of options) {
    const d = distance(input.toLowerCase(), o.toLowerCase());
    if (d < bestD) {
      bestD = d;
      best = o;
    }
  }
  const limit = Math.max(2, Math.floor(input.length / 3));
  if (best !== void 0 && bestD <= limit) return best;
  const lower = input.toLowerCase();
  const prefixed = options.filter((o) => {
    const l = o.toLowerCase();
    return Math.min(l.length, lower.length) >= 2 && (lower.startsWith(l) || l.startsWith(lower));
  });
  return prefixed.length === 1 ? prefixed[0] : void 0;
}

// src/core/answers.ts
var kebab = (s) => s.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
var flagName = (q) => q.flag ?? kebab(q.key);
function flagUsage(q) {
  const f = `--${flagName(q)}`;
  switch (q.type) {
    case "confirm":
      return `${f} / --no-${flagName(q)}`;
    case "select":
      return `${f} <${(q.choices ?? []).map((c) => c.value).join("|")}>`;
    case "multiselect":
      return `${f} <${(q.choices ?? []).map((c) => c.value).join(",")}>`;
    case "number":
      return `${f} <number>`;
    default:
      return `${f} <value>`;
  }
}
function slugify(s) {
  return s.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+/, "").slice(0, 53).replace(/-+$/, "");
}
function coerce(q, raw, where) {
  const bad = (msg, hint) => {
    throw validationError(`${q.key}: ${msg}`, where, hint);
  };
  const choices = (q.choices ?? []).map((c) => c.value);
  const checkChoice = (v) => {
    if (choices.includes(v)) return v;
    const near = didYouMean(v, choices);
    return bad(
      `'${v}' is not one of ${choices.join(", ")}`,
      near ? `did you mean '${near}'? (${flagUsage(q)})` : `use ${flagUsage(q)}`
    );
  };
  switch (q.type) {
    case "confirm": {
      if (typeof raw === "boolean") return raw;
      const s = String(raw).toLowerCase();
      if (["true", "yes", "y", "1", "on"].includes(s)) return true;
      if (["false", "no", "n", "0", "off"].includes(s)) return false;
      return bad(`'${String(raw)}' is not a yes/no value`, `use --${flagName(q)} or --no-${flagName(q)}`);
    }
    case "number": {
      const n = typeof raw === "number" ? raw : /^\s*-?\d+\s*$/.test(String(raw)) ? Number(raw) : NaN;
      if (!Number.isInteger(n))
        return bad(`'${String(raw)}' is not a whole number`, q.min !== void 0 || q.max !== void 0 ? `use a whole number from ${q.min ?? "-\u221E"} to ${q.max ?? "\u221E"}` : "use a whole number");
      if (q.min !== void 0 && n < q.min) return bad(`${n} is below the minimum ${q.min}`, `use a value from ${q.min} to ${q.max ?? "\u221E"}`);
      if (q.max !== void 0 && n > q.max) return bad(`${n} is above the maximum ${q.max}`, `use a value from ${q.min ?? "-\u221E"} to ${q.max}`);
      return n;
    }
    case "select":
      if (typeof raw !== "string" && typeof raw !== "number") return bad(`expected one of ${choices.join(", ")}`);
      return checkChoice(String(raw));
    case "multiselect": {
      if (typeof raw === "object" && raw !== null && !Array.isArray(raw) || Array.isArray(raw) && raw.some((x) => typeof x === "object" && x !== null))
        return bad(`expected a list of ${choices.join(", ")}`, `use ${flagUsage(q)}`);
      const items = Array.isArray(raw) ? raw.map(String) : String(raw).split(",").map((s) => s.trim()).filter(Boolean);
      const picked = new Set(items.map(checkChoice));
      return choices.filter((c) => picked.has(c));
    }
    default: {
      if (typeof raw === "object" && raw !== null) return bad(`expected text, got a ${Array.isArray(raw) ? "list" : "mapping"}`);
      const s = String(raw ?? "");
      if (q.maxLength !== void 0 && s.length > q.maxLength) {
        const slug = q.slug ? slugify(s) : void 0;
        return bad(`'${s}' is ${s.length} characters, at most ${q.maxLength} allowed`, slug ? `try '${slug}'` : void 0);
      }
      if (q.pattern !== void 0 && !new RegExp(q.pattern).test(s)) {
        const slug = q.slug ? slugify(s) : void 0;
        return bad(
          `'${s}' is not valid: ${q.patternMessage ?? `must match ${q.pattern}`}`,
          slug && slug !== s ? `did you mean '${slug}'? (--${flagName(q)} ${slug})` : void 0
        );
      }
      return s;
    }
  }
}
function resolveDefault(q, answers, detected) {
  const valid2 = (v) => {
    if (v === void 0 || v === null) return void 0;
    try {
      return coerce(q, v, "default");
    } catch {
      return void 0;
    }
  };
  const walk = (spec) => {
    if (spec === void 0) return void 0;
    if (typeof spec !== "object" || Array.isArray(spec)) {
      const v2 = valid2(spec);
      return v2 === void 0 ? void 0 : { value: v2, source: "default" };
    }
    if ("detect" in spec) {
      const v2 = valid2(detected[spec.detect]);
      return v2 !== void 0 ? { value: v2, source: "detected" } : walk(spec.else);
    }
    if ("answer" in spec) {
      const v2 = valid2(answers[spec.answer]);
      return v2 !== void 0 ? { value: v2, source: "default" } : walk(spec.else);
    }
    if ("switch" in spec) {
      const key = answers[spec.switch];
      const c = key === void 0 ? void 0 : spec.cases[String(key)];
      return (c !== void 0 ? walk(c) : void 0) ?? walk(spec.else);
    }
    const text = spec.format.replace(/\{(detect\.)?([A-Za-z0-9]+)(\|lower)?\}/g, (_, d, k, lower) => {
      const v2 = String((d ? detected[k] : answers[k]) ?? "");
      return lower ? v2.toLowerCase() : v2;
    });
    const v = valid2(text);
    return v === void 0 ? void 0 : { value: v, source: "default" };
  };
  return walk(q.default);
}

// src/core/semver.ts
import { createRequire } from "node:module";
var require2 = createRequire(import.meta.url);
var fn = (path) => {
  let f;
  return () => f ??= require2(path);
};
var satisfiesFn = fn("semver/functions/satisfies.js");
var validFn = fn("semver/functions/valid.js");
var gtrFn = fn("semver/ranges/gtr.js");
var validRangeFn = fn("semver/ranges/valid.js");
var minVersionFn = fn("semver/ranges/min-version.js");
var valid = (version) => validFn()(version) !== null;
var validRange = (range) => validRangeFn()(range) !== null;

// src/core/yaml-source.ts
import { LineCounter, parseDocument, isMap, isNode } from "yaml";
function parseYamlSource(text, file, code = "validation") {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const posOf = (offset) => {
    const p = lineCounter.linePos(offset);
    return `${file}:${p.line}:${p.col}`;
  };
  const first = doc.errors[0];
  if (first) {
    throw new PipelineError(code, `${file} is not valid YAML: ${first.message.split("\n")[0]}`, {
      where: posOf(first.pos[0]),
      hint: "fix the YAML syntax at that position"
    });
  }
  const where = (path) => {
    for (let n = path.length; n >= 0; n--) {
      const sub = path.slice(0, n);
      const parent = sub.length ? doc.getIn(sub.slice(0, -1), true) : doc.contents;
      if (sub.length && isMap(parent)) {
        const pair = parent.items.find((p) => isNode(p.key) && p.key.value === sub.at(-1));
        if (pair && isNode(pair.key) && pair.key.range) return posOf(pair.key.range[0]);
      }
      const node = sub.length ? doc.getIn(sub, true) : doc.contents;
      if (isNode(node) && node.range) return posOf(node.range[0]);
    }
    return file;
  };
  return { file, doc, value: doc.toJS(), where };
}

// src/core/manifest.ts
var TYPES = ["text", "number", "select", "multiselect", "confirm"];
var KEY = /^[a-z][A-Za-z0-9]*$/;
var QUESTION_KEYS = ["key", "type", "message", "help", "group", "default", "choices", "pattern", "patternMessage", "maxLength", "min", "max", "slug", "when", "flag", "advanced"];
var isObj = (v) => typeof v === "object" && v !== null && !Array.isArray(v);
function parseManifest(text, file = "template.yaml") {
  const src = parseYamlSource(text, file, "pack");
  const v = src.value;
  const fail = (msg, path, hint) => {
    throw packError(msg, src.where(path), hint ?? "see docs/template-authoring.md");
  };
  if (!isObj(v)) fail(`${file} must be a mapping with name, version, engine, questions and files`, []);
  const m = v;
  for (const k of ["name", "version", "engine"]) {
    if (typeof m[k] !== "string" || !m[k]) fail(`${file}: '${k}' is required and must be a string`, [k]);
  }
  if (!valid(m.version)) fail(`${file}: version '${String(m.version)}' is not a semver version`, ["version"]);
  if (!validRange(m.engine)) fail(`${file}: engine '${String(m.engine)}' is not a semver range`, ["engine"]);
  const questions = m.questions ?? [];
  if (!Array.isArray(questions)) fail(`${file}: 'questions' must be a list`, ["questions"]);
  const seen = /* @__PURE__ */ new Set();
  questions.forEach((q, i) => checkQuestion(q, i, seen, src, fail));
  const known = seen;
  const checkCond = (c, path) => {
    checkConditionShape(c, path, fail, file);
    for (const k of conditionKeys(c)) {
      if (!known.has(k)) fail(`${file}: condition refers to unknown question '${k}'`, path);
    }
  };
  questions.forEach((q, i) => q.when !== void 0 && checkCond(q.when, ["questions", i, "when"]));
  const constraints = m.constraints ?? [];
  if (!Array.isArray(constraints)) fail(`${file}: 'constraints' must be a list`, ["constraints"]);
  constraints.forEach((c, i) => {
    if (!isObj(c) || !isObj(c.require) || typeof c.message !== "string")
      fail(`${file}: each constraint needs 'require' (a condition) and 'message'`, ["constraints", i]);
    checkCond(c.require, ["constraints", i, "require"]);
    if (c.when !== void 0) checkCond(c.when, ["constraints", i, "when"]);
  });
  const files = m.files ?? [];
  if (!Array.isArray(files)) fail(`${file}: 'files' must be a list`, ["files"]);
  files.forEach((f, i) => {
    if (!isObj(f) || typeof f.match !== "string") fail(`${file}: each file rule needs 'match' (a glob)`, ["files", i]);
    const r = f;
    if (r.owner !== void 0 && r.owner !== "managed" && r.owner !== "seed")
      fail(`${file}: owner must be 'managed' or 'seed'`, ["files", i, "owner"]);
    if (r.when !== void 0) checkCond(r.when, ["files", i, "when"]);
    if (r.each !== void 0) {
      const e = r.each;
      if (!isObj(e) || typeof e.key !== "string" || typeof e.as !== "string" || !known.has(e.key))
        fail(`${file}: 'each' needs key (a multiselect question) and as (a name)`, ["files", i, "each"]);
    }
  });
  const migrations = m.migrations ?? [];
  if (!Array.isArray(migrations)) fail(`${file}: 'migrations' must be a list`, ["migrations"]);
  migrations.forEach((g, i) => {
    if (!isObj(g) || typeof g.appliesTo !== "string" || !validRange(g.appliesTo))
      fail(`${file}: each migration needs 'appliesTo', a semver range of old pack versions`, ["migrations", i]);
    const mg = g;
    const ok = isObj(mg.renameFile) && typeof mg.renameFile.from === "string" && typeof mg.renameFile.to === "string" || isObj(mg.renameAnswer) && typeof mg.renameAnswer.from === "string" && typeof mg.renameAnswer.to === "string" || typeof mg.dropAnswer === "string";
    if (!ok) fail(`${file}: a migration is one of renameFile {from,to}, renameAnswer {from,to}, dropAnswer`, ["migrations", i]);
  });
  return {
    name: m.name,
    version: m.version,
    engine: m.engine,
    description: m.description,
    questions,
    constraints,
    files,
    migrations,
    nextSteps: typeof m.nextSteps === "string" ? m.nextSteps : void 0
  };
}
function checkQuestion(q, i, seen, src, fail) {
  const at = ["questions", i];
  if (!isObj(q)) fail(`${src.file}: question ${i + 1} must be a mapping`, at);
  const o = q;
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
          fail(`${src.file}: choice ${j + 1} of question '${String(o.key)}' has an unknown field '${k}'`, [...at, "choices", j, k], "a choice has value, label and hint; quote a label or hint that contains a comma");
      }
    });
  }
  if (typeof o.key !== "string" || !KEY.test(o.key))
    fail(`${src.file}: question ${i + 1} needs a camelCase 'key'`, [...at, "key"]);
  if (seen.has(o.key)) fail(`${src.file}: question key '${String(o.key)}' is declared twice`, [...at, "key"]);
  seen.add(o.key);
  if (!TYPES.includes(o.type))
    fail(`${src.file}: question '${String(o.key)}' has type '${String(o.type)}'; use one of ${TYPES.join(", ")}`, [...at, "type"]);
  if (typeof o.message !== "string") fail(`${src.file}: question '${String(o.key)}' needs a 'message'`, at);
  if (o.type === "select" || o.type === "multiselect") {
    if (!Array.isArray(o.choices) || o.choices.length === 0 || !o.choices.every((c) => isObj(c) && typeof c.value === "string"))
      fail(`${src.file}: question '${String(o.key)}' needs 'choices' with a string 'value' each`, [...at, "choices"]);
  }
  if (o.pattern !== void 0) {
    try {
      new RegExp(o.pattern);
    } catch {
      fail(`${src.file}: question '${String(o.key)}' has an invalid pattern`, [...at, "pattern"]);
    }
  }
  if (o.default !== void 0) checkDefault(o.default, [...at, "default"], fail, src.file);
}
function checkDefault(d, path, fail, file) {
  if (!isObj(d)) return;
  if ("detect" in d || "answer" in d) {
    if (d.else !== void 0) checkDefault(d.else, [...path, "else"], fail, file);
  } else if ("switch" in d) {
    if (!isObj(d.cases)) fail(`${file}: a switch default needs 'cases'`, path);
    for (const [k, c] of Object.entries(d.cases)) checkDefault(c, [...path, "cases", k], fail, file);
    if (d.else !== void 0) checkDefault(d.else, [...path, "else"], fail, file);
  } else if (!("format" in d)) {
    fail(`${file}: a default is a value or one of {detect}, {answer}, {switch, cases}, {format}`, path);
  }
}
var OPERATORS = ["equals", "in", "includes", "truthy"];
function checkConditionShape(c, path, fail, file) {
  const forms = "{ key, equals }, { key, in: [..] }, { key, includes }, { key, truthy: true }, { all: [..] }, { any: [..] }, { not: .. }";
  if (!isObj(c)) fail(`${file}: a condition must be a mapping`, path, `write one of ${forms}`);
  const o = c;
  const keys = Object.keys(o);
  for (const group of ["all", "any"]) {
    if (group in o) {
      if (keys.length !== 1 || !Array.isArray(o[group]))
        fail(`${file}: '${group}' takes a list of conditions and nothing beside it`, [...path, group], `write ${group}: [ {..}, {..} ]`);
      o[group].forEach((sub, i) => checkConditionShape(sub, [...path, group, i], fail, file));
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
  if (ops.length !== 1 || !OPERATORS.includes(op)) {
    const near = op === void 0 ? void 0 : didYouMean(op, OPERATORS);
    fail(
      `${file}: condition on '${String(o.key)}' needs exactly one of ${OPERATORS.join(", ")}${op === void 0 ? "" : `, not '${ops.join("', '")}'`}`,
      op === void 0 ? path : [...path, op],
      near ? `did you mean '${near}'?` : `write one of ${forms}`
    );
  }
  const v = o[op];
  const scalar = (x) => typeof x === "string" || typeof x === "number" || typeof x === "boolean";
  if (op === "equals" && !scalar(v) || op === "in" && !(Array.isArray(v) && v.every(scalar)) || op === "includes" && typeof v !== "string" || op === "truthy" && v !== true)
    fail(`${file}: condition '${op}' on '${String(o.key)}' has a value of the wrong kind`, [...path, op], `write one of ${forms}`);
}

// test/conformance/combinations.ts
var REPO = join("/work/wt-lab/test/lab", "..", "..");
var PACK_DIR = join(REPO, "templates", "pipeline");
var PROFILES_DIR = join("/work/wt-lab/test/lab", "profiles");
var REQUIRED_TEXT = {
  awsAccountId: "123456789012",
  gcpProject: "my-proj-123",
  acrName: "myregistry1",
  azureResourceGroup: "rg-app"
};
var token = (d, v) => d.choice ? JSON.stringify(v) : "*";
var itemKey = (key, tok) => `${key}=${tok}`;
var pairKey = (a, b) => a < b ? `${a} & ${b}` : `${b} & ${a}`;
function subsets(choices) {
  const all = [];
  for (let mask = 0; mask < 1 << choices.length; mask++) all.push(choices.map((_, i) => i).filter((i) => mask & 1 << i));
  const cmp = (a, b) => a.length - b.length || a.reduce((r, x, i) => r || x - b[i], 0);
  return all.sort(cmp).map((s) => s.map((i) => choices[i]));
}
function defaultKeys(spec) {
  if (spec === void 0 || typeof spec !== "object" || Array.isArray(spec)) return [];
  if ("detect" in spec) return defaultKeys(spec.else);
  if ("answer" in spec) return [spec.answer, ...defaultKeys(spec.else)];
  if ("switch" in spec) return [spec.switch, ...Object.values(spec.cases).flatMap(defaultKeys), ...defaultKeys(spec.else)];
  return [...spec.format.matchAll(/\{(detect\.)?([A-Za-z0-9]+)(?:\|[a-z]+)*\}/g)].filter((m) => !m[1]).map((m) => m[2]);
}
function dependencyOrder(manifest) {
  const keys = new Set(manifest.questions.map((q) => q.key));
  const deps = new Map(manifest.questions.map((q) => [q.key, new Set([...conditionKeys(q.when), ...defaultKeys(q.default)].filter((k) => keys.has(k) && k !== q.key))]));
  const placed = /* @__PURE__ */ new Set();
  const out = [];
  while (out.length < manifest.questions.length) {
    const next = manifest.questions.find((q) => !placed.has(q.key) && [...deps.get(q.key)].every((d) => placed.has(d)));
    if (!next) throw new Error(`questions depend on each other in a cycle: ${manifest.questions.filter((q) => !placed.has(q.key)).map((q) => q.key).join(", ")}`);
    placed.add(next.key);
    out.push(next);
  }
  return out;
}
var OptionSpace = class _OptionSpace {
  constructor(manifest, required = REQUIRED_TEXT) {
    this.manifest = manifest;
    this.required = required;
    this.order = dependencyOrder(manifest);
    for (const q of this.order) {
      const choices = (q.choices ?? []).map((c) => c.value);
      const values = q.type === "select" ? choices : q.type === "confirm" ? [true, false] : q.type === "multiselect" ? subsets(choices) : [];
      this.dims.set(q.key, { question: q, choice: values.length > 0, values });
    }
    const constraintKeys = manifest.constraints.flatMap((c) => [...conditionKeys(c.when), ...conditionKeys(c.require)]);
    this.relevant = this.order.map(
      (_, i) => [.../* @__PURE__ */ new Set([...constraintKeys, ...this.order.slice(i).flatMap((q) => [...conditionKeys(q.when), ...defaultKeys(q.default)])])].sort()
    );
  }
  manifest;
  required;
  order;
  dims = /* @__PURE__ */ new Map();
  /** Keys read at or after position i (conditions, defaults) plus the constraints' keys: what the future depends on. */
  relevant;
  memos = /* @__PURE__ */ new Map();
  static load(packDir = PACK_DIR) {
    return new _OptionSpace(parseManifest(readFileSync(join(packDir, "template.yaml"), "utf8"), join(packDir, "template.yaml")));
  }
  /** The one valid value of a text/number question, given the answers before it. */
  textValue(q, answers) {
    const def = resolveDefault(q, answers, {});
    if (def !== void 0) return def.value;
    const req = this.required[q.key];
    if (req === void 0) throw new Error(`text question '${q.key}' has no default: add a valid value for it to REQUIRED_TEXT in test/conformance/combinations.ts`);
    return coerce(q, req, `REQUIRED_TEXT.${q.key}`);
  }
  constraintsHold(answers) {
    return this.manifest.constraints.every((c) => !evaluate(c.when, answers) || evaluate(c.require, answers));
  }
  items() {
    return this.order.flatMap((q) => {
      const d = this.dims.get(q.key);
      return d.choice ? d.values.map((v) => ({ key: q.key, tok: token(d, v), value: v })) : [{ key: q.key, tok: "*" }];
    });
  }
  memoFor(fixed) {
    const k = [...fixed].sort().map(([a, b]) => `${a}=${b}`).join(";");
    let m = this.memos.get(k);
    if (!m) this.memos.set(k, m = /* @__PURE__ */ new Map());
    return m;
  }
  stateKey(i, answers) {
    return `${i}|${this.relevant[i].map((k) => JSON.stringify(answers[k] ?? null)).join(",")}`;
  }
  /** Can answers (for order[0..i)) be completed to a valid combination that holds the fixed items? */
  completable(i, answers, fixed, memo = this.memoFor(fixed)) {
    if (i === this.order.length) return this.constraintsHold(answers);
    const sk = this.stateKey(i, answers);
    const hit = memo.get(sk);
    if (hit !== void 0) return hit;
    const q = this.order[i];
    const d = this.dims.get(q.key);
    let ok;
    if (!evaluate(q.when, answers)) ok = !fixed.has(q.key) && this.completable(i + 1, answers, fixed, memo);
    else if (!d.choice) ok = this.completable(i + 1, { ...answers, [q.key]: this.textValue(q, answers) }, fixed, memo);
    else {
      const want = fixed.get(q.key);
      ok = d.values.some((v) => (want === void 0 || token(d, v) === want) && this.completable(i + 1, { ...answers, [q.key]: v }, fixed, memo));
    }
    memo.set(sk, ok);
    return ok;
  }
  /** Number of valid combinations (the full product after `when` and constraints). */
  countValid() {
    const memo = /* @__PURE__ */ new Map();
    const count = (i, answers) => {
      if (i === this.order.length) return this.constraintsHold(answers) ? 1 : 0;
      const sk = this.stateKey(i, answers);
      const hit = memo.get(sk);
      if (hit !== void 0) return hit;
      const q = this.order[i];
      const d = this.dims.get(q.key);
      const n = !evaluate(q.when, answers) ? count(i + 1, answers) : !d.choice ? count(i + 1, { ...answers, [q.key]: this.textValue(q, answers) }) : d.values.reduce((s, v) => s + count(i + 1, { ...answers, [q.key]: v }), 0);
      memo.set(sk, n);
      return n;
    };
    return count(0, {});
  }
  /** Product of the choice domains, ignoring `when` and constraints. */
  rawProduct() {
    return [...this.dims.values()].reduce((p, d) => p * Math.max(1, d.values.length), 1);
  }
  /** Items that occur in no valid combination (e.g. environments=[] under the "at least one environment" constraint). */
  impossibleItems() {
    return this.items().filter((it) => !this.completable(0, {}, /* @__PURE__ */ new Map([[it.key, it.tok]]))).map((it) => itemKey(it.key, it.tok));
  }
  /** Every pair of items of two different questions that occurs in at least one valid combination. */
  pairUniverse() {
    const items = this.items();
    const out = [];
    for (let a = 0; a < items.length; a++)
      for (let b = a + 1; b < items.length; b++) {
        const x = items[a];
        const y = items[b];
        if (x.key === y.key) continue;
        if (this.completable(0, {}, /* @__PURE__ */ new Map([[x.key, x.tok], [y.key, y.tok]]))) out.push(pairKey(itemKey(x.key, x.tok), itemKey(y.key, y.tok)));
      }
    return out;
  }
  /** Items (key=token) of a combination's answers. */
  itemsOf(answers) {
    return this.order.filter((q) => q.key in answers).map((q) => itemKey(q.key, token(this.dims.get(q.key), answers[q.key])));
  }
  /**
   * Greedy deterministic all-pairs cover (AETG style): each new combination is
   * built around one still-uncovered pair (trying the first `candidates` of
   * them and keeping the one that covers most new pairs); the other questions
   * are filled in dependency order with the value that covers most uncovered
   * pairs with what is already chosen, among values that can still be
   * completed to a valid combination.
   */
  pairwiseCover(candidates = 24) {
    const universe = this.pairUniverse();
    const uncovered = new Set(universe);
    const rows = [];
    const open = /* @__PURE__ */ new Map();
    for (const p of universe) for (const it of p.split(" & ")) open.set(it, (open.get(it) ?? 0) + 1);
    const build = (seed) => {
      const fixed = new Map(seed.split(" & ").map((it) => it.split(/=(.*)/s).slice(0, 2)));
      const memo = this.memoFor(fixed);
      const answers = {};
      const chosen = [];
      this.order.forEach((q, i) => {
        if (!evaluate(q.when, answers)) return;
        const d = this.dims.get(q.key);
        let value;
        if (!d.choice) value = this.textValue(q, answers);
        else {
          let best;
          for (const v of d.values) {
            const tok = token(d, v);
            if (fixed.has(q.key) && fixed.get(q.key) !== tok) continue;
            if (!this.completable(i + 1, { ...answers, [q.key]: v }, fixed, memo)) continue;
            const it = itemKey(q.key, tok);
            const score = [chosen.filter((c) => uncovered.has(pairKey(c, it))).length, open.get(it) ?? 0];
            if (!best || score[0] > best.score[0] || score[0] === best.score[0] && score[1] > best.score[1]) best = { v, score };
          }
          if (!best) throw new Error(`pairwise cover: no value for ${q.key} completes seed ${seed} (bug in completable)`);
          value = best.v;
        }
        answers[q.key] = value;
        chosen.push(itemKey(q.key, token(d, value)));
      });
      return answers;
    };
    const newPairs = (answers) => {
      const its = this.itemsOf(answers);
      const out = [];
      for (let a = 0; a < its.length; a++) for (let b = a + 1; b < its.length; b++) if (uncovered.has(pairKey(its[a], its[b]))) out.push(pairKey(its[a], its[b]));
      return out;
    };
    while (uncovered.size > 0) {
      let best;
      for (const seed of [...uncovered].slice(0, candidates)) {
        const row = build(seed);
        const pairs = newPairs(row);
        if (!best || pairs.length > best.pairs.length) best = { row, pairs };
      }
      for (const p of best.pairs) {
        uncovered.delete(p);
        for (const it of p.split(" & ")) open.set(it, open.get(it) - 1);
      }
      rows.push(best.row);
    }
    const width = String(rows.length).length;
    return rows.map((answers, i) => this.combination(`#${String(i + 1).padStart(width, "0")}`, answers));
  }
  /** A combination from full answers: `given` is what the CLI needs (choices, the name, required ids). */
  combination(id, answers) {
    const given = {};
    for (const q of this.manifest.questions) {
      if (!(q.key in answers)) continue;
      if (this.dims.get(q.key).choice || q.key === "name" || q.key in this.required) given[q.key] = answers[q.key];
    }
    return { id, answers, given };
  }
  /** Full answers for given answers (a profile), with the pack's defaults (nothing detected) for the rest. */
  complete(given) {
    const answers = {};
    for (const q of this.order) {
      if (!evaluate(q.when, answers)) continue;
      answers[q.key] = q.key in given ? coerce(q, given[q.key], `profile answer ${q.key}`) : this.dims.get(q.key).choice ? resolveDefault(q, answers, {}).value : this.textValue(q, answers);
    }
    return answers;
  }
};
function toFlags(manifest, given) {
  const out = [];
  for (const q of manifest.questions) {
    if (!(q.key in given)) continue;
    const v = given[q.key];
    const f = `--${flagName(q)}`;
    if (q.type === "confirm") out.push(v ? f : `--no-${flagName(q)}`);
    else out.push(f, Array.isArray(v) ? v.join(",") : String(v));
  }
  return out;
}

// test/lab/cluster.ts
import { spawn, spawnSync } from "node:child_process";
import { generateKeyPairSync, randomBytes } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, openSync, readdirSync as readdirSync2, readFileSync as readFileSync2, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join as join2 } from "node:path";
var REPO2 = join2("/work/wt-lab/test/lab", "..", "..");
var LAB_DIR = process.env.LAB_TOOLS ?? join2(REPO2, ".tools", "lab");
var LAB_BIN = join2(LAB_DIR, "bin");
var HELM = join2(REPO2, ".tools", "bin", "helm");
var K8S_VERSION = "v1.34.2";
var REQUIRED = ["etcd", "kube-apiserver", "kube-controller-manager", "kube-scheduler", "kubectl", "kwok", "rollouts-controller", "prometheus"];
function missingTools(opts = {}) {
  const skip = opts.rollouts === false ? ["rollouts-controller", "crds/argo-rollouts"] : [];
  const miss = REQUIRED.filter((b) => !skip.includes(b) && !existsSync(join2(LAB_BIN, b)));
  if (!existsSync(HELM)) miss.push("helm (.tools/bin/helm: bash scripts/install-tools.sh)");
  for (const d of ["crds/argo-rollouts", "crds/argo-cd", "crds/flagger", "kwok-stages"]) if (!skip.includes(d) && !existsSync(join2(LAB_DIR, d))) miss.push(d);
  return miss;
}
async function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const a = s.address();
      s.close(() => resolve(typeof a === "object" && a ? a.port : 0));
    });
  });
}
var sleep = (ms) => new Promise((r) => setTimeout(r, ms));
var Lab = class _Lab {
  constructor(dir, apiPort, promPort, opts) {
    this.opts = opts;
    this.dir = dir;
    this.apiPort = apiPort;
    this.promPort = promPort;
    this.adminKubeconfig = join2(dir, "admin.kubeconfig");
    this.audit = join2(dir, "audit.log");
    this.promRulesFile = join2(dir, "prometheus", "series.rules.yml");
  }
  opts;
  dir;
  adminToken = randomBytes(16).toString("hex");
  apiPort;
  promPort;
  adminKubeconfig;
  audit;
  /** Time to a control plane that schedules pods and runs every controller, in ms. */
  startupMs = 0;
  procs = [];
  promRulesFile;
  get server() {
    return `https://127.0.0.1:${this.apiPort}`;
  }
  get prometheusUrl() {
    return `http://127.0.0.1:${this.promPort}`;
  }
  /** The CA that signed the API server's certificate (also the root CA of service-account tokens). */
  get caFile() {
    return join2(this.dir, "certs", "apiserver.crt");
  }
  static async start(opts = {}) {
    const miss = missingTools(opts);
    if (miss.length) throw new Error(`the lab is not installed (missing: ${miss.join(", ")}); run: bash scripts/install-lab.sh`);
    const t0 = performance.now();
    const dir = mkdtempSync(join2(tmpdir(), "cp-lab-"));
    const lab2 = new _Lab(dir, await freePort(), await freePort(), opts);
    try {
      await lab2.boot();
    } catch (e) {
      await lab2.stop(true);
      throw e;
    }
    lab2.startupMs = Math.round(performance.now() - t0);
    return lab2;
  }
  spawnProc(name, bin, args, env = {}) {
    const log = join2(this.dir, "logs", `${name}.log`);
    mkdirSync(join2(this.dir, "logs"), { recursive: true });
    const fd = openSync(log, "a");
    const child = spawn(bin, args, { stdio: ["ignore", fd, fd], env: { ...process.env, ...env }, detached: false });
    const p = { name, child, log };
    this.procs.push(p);
    return p;
  }
  kubeconfig(file, token2, ns = "default") {
    writeFileSync(
      file,
      `apiVersion: v1
kind: Config
clusters:
  - name: lab
    cluster:
      server: ${this.server}
      certificate-authority: ${this.caFile}
users:
  - name: u
    user:
      token: ${token2}
contexts:
  - name: lab
    context: { cluster: lab, user: u, namespace: ${ns} }
current-context: lab
`
    );
  }
  async waitFor(what, ms, fn2, proc) {
    const end = Date.now() + ms;
    for (; ; ) {
      if (proc && proc.child.exitCode !== null) throw new Error(`${proc.name} exited (${proc.child.exitCode}) while waiting for ${what}:
${tail(proc.log)}`);
      try {
        if (await fn2()) return;
      } catch {
      }
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}${proc ? `:
${tail(proc.log)}` : ""}`);
      await sleep(300);
    }
  }
  async boot() {
    const d = this.dir;
    for (const sub of ["etcd", "certs", "prometheus", "logs"]) mkdirSync(join2(d, sub), { recursive: true });
    const etcdPort = await freePort();
    const peerPort = await freePort();
    const etcd = this.spawnProc("etcd", join2(LAB_BIN, "etcd"), [
      "--data-dir",
      join2(d, "etcd"),
      "--listen-client-urls",
      `http://127.0.0.1:${etcdPort}`,
      "--advertise-client-urls",
      `http://127.0.0.1:${etcdPort}`,
      "--listen-peer-urls",
      `http://127.0.0.1:${peerPort}`,
      "--initial-advertise-peer-urls",
      `http://127.0.0.1:${peerPort}`,
      "--initial-cluster",
      `default=http://127.0.0.1:${peerPort}`,
      "--unsafe-no-fsync"
    ]);
    const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const saKey = join2(d, "certs", "sa.key");
    const saPub = join2(d, "certs", "sa.pub");
    writeFileSync(saKey, privateKey.export({ type: "pkcs8", format: "pem" }));
    writeFileSync(saPub, publicKey.export({ type: "spki", format: "pem" }));
    const tokens = {};
    const tokenLines = [`${this.adminToken},admin,admin,system:masters`];
    for (const u of ["kube-controller-manager", "kube-scheduler", "kwok", "rollouts-controller"]) {
      tokens[u] = randomBytes(16).toString("hex");
      tokenLines.push(`${tokens[u]},${u === "kube-controller-manager" || u === "kube-scheduler" ? `system:${u}` : u},${u},system:masters`);
    }
    writeFileSync(join2(d, "tokens.csv"), tokenLines.join("\n") + "\n");
    writeFileSync(
      join2(d, "audit-policy.yaml"),
      `apiVersion: audit.k8s.io/v1
kind: Policy
omitStages: [RequestReceived]
rules:
  - level: Metadata
    verbs: [create, update, patch, delete]
`
    );
    await this.waitFor("etcd", 3e4, async () => (await fetch(`http://127.0.0.1:${etcdPort}/health`)).ok, etcd);
    const api = this.spawnProc("kube-apiserver", join2(LAB_BIN, "kube-apiserver"), [
      `--etcd-servers=http://127.0.0.1:${etcdPort}`,
      "--bind-address=127.0.0.1",
      "--advertise-address=127.0.0.1",
      `--secure-port=${this.apiPort}`,
      `--cert-dir=${join2(d, "certs")}`,
      `--service-account-key-file=${saPub}`,
      `--service-account-signing-key-file=${saKey}`,
      "--service-account-issuer=https://kubernetes.default.svc",
      `--token-auth-file=${join2(d, "tokens.csv")}`,
      "--authorization-mode=RBAC",
      "--service-cluster-ip-range=10.96.0.0/16",
      `--audit-policy-file=${join2(d, "audit-policy.yaml")}`,
      `--audit-log-path=${this.audit}`,
      "--audit-log-format=json",
      "--enable-priority-and-fairness=false",
      "--profiling=false"
    ]);
    this.kubeconfig(this.adminKubeconfig, this.adminToken);
    await this.waitFor("the API server", 12e4, () => existsSync(this.caFile) && this.kubectl(["get", "--raw", "/readyz"]).code === 0, api);
    const kc = (u) => {
      const f = join2(d, `${u}.kubeconfig`);
      this.kubeconfig(f, tokens[u]);
      return f;
    };
    const kcm = kc("kube-controller-manager");
    this.spawnProc("kube-controller-manager", join2(LAB_BIN, "kube-controller-manager"), [
      `--kubeconfig=${kcm}`,
      `--authentication-kubeconfig=${kcm}`,
      `--authorization-kubeconfig=${kcm}`,
      `--service-account-private-key-file=${saKey}`,
      `--root-ca-file=${this.caFile}`,
      "--leader-elect=false",
      "--use-service-account-credentials=false",
      "--bind-address=127.0.0.1",
      `--secure-port=${await freePort()}`,
      "--horizontal-pod-autoscaler-sync-period=2s"
    ]);
    const sch = kc("kube-scheduler");
    this.spawnProc("kube-scheduler", join2(LAB_BIN, "kube-scheduler"), [
      `--kubeconfig=${sch}`,
      `--authentication-kubeconfig=${sch}`,
      `--authorization-kubeconfig=${sch}`,
      "--leader-elect=false",
      "--bind-address=127.0.0.1",
      `--secure-port=${await freePort()}`
    ]);
    const stages = readdirSync2(join2(LAB_DIR, "kwok-stages")).flatMap((f) => ["--config", join2(LAB_DIR, "kwok-stages", f)]);
    this.spawnProc("kwok", join2(LAB_BIN, "kwok"), [
      `--kubeconfig=${kc("kwok")}`,
      "--manage-all-nodes=false",
      "--manage-nodes-with-annotation-selector=kwok.x-k8s.io/node=fake",
      "--node-lease-duration-seconds=40",
      "--server-address=127.0.0.1:0",
      ...stages
    ]);
    for (const n of ["lab-node-1", "lab-node-2"]) {
      this.apply(`apiVersion: v1
kind: Node
metadata:
  name: ${n}
  annotations: { kwok.x-k8s.io/node: fake, node.alpha.kubernetes.io/ttl: "0" }
  labels: { kubernetes.io/hostname: ${n}, kubernetes.io/os: linux, kubernetes.io/arch: amd64, type: kwok }
spec: {}
status:
  allocatable: { cpu: "32", memory: 128Gi, pods: "110" }
  capacity: { cpu: "32", memory: 128Gi, pods: "110" }
`);
    }
    await this.waitFor("ready, untainted fake nodes", 6e4, () => {
      const r = this.kubectl(["get", "nodes", "-o", "json"]);
      if (r.code !== 0) return false;
      const items = JSON.parse(r.stdout).items;
      for (const n of items)
        if (n.spec.taints?.length)
          this.kubectl(["taint", "nodes", "--all", "node.kubernetes.io/not-ready-", "node.kubernetes.io/unreachable-"]);
      return items.length === 2 && items.every((n) => !n.spec.taints?.length && n.status.conditions?.some((c) => c.type === "Ready" && c.status === "True"));
    });
    await this.waitFor("the controller manager (default service account)", 6e4, () => this.kubectl(["get", "serviceaccount", "default", "-n", "default"]).code === 0);
    for (const set of ["argo-cd", "flagger", ...this.opts.rollouts === false ? [] : ["argo-rollouts"]]) {
      const r = this.kubectl(["apply", "--server-side", "-f", join2(LAB_DIR, "crds", set)]);
      if (r.code !== 0) throw new Error(`applying the ${set} CRDs failed:
${r.stderr}`);
    }
    await this.waitFor("the CRDs to be established", 6e4, () => {
      const crds = this.getJson(["get", "crd"])?.items ?? [];
      return crds.length > 0 && crds.every((c) => c.status?.conditions?.some((x) => x.type === "Established" && x.status === "True"));
    });
    if (this.opts.rollouts !== false) {
      this.spawnProc("rollouts-controller", join2(LAB_BIN, "rollouts-controller"), [
        `--kubeconfig=${kc("rollouts-controller")}`,
        "--leader-elect=false",
        `--metricsport=${await freePort()}`,
        `--healthzPort=${await freePort()}`,
        "--loglevel=info"
      ]);
    }
    if (this.opts.prometheus !== false) await this.startPrometheus();
  }
  // ---------------------------------------------------------------------------------------------
  // Prometheus: a real server on loopback. Its series come from recording rules that the lab
  // rewrites (and reloads) per scenario, so a query sees exactly the series a scrape of the
  // service's metrics would give, with the labels the chart's metrics wiring adds.
  async startPrometheus() {
    writeFileSync(this.promRulesFile, "groups: []\n");
    writeFileSync(
      join2(this.dir, "prometheus", "prometheus.yml"),
      `global: { evaluation_interval: 1s, scrape_interval: 1s }
rule_files: [${JSON.stringify(this.promRulesFile)}]
`
    );
    const p = this.spawnProc("prometheus", join2(LAB_BIN, "prometheus"), [
      `--config.file=${join2(this.dir, "prometheus", "prometheus.yml")}`,
      `--storage.tsdb.path=${join2(this.dir, "prometheus", "data")}`,
      `--web.listen-address=127.0.0.1:${this.promPort}`,
      "--web.enable-lifecycle"
    ]);
    await this.waitFor("Prometheus", 6e4, async () => (await fetch(`${this.prometheusUrl}/-/ready`)).ok, p);
  }
  /**
   * Replaces the series Prometheus serves. Each entry is a recording rule: `record` is the metric
   * name, `labels` its labels, `expr` a PromQL expression of time (e.g. "time() * 5" for a counter
   * growing by 5/s).
   */
  async setSeries(series) {
    const rules = series.map((s) => `      - record: ${s.record}
        expr: ${JSON.stringify(s.expr)}
        labels: ${JSON.stringify(s.labels)}`).join("\n");
    writeFileSync(this.promRulesFile, `groups:
  - name: lab
    interval: 1s
    rules:
${rules}
`);
    const r = await fetch(`${this.prometheusUrl}/-/reload`, { method: "POST" });
    if (!r.ok) throw new Error(`Prometheus reload failed: ${r.status} ${await r.text()}`);
  }
  async promQuery(q) {
    const r = await fetch(`${this.prometheusUrl}/api/v1/query?query=${encodeURIComponent(q)}`);
    const j = await r.json();
    const v = j.data?.result?.[0]?.value[1];
    return v === void 0 ? void 0 : Number(v);
  }
  // ---------------------------------------------------------------------------------------------
  env(extra = {}) {
    return { ...process.env, KUBECONFIG: this.adminKubeconfig, PATH: `${LAB_BIN}:${join2(REPO2, ".tools", "bin")}:${process.env.PATH}`, HELM_CACHE_HOME: join2(this.dir, "helm", "cache"), HELM_CONFIG_HOME: join2(this.dir, "helm", "config"), HELM_DATA_HOME: join2(this.dir, "helm", "data"), ...extra };
  }
  run(bin, args, opts = {}) {
    const r = spawnSync(bin, args, { env: this.env(opts.env), input: opts.input, cwd: opts.cwd, encoding: "utf8", timeout: opts.timeoutMs ?? 12e4, maxBuffer: 64 << 20 });
    return { code: r.status ?? (r.error ? 127 : 1), stdout: r.stdout ?? "", stderr: (r.stderr ?? "") + (r.error ? String(r.error) : "") };
  }
  kubectl(args, opts = {}) {
    return this.run(join2(LAB_BIN, "kubectl"), args, opts);
  }
  helm(args, opts = {}) {
    return this.run(HELM, args, opts);
  }
  apply(yaml, extra = []) {
    const r = this.kubectl(["apply", ...extra, "-f", "-"], { input: yaml });
    if (r.code !== 0) throw new Error(`kubectl apply failed:
${r.stderr}
---
${yaml}`);
    return r;
  }
  getJson(args) {
    const r = this.kubectl([...args, "-o", "json"]);
    return r.code === 0 ? JSON.parse(r.stdout) : void 0;
  }
  /** Audit events (create/update/patch/delete), in the order the API server handled them. */
  auditEvents() {
    if (!existsSync(this.audit)) return [];
    return readFileSync2(this.audit, "utf8").split("\n").filter((l) => l.trim()).map((l) => JSON.parse(l)).filter((e) => e.stage === "ResponseComplete").map((e) => ({
      verb: e.verb,
      user: e.impersonatedUser?.username ?? e.user?.username,
      resource: e.objectRef?.subresource ? `${e.objectRef.resource}/${e.objectRef.subresource}` : e.objectRef?.resource,
      namespace: e.objectRef?.namespace,
      name: e.objectRef?.name,
      code: e.responseStatus?.code,
      ts: e.requestReceivedTimestamp
    }));
  }
  logOf(name) {
    const f = join2(this.dir, "logs", `${name}.log`);
    return existsSync(f) ? readFileSync2(f, "utf8") : "";
  }
  async stop(force = false) {
    for (const p of [...this.procs].reverse()) if (p.child.exitCode === null) p.child.kill("SIGTERM");
    const end = Date.now() + 1e4;
    while (this.procs.some((p) => p.child.exitCode === null && p.child.signalCode === null) && Date.now() < end) await sleep(100);
    for (const p of this.procs) if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill("SIGKILL");
    this.procs = [];
    if (!this.opts.keep || force === false) {
      if (!this.opts.keep) rmSync(this.dir, { recursive: true, force: true });
    }
  }
};
function tail(file, n = 30) {
  if (!existsSync(file)) return "";
  return readFileSync2(file, "utf8").split("\n").slice(-n).join("\n");
}

// test/lab/main.ts
import { spawnSync as spawnSync2 } from "node:child_process";
import { tmpdir as tmpdir2 } from "node:os";
import { join as join5 } from "node:path";

// test/lab/pid1.ts
import { parseAllDocuments } from "yaml";

// test/lab/scenarios.ts
import { existsSync as existsSync2, readFileSync as readFileSync3, readdirSync as readdirSync3, writeFileSync as writeFileSync3 } from "node:fs";
import { join as join4 } from "node:path";
import { parseAllDocuments as parseAllDocuments2, parseDocument as parseDocument2, parse as parseYaml2 } from "yaml";

// test/lab/shims.ts
import { chmodSync, mkdirSync as mkdirSync2, writeFileSync as writeFileSync2 } from "node:fs";
import { join as join3 } from "node:path";
function writeShims(dir) {
  const bin = join3(dir, "shims");
  mkdirSync2(bin, { recursive: true });
  const grants = join3(dir, "grants.jsonl");
  writeFileSync2(grants, "");
  const sh = (name, body) => {
    writeFileSync2(join3(bin, name), `#!/usr/bin/env bash
set -euo pipefail
GRANTS=${JSON.stringify(grants)}
${body}
`);
    chmodSync(join3(bin, name), 493);
  };
  const record = `python3 -c 'import json,sys; print(json.dumps({"cli": sys.argv[1], "args": sys.argv[2:]}))' "$(basename "$0")" "$@" >> "$GRANTS"`;
  sh(
    "aws",
    `${record}
case "$*" in
  *"get-login-password"*) echo "lab-ecr-token" ;;
  *"--query"*) echo "lab-value" ;;
esac`
  );
  sh("gcloud", `${record}
case "$*" in *"--format"*) echo "projects/000000000000/locations/global/workloadIdentityPools/github" ;; esac`);
  sh(
    "az",
    `${record}
case "$1 \${2:-}" in
  "ad app") echo "00000000-0000-4000-8000-0000000000a1" ;;
  "ad sp") case "$*" in *show*|*list*) echo "00000000-0000-4000-8000-0000000000b2" ;; esac ;;
  "aks show") echo "/subscriptions/lab/resourceGroups/lab/providers/Microsoft.ContainerService/managedClusters/lab" ;;
  "acr show") echo "/subscriptions/lab/resourceGroups/lab/providers/Microsoft.ContainerRegistry/registries/lab" ;;
esac`
  );
  sh("gh", `${record}
case "$*" in *"--jq"*) echo "123456" ;; esac`);
  sh(
    "kubectl",
    `# The controllers' namespaces are made once per cluster: a later combination finds them.
if [ "\${1:-}" = create ] && [ "\${2:-}" = namespace ] && [ $# -eq 3 ]; then
  case "$3" in argocd|argo-rollouts|flagger-system)
    ${JSON.stringify(join3(LAB_BIN, "kubectl"))} get namespace "$3" >/dev/null 2>&1 && exit 0 ;;
  esac
fi
args=()
for a in "$@"; do
  case "$a" in
    https://github.com/argoproj/argo-rollouts/*/install.yaml) args+=(${JSON.stringify(join3(LAB_DIR, "crds", "argo-rollouts"))}) ;;
    https://raw.githubusercontent.com/argoproj/argo-cd/*/install.yaml) args+=(${JSON.stringify(join3(LAB_DIR, "crds", "argo-cd"))}) ;;
    *) args+=("$a") ;;
  esac
done
exec ${JSON.stringify(join3(LAB_BIN, "kubectl"))} "\${args[@]}"`
  );
  sh(
    "helm",
    `case "$*" in
  "repo add"*|"repo update"*) exit 0 ;;
  *"upgrade --install flagger "*)
    ns=flagger-system
    ${JSON.stringify(join3(LAB_BIN, "kubectl"))} create namespace "$ns" --dry-run=client -o yaml | ${JSON.stringify(join3(LAB_BIN, "kubectl"))} apply -f - >/dev/null
    exec ${JSON.stringify(join3(LAB_BIN, "kubectl"))} apply --server-side -f ${JSON.stringify(join3(LAB_DIR, "crds", "flagger"))} ;;
esac
extra=()
if [ -n "\${LAB_HELM_EXTRA:-}" ]; then
  case "\${1:-}" in upgrade|install|test|uninstall|rollback|status|get|history|template) read -r -a extra <<< "$LAB_HELM_EXTRA" ;; esac
fi
exec ${JSON.stringify(HELM)} "$@" "\${extra[@]}"`
  );
  return bin;
}
var builtInWrite = [
  { apiGroups: [""], resources: ["pods", "pods/attach", "pods/exec", "pods/portforward", "pods/proxy", "pods/eviction", "configmaps", "endpoints", "persistentvolumeclaims", "replicationcontrollers", "replicationcontrollers/scale", "secrets", "serviceaccounts", "services", "services/proxy"], verbs: ["create", "delete", "deletecollection", "patch", "update", "get", "list", "watch"] },
  { apiGroups: [""], resources: ["events", "namespaces", "limitranges", "resourcequotas", "pods/log", "pods/status", "bindings"], verbs: ["get", "list", "watch"] },
  { apiGroups: ["apps"], resources: ["daemonsets", "deployments", "deployments/rollback", "deployments/scale", "replicasets", "replicasets/scale", "statefulsets", "statefulsets/scale", "controllerrevisions"], verbs: ["create", "delete", "deletecollection", "patch", "update", "get", "list", "watch"] },
  { apiGroups: ["autoscaling"], resources: ["horizontalpodautoscalers"], verbs: ["create", "delete", "deletecollection", "patch", "update", "get", "list", "watch"] },
  { apiGroups: ["batch"], resources: ["cronjobs", "jobs"], verbs: ["create", "delete", "deletecollection", "patch", "update", "get", "list", "watch"] },
  { apiGroups: ["extensions", "networking.k8s.io"], resources: ["ingresses", "networkpolicies"], verbs: ["create", "delete", "deletecollection", "patch", "update", "get", "list", "watch"] },
  { apiGroups: ["policy"], resources: ["poddisruptionbudgets"], verbs: ["create", "delete", "deletecollection", "patch", "update", "get", "list", "watch"] },
  { apiGroups: ["discovery.k8s.io"], resources: ["endpointslices"], verbs: ["get", "list", "watch"] }
];
var PROVIDER_ROLES = {
  AmazonEKSEditPolicy: { name: "lab:eks:AmazonEKSEditPolicy", source: "Amazon EKS User Guide, Review access policy permissions", rules: builtInWrite },
  "Azure Kubernetes Service RBAC Writer": { name: "lab:aks:rbac-writer", source: "Azure built-in roles for Containers", rules: builtInWrite }
};
function providerRolesYaml() {
  return Object.values(PROVIDER_ROLES).map((r) => JSON.stringify({ apiVersion: "rbac.authorization.k8s.io/v1", kind: "ClusterRole", metadata: { name: r.name, annotations: { "lab/source": r.source } }, rules: r.rules })).join("\n---\n");
}

// test/lab/scenarios.ts
var Fail = class extends Error {
};
var need = (cond, msg) => {
  if (!cond) throw new Fail(msg);
};
var BUILT = { tag: "sha-0123456789ab", digest: `sha256:${"ab".repeat(32)}` };
var BUILT2 = { tag: "sha-fedcba987654", digest: `sha256:${"cd".repeat(32)}` };
var BUILT3 = { tag: "sha-00aa11bb22cc", digest: `sha256:${"ef".repeat(32)}` };
function labValues(lab2, a) {
  const out = [];
  if (a.progressiveDelivery === "argo-rollouts" && a.strategy === "canary") out.push("rollout.canary.pauseDuration=2s");
  if (a.progressiveDelivery === "argo-rollouts" && a.strategy === "blue-green") out.push("rollout.blueGreen.scaleDownDelaySeconds=5");
  if (a.progressiveDelivery === "argo-rollouts" && a.strategy === "canary" && a.canaryAnalysis === true)
    out.push(`analysis.prometheusAddress=${lab2.prometheusUrl}`, "analysis.interval=2s");
  out.push("minReadySeconds=0");
  return out;
}
function setupBlocks(doc) {
  const start = doc.indexOf("\n## One-time setup");
  const end = doc.indexOf("\n## ", start + 5);
  const part = doc.slice(start, end < 0 ? void 0 : end);
  const out = [];
  let section = "";
  const re = /^### (.*)$|^```bash\n([\s\S]*?)^```$/gm;
  for (let m = re.exec(part); m; m = re.exec(part)) {
    if (m[1] !== void 0) section = m[1];
    else out.push({ section, code: m[2] });
  }
  return out;
}
async function runCombination(lab2, id, answers, dir) {
  const t0 = performance.now();
  const checks = [];
  const name = String(answers.name);
  const envs = answers.environments;
  const gitops = answers.mode === "gitops";
  const ns = (env) => `${name}-${env}`;
  const controller = answers.strategy === "rolling" ? void 0 : answers.progressiveDelivery;
  const chart = join4(dir, "charts", name);
  const ctx = { lab: lab2, answers, dir, name, envs, ns, controller, chart, identity: void 0 };
  const check = async (scenario, fn2) => {
    const s = performance.now();
    try {
      const detail = await fn2();
      checks.push({ scenario, ok: true, detail, ms: Math.round(performance.now() - s) });
      return true;
    } catch (e) {
      const msg = e instanceof Fail ? e.message : e instanceof Error ? `${e.message}` : String(e);
      checks.push({ scenario, ok: false, detail: msg, ms: Math.round(performance.now() - s) });
      return false;
    }
  };
  const setupOk = await check("setup", () => setup(ctx));
  if (setupOk) {
    if (gitops) {
      await check("sync + first-sync", () => gitopsSync(ctx));
    } else {
      await check("deploy", () => pushDeploy(ctx));
    }
    await check("pull-secret", () => pullSecret(ctx));
    if (controller === "argo-rollouts") await check("progressive", () => progressive(ctx));
    if (controller === "flagger") await check("flagger", () => flagger(ctx));
  }
  return { id, answers, dir, checks, ms: Math.round(performance.now() - t0) };
}
async function setup(c) {
  const { lab: lab2, dir, answers } = c;
  const doc = readFileSync3(join4(dir, "docs", "pipeline.md"), "utf8");
  const blocks = setupBlocks(doc).filter((b) => !/GitHub: environments/.test(b.section));
  need(blocks.some((b) => /The cluster/.test(b.section)), "docs/pipeline.md has no bash block in 'The cluster'");
  const shims = writeShims(dir);
  lab2.apply(providerRolesYaml());
  const ran = blocks.map((b) => b.section.replace(/^\d+\.\s*/, ""));
  const script = blocks.map((b) => `echo ${JSON.stringify(`@@ ${b.section}`)} >&2
${b.code}`).join("\n");
  const r = lab2.run("bash", ["-e", "-o", "pipefail", "-c", script], {
    cwd: dir,
    env: { PATH: `${shims}:${lab2.env().PATH}`, LAB_HELM_EXTRA: "", REGISTRY_PASSWORD: "lab-registry-token", MESH_PROVIDER: "kubernetes", PROMETHEUS_URL: lab2.prometheusUrl },
    timeoutMs: 3e5
  });
  if (r.code !== 0) {
    const section = [...r.stderr.matchAll(/^@@ (.*)$/gm)].pop()?.[1] ?? "?";
    throw new Fail(`the "${section}" commands of docs/pipeline.md failed (exit ${r.code}):
${r.stderr.slice(-1500)}`);
  }
  const grants = readFileSync3(join4(dir, "grants.jsonl"), "utf8").split("\n").filter(Boolean).map((l) => JSON.parse(l));
  const opt = (args, flag) => {
    const i = args.indexOf(flag);
    return i >= 0 ? args[i + 1] : void 0;
  };
  const rb = [];
  let eksUser;
  for (const g of grants) {
    if (g.cli === "aws" && g.args[0] === "eks" && g.args[1] === "create-access-entry") {
      const principal = opt(g.args, "--principal-arn");
      const role = principal.split("/").pop();
      const groups = (opt(g.args, "--kubernetes-groups") ?? "").split(",").filter(Boolean);
      eksUser = { user: `arn:aws:sts::${answers.awsAccountId}:assumed-role/${role}/github-actions`, groups: [...groups, `lab:eks-entry:${principal}`] };
    }
    if (g.cli === "aws" && g.args[0] === "eks" && g.args[1] === "associate-access-policy") {
      const principal = opt(g.args, "--principal-arn");
      const policy = opt(g.args, "--policy-arn").split("/").pop();
      const role = PROVIDER_ROLES[policy];
      need(role, `the lab has no mapping of the EKS access policy ${policy}`);
      const scope = opt(g.args, "--access-scope") ?? "";
      const nss = /namespaces=([^ ]+)/.exec(scope)?.[1]?.split(",") ?? [];
      for (const n of nss)
        rb.push({ apiVersion: "rbac.authorization.k8s.io/v1", kind: "RoleBinding", metadata: { name: `eks-${policy}`.toLowerCase(), namespace: n }, roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: role.name }, subjects: [{ kind: "Group", name: `lab:eks-entry:${principal}`, apiGroup: "rbac.authorization.k8s.io" }] });
    }
    if (g.cli === "az" && g.args[0] === "role" && g.args[1] === "assignment") {
      const roleName = opt(g.args, "--role");
      const scope = opt(g.args, "--scope") ?? "";
      const n = /\/namespaces\/([^/]+)$/.exec(scope)?.[1];
      const role = PROVIDER_ROLES[roleName];
      if (n && role)
        rb.push({ apiVersion: "rbac.authorization.k8s.io/v1", kind: "RoleBinding", metadata: { name: "aks-rbac-writer", namespace: n }, roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: role.name }, subjects: [{ kind: "User", name: AKS_SP_OBJECT_ID, apiGroup: "rbac.authorization.k8s.io" }] });
      else if (n) throw new Fail(`the lab has no mapping of the AKS role "${roleName}"`);
    }
  }
  if (rb.length) lab2.apply(rb.map((o) => JSON.stringify(o)).join("\n---\n"));
  if (answers.mode === "push") {
    const cluster = answers.cluster;
    if (cluster === "kubeconfig") {
      for (const env of c.envs) need(existsSync2(join4(dir, `kubeconfig-${env}.yaml`)), `the setup wrote no kubeconfig-${env}.yaml`);
      c.identity = {
        args: (env) => ["--kubeconfig", join4(dir, `kubeconfig-${env}.yaml`)],
        kubectlArgs: (env) => ["--kubeconfig", join4(dir, `kubeconfig-${env}.yaml`)],
        describe: "the github-deployer service account (its kubeconfig)"
      };
    } else {
      let user;
      let groups = [];
      if (cluster === "eks") {
        need(eksUser, "the EKS setup created no access entry for the deploy role");
        user = eksUser.user;
        groups = eksUser.groups;
      } else if (cluster === "gke") user = `github-${c.name}@${answers.gcpProject}.iam.gserviceaccount.com`;
      else user = AKS_SP_OBJECT_ID;
      const as = [`--kube-as-user=${user}`, ...groups.map((g) => `--kube-as-group=${g}`)];
      c.identity = {
        args: () => as,
        kubectlArgs: () => [`--as=${user}`, ...groups.map((g) => `--as-group=${g}`), ...groups.length ? ["--as-group=system:authenticated"] : []],
        describe: `${cluster} identity ${user}${groups.length ? ` (groups ${groups.join(", ")})` : ""}`
      };
      if (groups.length) c.identity.args = () => [...as, "--kube-as-group=system:authenticated"];
    }
  }
  if (answers.mode === "gitops") {
    const ev = lab2.auditEvents().filter((e) => e.namespace === "argocd" && (e.resource === "applications" || e.resource === "appprojects") && e.verb !== "get" && e.code < 300);
    const firstApp = ev.findIndex((e) => e.resource === "applications" && e.name?.startsWith(`${c.name}-`));
    const project = ev.findIndex((e) => e.resource === "appprojects" && e.name === c.name);
    need(project >= 0, `the AppProject ${c.name} was not created by the documented commands`);
    need(firstApp >= 0, "no Application was created by the documented commands");
    need(project < firstApp, `the documented commands create Application ${ev[firstApp].name} before its AppProject ${c.name} (Argo CD reports it invalid until the project exists)`);
  }
  return `ran ${ran.join("; ")}${c.identity ? `; deploys as ${c.identity.describe}` : ""}`;
}
var AKS_SP_OBJECT_ID = "00000000-0000-4000-8000-0000000000b2";
function helmScript(c, env) {
  const wf = parseYaml2(readFileSync3(join4(c.dir, ".github", "workflows", "delivery.yml"), "utf8"));
  const job = wf.jobs[`deploy-${env}`];
  need(job, `delivery.yml has no deploy-${env} job`);
  const step = job.steps?.find((s) => s.run?.includes("helm upgrade --install"));
  need(step, `deploy-${env} has no helm upgrade --install step`);
  need(/--atomic/.test(step.run) && /--wait/.test(step.run), `deploy-${env}'s helm step does not use --atomic --wait`);
  return step.run;
}
function deployPush(c, env, image, extra = []) {
  const { lab: lab2 } = c;
  const script = helmScript(c, env).replace(/--timeout \S+/, "--timeout 3m");
  const sets = [...labValues(lab2, c.answers), ...extra].flatMap((s) => ["--set", s]);
  const r = lab2.run("bash", ["-e", "-o", "pipefail", "-c", script], {
    cwd: c.dir,
    env: {
      PATH: `${join4(c.dir, "shims")}:${lab2.env().PATH}`,
      RELEASE: c.name,
      CHART: `charts/${c.name}`,
      NAMESPACE: c.ns(env),
      IMAGE_TAG: image.tag,
      IMAGE_DIGEST: image.digest,
      LAB_HELM_EXTRA: [...c.identity.args(env), ...sets].join(" "),
      KUBECONFIG: lab2.adminKubeconfig
    },
    timeoutMs: 24e4
  });
  need(r.code === 0, `helm upgrade --install into ${c.ns(env)} as ${c.identity.describe} failed:
${(r.stderr || r.stdout).slice(-2e3)}`);
}
async function pushDeploy(c) {
  const out = [];
  for (const env of c.envs) {
    const s = performance.now();
    deployPush(c, env, BUILT);
    await waitReady(c, env, BUILT);
    out.push(`${env} ${Math.round((performance.now() - s) / 1e3)}s`);
  }
  return `helm upgrade --install --atomic --wait as the deploy identity, pods Ready under restricted: ${out.join(", ")}`;
}
function imagesBuilt(c) {
  const repo = parseYaml2(readFileSync3(join4(c.chart, "values.yaml"), "utf8")).image.repository;
  const s = /* @__PURE__ */ new Set();
  for (const b of [BUILT, BUILT2, BUILT3]) {
    s.add(`${repo}:${b.tag}`);
    s.add(`${repo}@${b.digest}`);
  }
  return s;
}
function podsOf(c, env) {
  return (c.lab.getJson(["get", "pods", "-n", c.ns(env), "-l", `app.kubernetes.io/instance=${c.name}`])?.items ?? []).filter(
    (p) => !p.metadata.deletionTimestamp && !p.metadata.annotations?.["helm.sh/hook"]
  );
}
var ready = (p) => p.status.conditions?.some((x) => x.type === "Ready" && x.status === "True") === true;
async function waitFor(what, ms, fn2) {
  const end = Date.now() + ms;
  for (; ; ) {
    const v = fn2();
    if (v) return v;
    if (Date.now() > end) throw new Fail(`timed out after ${ms / 1e3}s waiting for ${what}`);
    await sleep(500);
  }
}
function workload(c, env) {
  for (const kind of ["rollout", "deployment"]) {
    const obj = c.lab.getJson(["get", kind, c.name, "-n", c.ns(env)]);
    if (obj) return { kind, obj };
  }
  return void 0;
}
async function waitReady(c, env, image) {
  const n = c.ns(env);
  const nsObj = c.lab.getJson(["get", "namespace", n]);
  const labels = nsObj?.metadata.labels ?? {};
  if (c.controller !== "flagger")
    need(labels["pod-security.kubernetes.io/enforce"] === "restricted", `namespace ${n} does not enforce the restricted Pod Security profile (labels: ${JSON.stringify(labels)})`);
  await waitFor(`Ready pods of ${c.name} running ${image.digest.slice(0, 15)}\u2026 in ${n}`, 12e4, () => {
    const w = workload(c, env);
    if (!w) return false;
    const want = w.obj.spec.replicas ?? 1;
    const pods = podsOf(c, env).filter((p) => p.spec.containers[0].image.endsWith(image.digest));
    if (w.kind === "rollout" && w.obj.status?.phase !== "Healthy" && w.obj.status?.phase !== "Paused") return false;
    return pods.length >= Math.min(want, 1) && pods.filter(ready).length >= want && want > 0;
  });
  const refused = c.lab.auditEvents().filter((e) => e.namespace === n && e.resource === "pods" && e.verb === "create" && e.code === 403);
  need(refused.length === 0, `${refused.length} pod(s) refused in ${n} (Pod Security admission)`);
  const events = c.lab.getJson(["get", "events", "-n", n])?.items ?? [];
  const psa = events.filter((e) => e.reason === "FailedCreate" && /PodSecurity|forbidden/.test(e.message));
  need(psa.length === 0, `pods refused in ${n}: ${psa[0]?.message}`);
  const built = imagesBuilt(c);
  const bad = podsOf(c, env).filter((p) => p.spec.containers.some((k) => !built.has(k.image)));
  need(bad.length === 0, `pod ${bad[0]?.metadata.name} in ${n} runs ${bad[0]?.spec.containers[0]?.image}, an image the pipeline never built`);
}
function renderApp(c, app, extra = []) {
  const { lab: lab2 } = c;
  const src = app.spec.source;
  const path = join4(c.dir, src.path);
  const versions = lab2.kubectl(["api-versions"]).stdout.split("\n").filter(Boolean);
  const args = ["template", src.helm?.releaseName ?? app.metadata.name, path, "--namespace", app.spec.destination.namespace, "--kube-version", K8S_VERSION, ...versions.flatMap((v) => ["--api-versions", v])];
  for (const vf of src.helm?.valueFiles ?? []) args.push("--values", join4(path, vf));
  for (const s of [...labValues(lab2, c.answers), ...extra]) args.push("--set", s);
  const r = lab2.helm(args);
  need(r.code === 0, `helm template for Application ${app.metadata.name} failed:
${r.stderr.slice(-1500)}`);
  return parseAllDocuments2(r.stdout).map((d) => d.toJS()).filter((o) => o && o.kind).filter((o) => !/test/.test(o.metadata?.annotations?.["helm.sh/hook"] ?? ""));
}
var gkOf = (o) => ({ group: o.apiVersion.includes("/") ? o.apiVersion.split("/")[0] : "", kind: o.kind });
var CLUSTER_SCOPED = /* @__PURE__ */ new Set(["Namespace", "ClusterRole", "ClusterRoleBinding", "CustomResourceDefinition", "PriorityClass", "StorageClass", "IngressClass"]);
function projectPermits(project, gk, clusterScoped) {
  const m = (l) => (l ?? []).some((x) => (x.group === "*" || x.group === gk.group) && (x.kind === "*" || x.kind === gk.kind));
  const s = project.spec;
  if (clusterScoped) return m(s.clusterResourceWhitelist) && !m(s.clusterResourceBlacklist);
  if (s.namespaceResourceWhitelist) return m(s.namespaceResourceWhitelist) && !m(s.namespaceResourceBlacklist);
  return !m(s.namespaceResourceBlacklist);
}
async function gitopsSync(c) {
  const { lab: lab2 } = c;
  const project = lab2.getJson(["get", "appproject", c.name, "-n", "argocd"]);
  need(project, `AppProject ${c.name} is not in the cluster after the setup`);
  const notes = [];
  const possible = /* @__PURE__ */ new Map();
  for (const env of c.envs) {
    const app = lab2.getJson(["get", "application", `${c.name}-${env}`, "-n", "argocd"]);
    need(app, `Application ${c.name}-${env} is not in the cluster after the setup`);
    need(app.spec.project === c.name, `Application ${c.name}-${env} is in project ${app.spec.project}`);
    need(project.spec.sourceRepos.includes(app.spec.source.repoURL), `the AppProject does not allow the repository ${app.spec.source.repoURL}`);
    need(project.spec.destinations.some((d) => d.namespace === app.spec.destination.namespace), `the AppProject does not allow namespace ${app.spec.destination.namespace}`);
    for (const o of renderApp(c, app, ["autoscaling.enabled=true", "podDisruptionBudget.enabled=true", "ingress.enabled=true"])) possible.set(`${gkOf(o).group}/${o.kind}`, gkOf(o));
  }
  for (const env of c.envs) {
    const app = lab2.getJson(["get", "application", `${c.name}-${env}`, "-n", "argocd"]);
    const n = app.spec.destination.namespace;
    const opts = app.spec.syncPolicy?.syncOptions ?? [];
    const objs = renderApp(c, app);
    for (const o of objs) {
      const gk = gkOf(o);
      need(projectPermits(project, gk, CLUSTER_SCOPED.has(o.kind)), `AppProject ${c.name} does not permit ${gk.group || "core"}/${gk.kind}, which Application ${app.metadata.name} renders`);
    }
    if (lab2.kubectl(["get", "namespace", n]).code !== 0) {
      need(opts.includes("CreateNamespace=true"), `namespace ${n} does not exist and Application ${app.metadata.name} does not create it`);
      need(projectPermits(project, { group: "", kind: "Namespace" }, true), `AppProject ${c.name} does not permit creating the Namespace ${n}`);
      lab2.apply(JSON.stringify({ apiVersion: "v1", kind: "Namespace", metadata: { name: n, labels: app.spec.syncPolicy?.managedNamespaceMetadata?.labels ?? {} } }));
    } else if (app.spec.syncPolicy?.managedNamespaceMetadata?.labels) {
      const labels = Object.entries(app.spec.syncPolicy.managedNamespaceMetadata.labels).map(([k, v]) => `${k}=${v}`);
      lab2.kubectl(["label", "namespace", n, "--overwrite", ...labels]);
    }
    applyObjs(c, n, objs);
    await sleep(2e3);
    const built = imagesBuilt(c);
    const pods = podsOf(c, env);
    const wrong = pods.filter((p) => p.spec.containers.some((k) => !built.has(k.image)));
    need(wrong.length === 0, `the first sync of ${app.metadata.name}, before any promotion, runs ${wrong[0]?.spec.containers[0]?.image}: an image the pipeline never built (ImagePullBackOff)`);
    notes.push(`${env}: first sync runs ${pods.length} pod(s)`);
    promote(c, env, BUILT);
    const s = performance.now();
    applyObjs(c, n, renderApp(c, app));
    await waitReady(c, env, BUILT);
    notes.push(`${env}: promoted, Ready in ${Math.round((performance.now() - s) / 1e3)}s`);
  }
  const permittedNs = project.spec.namespaceResourceWhitelist ?? [];
  if (permittedNs.length === 0 || permittedNs.some((x) => x.kind === "*")) need(false, `AppProject ${c.name} permits every namespaced kind (a blacklist, or "*"), not what the Applications render: ${[...possible.keys()].join(", ")}`);
  const extra = permittedNs.filter((x) => !possible.has(`${x.group}/${x.kind}`));
  need(extra.length === 0, `AppProject ${c.name} permits ${extra.map((x) => `${x.group || "core"}/${x.kind}`).join(", ")}, which the chart never renders`);
  const clusterWide = (project.spec.clusterResourceWhitelist ?? []).filter((x) => !(x.group === "" && x.kind === "Namespace"));
  need(clusterWide.length === 0, `AppProject ${c.name} permits cluster-wide ${clusterWide.map((x) => x.kind).join(", ")}`);
  return notes.join("; ");
}
function applyObjs(c, n, objs) {
  const r = c.lab.kubectl(["apply", "-n", n, "-f", "-"], { input: objs.map((o) => JSON.stringify(o)).join("\n---\n") });
  need(r.code === 0, `applying the rendered chart into ${n} failed:
${r.stderr.slice(-1500)}`);
}
function promote(c, env, image) {
  const f = join4(c.chart, `values-${env}.yaml`);
  const doc = parseDocument2(readFileSync3(f, "utf8"));
  doc.setIn(["image", "tag"], image.tag);
  doc.setIn(["image", "digest"], image.digest);
  writeFileSync3(f, doc.toString());
}
async function pullSecret(c) {
  const { lab: lab2 } = c;
  const values = parseYaml2(readFileSync3(join4(c.chart, "values.yaml"), "utf8"));
  const out = [];
  const nativePull = c.answers.registry === "ecr" && c.answers.cluster === "eks" || c.answers.registry === "gar" && c.answers.cluster === "gke" || c.answers.registry === "acr" && c.answers.cluster === "aks";
  for (const env of c.envs) {
    const pods = podsOf(c, env);
    need(pods.length > 0, `no pods in ${c.ns(env)}`);
    const names = pods[0].spec.imagePullSecrets?.map((s) => s.name) ?? [];
    if (nativePull && names.length === 0) {
      out.push(`${env}: nodes pull with their cloud identity`);
      continue;
    }
    need(names.length > 0, `pods in ${c.ns(env)} have no imagePullSecrets (values.yaml imagePullSecrets: ${JSON.stringify(values.imagePullSecrets ?? [])}): a private ${c.answers.registry} image cannot be pulled`);
    const ev = lab2.auditEvents().filter((e) => e.namespace === c.ns(env) && e.verb === "create" && e.code < 300);
    const firstPod = ev.findIndex((e) => e.resource === "pods");
    for (const s of names) {
      const created = ev.findIndex((e) => e.resource === "secrets" && e.name === s);
      need(created >= 0, `the pull secret ${s} the pods use was never created in ${c.ns(env)} by the documented setup`);
      need(created < firstPod, `the pull secret ${s} was created in ${c.ns(env)} after the first pod`);
      const sec = lab2.getJson(["get", "secret", s, "-n", c.ns(env)]);
      need(sec?.type === "kubernetes.io/dockerconfigjson", `secret ${s} in ${c.ns(env)} is not a kubernetes.io/dockerconfigjson secret`);
    }
    out.push(`${env}: ${names.join(",")} before the first pod`);
  }
  return out.join("; ");
}
function rolloutOf(c, env) {
  return c.lab.getJson(["get", "rollout", c.name, "-n", c.ns(env)]);
}
async function update(c, env, image, extra = []) {
  if (c.answers.mode === "push") {
    deployPush(c, env, image, extra);
  } else {
    promote(c, env, image);
    const app = c.lab.getJson(["get", "application", `${c.name}-${env}`, "-n", "argocd"]);
    applyObjs(c, c.ns(env), renderApp(c, app, extra));
  }
}
function seriesFor(c, env, hash, okPerSec, errPerSec) {
  const pods = podsOf(c, env).filter((p) => p.metadata.labels?.["rollouts-pod-template-hash"] === hash);
  need(pods.length > 0, `no canary pods with hash ${hash}`);
  const ann = pods[0].metadata.annotations ?? {};
  need(ann["prometheus.io/scrape"] === "true", `the canary pods carry no prometheus.io/scrape annotation: nothing scrapes their metrics, so the analysis has no data (annotations: ${JSON.stringify(ann)})`);
  const metric = c.answers.language === "java" ? "http_server_requests_seconds_count" : "http_requests_total";
  const out = [];
  for (const p of pods) {
    const labels = { namespace: c.ns(env), pod: p.metadata.name, job: "kubernetes-pods" };
    for (const [k, v] of Object.entries(p.metadata.labels ?? {})) labels[k.replace(/[^a-zA-Z0-9_]/g, "_")] = v;
    out.push({ record: metric, labels: { ...labels, status: "200" }, expr: `time() * ${okPerSec}` });
    if (errPerSec > 0) out.push({ record: metric, labels: { ...labels, status: "500" }, expr: `time() * ${errPerSec}` });
  }
  return out;
}
async function progressive(c) {
  const { lab: lab2 } = c;
  const env = c.answers.strategy === "blue-green" ? c.envs[c.envs.length - 1] : c.envs[0];
  const notes = [];
  const r0 = rolloutOf(c, env);
  need(r0, `no Rollout ${c.name} in ${c.ns(env)}`);
  const stable0 = r0.status?.stableRS;
  if (c.answers.strategy === "canary") {
    const analysis = c.answers.canaryAnalysis === true;
    const extra = analysis ? ["analysis.enabled=true"] : [];
    await update(c, env, BUILT2, extra);
    const hash = await waitFor("the canary to start", 6e4, () => {
      const r = rolloutOf(c, env);
      return r?.status?.currentPodHash && r.status.currentPodHash !== stable0 ? r.status.currentPodHash : void 0;
    });
    if (analysis) await lab2.setSeries(await waitFor("canary pods", 6e4, () => {
      try {
        return seriesFor(c, env, hash, 10, 0);
      } catch (e) {
        if (e instanceof Fail && /annotation/.test(e.message)) throw e;
        return void 0;
      }
    }));
    const steps = rolloutOf(c, env).spec.strategy.canary.steps.length;
    const done = await waitFor("the canary to walk every step to 100%", 18e4, () => {
      const r = rolloutOf(c, env);
      if (r?.status?.abort) throw new Fail(`the canary aborted although the analysis query reports success: ${r.status.message ?? ""} ${analysisMessage(c, env)}`);
      return r?.status?.stableRS === hash && r.status.phase === "Healthy" && r.status.currentStepIndex === steps ? r : void 0;
    });
    notes.push(`canary ${stable0}\u2192${done.status.stableRS} walked ${steps} steps to 100%${analysis ? " with the analysis passing on Prometheus" : ""}`);
    if (analysis) {
      const runs = lab2.getJson(["get", "analysisruns", "-n", c.ns(env)])?.items ?? [];
      need(runs.some((a) => a.status?.phase === "Successful" && (a.status.metricResults?.[0]?.measurements?.length ?? 0) > 0), `no successful AnalysisRun with measurements: ${runs.map((a) => `${a.metadata.name} ${a.status?.phase} ${a.status?.message ?? ""}`).join("; ")}`);
      await update(c, env, BUILT3, extra);
      const bad = await waitFor("the second canary to start", 6e4, () => {
        const r = rolloutOf(c, env);
        return r?.status?.currentPodHash && r.status.currentPodHash !== hash ? r.status.currentPodHash : void 0;
      });
      await lab2.setSeries(await waitFor("canary pods", 6e4, () => {
        try {
          return seriesFor(c, env, bad, 1, 9);
        } catch {
          return void 0;
        }
      }));
      await waitFor("the failing canary to abort", 18e4, () => {
        const r = rolloutOf(c, env);
        if (r?.status?.stableRS === bad) throw new Fail("the canary was promoted although the analysis query reports a 10% success rate");
        return r?.status?.abort === true ? r : void 0;
      });
      await waitFor("the aborted canary to be scaled away", 6e4, () => {
        const rs = lab2.getJson(["get", "replicasets", "-n", c.ns(env), "-l", `rollouts-pod-template-hash=${bad}`])?.items[0];
        return rs && (rs.spec.replicas ?? 0) === 0 ? true : void 0;
      });
      need(rolloutOf(c, env).status.stableRS === hash, "the stable version changed after the abort");
      notes.push(`failing analysis aborted the canary and scaled it to 0`);
    }
  } else {
    await update(c, env, BUILT2);
    const hash = await waitFor("the preview to start", 6e4, () => {
      const r = rolloutOf(c, env);
      return r?.status?.currentPodHash && r.status.currentPodHash !== stable0 ? r.status.currentPodHash : void 0;
    });
    const auto = rolloutOf(c, env).spec.strategy.blueGreen.autoPromotionEnabled !== false;
    if (!auto) {
      await waitFor("the preview to be ready and paused", 9e4, () => {
        const r = rolloutOf(c, env);
        return r?.status?.phase === "Paused" && r.status.blueGreen?.previewSelector === hash ? r : void 0;
      });
      const active = lab2.getJson(["get", "service", c.name, "-n", c.ns(env)]);
      const preview = lab2.getJson(["get", "service", `${c.name}-preview`, "-n", c.ns(env)]);
      need(active.spec.selector["rollouts-pod-template-hash"] === stable0, "the active Service left the stable version before promotion");
      need(preview.spec.selector["rollouts-pod-template-hash"] === hash, "the preview Service does not select the new version");
      const p = lab2.kubectl(["patch", "rollout", c.name, "-n", c.ns(env), "--subresource=status", "--type=merge", "-p", '{"status":{"pauseConditions":null}}']);
      need(p.code === 0, `promote failed: ${p.stderr}`);
      lab2.kubectl(["patch", "rollout", c.name, "-n", c.ns(env), "--type=merge", "-p", '{"spec":{"paused":false}}']);
      notes.push("preview served by <name>-preview while paused");
    }
    await waitFor("the promotion to switch the active Service", 12e4, () => {
      const r = rolloutOf(c, env);
      const active = lab2.getJson(["get", "service", c.name, "-n", c.ns(env)]);
      return r?.status?.stableRS === hash && active?.spec.selector["rollouts-pod-template-hash"] === hash ? true : void 0;
    });
    notes.push(`blue-green ${auto ? "auto-promoted" : "promoted"} ${stable0}\u2192${hash}`);
  }
  const hpaEnv = c.envs.find((e) => lab2.kubectl(["get", "hpa", c.name, "-n", c.ns(e)]).code === 0);
  const target = hpaEnv ?? env;
  if (!hpaEnv) await update(c, target, c.answers.strategy === "canary" && c.answers.canaryAnalysis === true ? BUILT2 : BUILT2, ["autoscaling.enabled=true"]);
  const hpa = await waitFor(`the HPA in ${c.ns(target)} to read the Rollout's scale`, 6e4, () => {
    const h = lab2.getJson(["get", "hpa", c.name, "-n", c.ns(target)]);
    const able = h?.status?.conditions?.find((x) => x.type === "AbleToScale");
    if (able?.status === "False") throw new Fail(`HPA ${c.name} in ${c.ns(target)} cannot read the Rollout's scale: ${able.reason}: ${able.message}`);
    return able?.status === "True" ? h : void 0;
  });
  notes.push(`HPA reads the Rollout's scale in ${target} (current ${hpa.status.currentReplicas})`);
  return notes.join("; ");
}
function analysisMessage(c, env) {
  const runs = c.lab.getJson(["get", "analysisruns", "-n", c.ns(env)])?.items ?? [];
  return runs.map((a) => `[${a.metadata.name}: ${a.status?.phase} ${a.status?.message ?? ""} ${JSON.stringify(a.status?.metricResults?.[0]?.measurements?.slice(-1) ?? [])}]`).join(" ");
}
async function flagger(c) {
  const { lab: lab2 } = c;
  const out = [];
  for (const env of c.envs) {
    const canary = lab2.getJson(["get", "canary", c.name, "-n", c.ns(env)]);
    need(canary, `no Flagger Canary ${c.name} in ${c.ns(env)}`);
    need(canary.spec.targetRef?.name === c.name && canary.spec.targetRef?.kind === "Deployment", `the Canary targets ${JSON.stringify(canary.spec.targetRef)}`);
    if (c.identity) {
      for (const verb of ["create", "update", "delete", "get"]) {
        const r = lab2.kubectl(["auth", "can-i", verb, "canaries.flagger.app", "-n", c.ns(env), ...c.identity.kubectlArgs(env)]);
        need(r.stdout.trim() === "yes", `${c.identity.describe} may not ${verb} canaries.flagger.app in ${c.ns(env)}`);
      }
    }
    out.push(`${env}: Canary accepted${c.identity ? ", identity may manage it" : ""}`);
  }
  return out.join("; ");
}

// test/lab/main.ts
function createRepo(dir, flags, cwd) {
  const r = spawnSync2(process.execPath, [join5(REPO2, "bin", "create-pipeline.js"), dir, "--yes", "--json", ...flags], { encoding: "utf8", cwd: cwd ?? tmpdir2(), env: { ...process.env, CI: "true" } });
  if (r.status !== 0) throw new Error(`create failed (${r.status}): ${r.stderr}`);
  return JSON.parse(r.stdout);
}

// ../../tmp/labrun.ts
var ids = process.argv[2].split(",");
var noRollouts = process.argv[3] === "norollouts";
var space = OptionSpace.load();
var cover = space.pairwiseCover();
var lab = await Lab.start({ rollouts: !noRollouts, keep: true });
console.log("startup", lab.startupMs, lab.dir);
var work = mkdtempSync2(join6(tmpdir3(), "labrun-"));
try {
  for (const id of ids) {
    const c = cover.find((x) => x.id === `#${id}`);
    const name = `lab-${id}`;
    const dir = join6(work, name);
    const out = createRepo(dir, toFlags(space.manifest, { ...c.given, name }));
    const r = await runCombination(lab, c.id, out.answers, dir);
    console.log(id, Math.round(r.ms / 1e3), "s", dir);
    for (const x of r.checks) console.log("  ", x.ok ? "ok  " : "FAIL", x.scenario, x.ms, x.detail.slice(0, 1500));
  }
} finally {
  await lab.stop();
}
