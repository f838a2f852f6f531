/**
 * An ApplicationSet expanded as Argo CD's ApplicationSet controller expands it: the matrix
 * generator's child generators (list generators here) give the cartesian product of their
 * parameter sets, and the template is rendered with Go templates for each (goTemplate: true,
 * missingkey=error: an unknown key fails, as in the controller). Generators:
 * https://argo-cd.readthedocs.io/en/stable/operator-manual/applicationset/Generators-Matrix/
 */

type Params = Record<string, unknown>;
type Generator = { list?: { elements: Params[] }; matrix?: { generators: Generator[] } };

/** Parameter sets of a generator (list and matrix: the two the pack uses; anything else throws). */
export function expandGenerator(g: Generator): Params[] {
  if (g.list) return g.list.elements.map((e) => ({ ...e }));
  if (g.matrix) {
    const [a, b, ...rest] = g.matrix.generators;
    if (!a || !b || rest.length) throw new Error("a matrix generator has exactly two child generators");
    return expandGenerator(a).flatMap((x) => expandGenerator(b).map((y) => ({ ...x, ...y })));
  }
  throw new Error(`generator not supported by this expansion: ${Object.keys(g).join(", ")}`);
}

/** Go template rendering of `{{.key}}` (missingkey=error); any other action throws. */
export function renderGo(value: unknown, p: Params): unknown {
  if (typeof value === "string")
    return value.replace(/\{\{-?\s*(.*?)\s*-?\}\}/g, (_m, expr: string) => {
      const k = /^\.([A-Za-z_][\w]*)$/.exec(expr)?.[1];
      if (k === undefined) throw new Error(`template action not supported by this expansion: {{${expr}}}`);
      if (!(k in p)) throw new Error(`map has no entry for key "${k}" (missingkey=error)`);
      return String(p[k]);
    });
  if (Array.isArray(value)) return value.map((v) => renderGo(v, p));
  if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, renderGo(v, p)]));
  return value;
}

export interface ExpandedApplication {
  apiVersion: string;
  kind: "Application";
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; finalizers?: string[] };
  spec: Record<string, any>;
}

/** The Applications an ApplicationSet object (goTemplate: true) generates. */
export function expandApplicationSet(set: {
  metadata: { namespace?: string };
  spec: { generators: Generator[]; template: { metadata: object; spec: object } };
}) {
  const params = set.spec.generators.flatMap((g) => expandGenerator(g));
  return params.map((p) => ({
    apiVersion: "argoproj.io/v1alpha1",
    kind: "Application",
    metadata: { ...(renderGo(set.spec.template.metadata, p) as object), namespace: set.metadata.namespace },
    spec: renderGo(set.spec.template.spec, p),
  })) as ExpandedApplication[];
}
