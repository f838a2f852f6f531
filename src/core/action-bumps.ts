// Dependabot's github-actions updates, told apart from other edits of a generated workflow. For an
// action pinned by commit SHA with its version in a comment (`uses: actions/checkout@<sha> # v7.0.1`)
// Dependabot rewrites the SHA and the comment on that line and nothing else; for an action pinned by
// tag (`@v7`) it rewrites the tag. Such a line is a bump when it names the same action, at a newer
// version, pinned the same way (a SHA stays a SHA), and the rest of the line is unchanged.

/** One bumped action line: the action and its version before and after. */
export interface ActionBump {
  action: string;
  from: string;
  to: string;
  /** The commit it is pinned to now (an action pinned by SHA). */
  sha?: string;
}

const SHA = /^[0-9a-f]{40}$/;
// `- uses: owner/repo[/path]@ref  # comment`, any indentation, with or without the list dash.
const USES = /^(\s*(?:-\s+)?uses:\s+)(["']?)([\w.-]+\/[\w./-]+)@([\w.-]+)\2(\s*)(?:#\s*(\S+)\s*)?$/;
const VERSION = /^v?(\d+)(?:\.(\d+))?(?:\.(\d+))?$/;

interface Pin {
  lead: string;
  action: string;
  ref: string;
  sha: boolean;
  version: number[];
  label: string;
}

function pin(line: string): Pin | undefined {
  const m = USES.exec(line);
  if (!m) return undefined;
  const [, lead, quote, action, ref, , comment] = m;
  const sha = SHA.test(ref!);
  const label = sha ? comment : ref;
  const v = label === undefined ? undefined : VERSION.exec(label);
  if (!v) return undefined;
  return { lead: `${lead}${quote}`, action: action!, ref: ref!, sha, version: [Number(v[1]), Number(v[2] ?? 0), Number(v[3] ?? 0)], label: label! };
}

const compare = (a: readonly number[], b: readonly number[]) => a.map((x, i) => x - b[i]!).find((d) => d !== 0) ?? 0;

/** The bump from line `before` to line `after`, if it is one. */
function bumpOf(before: string, after: string): ActionBump | undefined {
  const b = pin(before);
  const a = pin(after);
  if (!b || !a || a.lead !== b.lead || a.action !== b.action || a.sha !== b.sha) return undefined;
  if (compare(a.version, b.version) <= 0) return undefined;
  return { action: a.action, from: b.label, to: a.label, ...(a.sha ? { sha: a.ref } : {}) };
}

/**
 * The action bumps that turn `generated` into `yours`, when that is all that differs (line for
 * line, every changed line a bump to a newer version of the same action); undefined otherwise.
 */
export function actionBumpsOnly(generated: string, yours: string): ActionBump[] | undefined {
  const g = generated.split("\n");
  const y = yours.split("\n");
  if (g.length !== y.length) return undefined;
  const bumps: ActionBump[] = [];
  for (let i = 0; i < g.length; i++) {
    if (g[i] === y[i]) continue;
    const bump = bumpOf(g[i]!, y[i]!);
    if (!bump) return undefined;
    bumps.push(bump);
  }
  return bumps.length ? bumps : undefined;
}

/** Short text for a report: `actions/checkout v7.0.1 → v7.1.0, …`. */
export const bumpsText = (bumps: readonly ActionBump[]) => [...new Set(bumps.map((b) => `${b.action} ${b.from} → ${b.to}`))].join(", ");

/**
 * Before a three-way merge of a workflow whose only edits are action bumps: each bumped action
 * ends up at the newer of your version and the template's. Where the template pins the action at
 * a version at least as new as yours, your line goes back to the merge base's (the template's pin
 * then applies); where yours is newer, the merge base's line takes the template's pin (so your
 * line is the only change and is kept). Returns the merge base and your text to merge with.
 */
export function settleBumps(base: string, ours: string, theirs: string): { base: string; ours: string } | undefined {
  if (!actionBumpsOnly(base, ours)) return undefined;
  const b = base.split("\n");
  const o = ours.split("\n");
  const t = theirs.split("\n").map(pin);
  for (let i = 0; i < b.length; i++) {
    if (b[i] === o[i]) continue;
    const mine = pin(o[i]!)!;
    // The template's pins for this action at the same place in a step (one pin per action: the
    // pack pins each action once); none, or pins that disagree: left to the merge.
    const pins = t.filter((p): p is Pin => p !== undefined && p.action === mine.action && p.lead === mine.lead && p.sha === mine.sha);
    const labels = new Set(pins.map((p) => p.label));
    if (labels.size !== 1) continue;
    const template = pins[0]!;
    const line = theirs.split("\n")[t.indexOf(template)]!;
    if (compare(template.version, mine.version) >= 0) o[i] = b[i]!;
    else b[i] = line;
  }
  return { base: b.join("\n"), ours: o.join("\n") };
}

/**
 * Is each SHA the commit its version tag points to in the action's repository on github.com
 * (`git ls-remote`, no credentials)? A version comment is only a comment: a pull request could pin
 * any commit (one from a fork is reachable under the action's own name) and write a newer version
 * beside it. Returns why a bump is not confirmed, by action; empty when all are. Bumps pinned by
 * tag have no SHA to confirm.
 */
export async function unconfirmedBumps(bumps: readonly ActionBump[], env: NodeJS.ProcessEnv = process.env): Promise<Map<ActionBump, string>> {
  const { execFile } = await import("node:child_process");
  const out = new Map<ActionBump, string>();
  await Promise.all(
    bumps.map(async (b) => {
      if (b.sha === undefined) return;
      const repo = b.action.split("/").slice(0, 2).join("/");
      const tag = `refs/tags/${b.to}`;
      const listed = await new Promise<string | Error>((resolve) =>
        execFile(
          "git",
          ["ls-remote", "--", `https://github.com/${repo}.git`, tag, `${tag}^{}`],
          { env: { ...env, GIT_TERMINAL_PROMPT: "0", GIT_ASKPASS: "", SSH_ASKPASS: "" }, timeout: 30_000, maxBuffer: 1 << 20 },
          (err, stdout) => resolve(err ?? stdout),
        ),
      );
      if (listed instanceof Error) {
        out.set(b, `could not ask github.com/${repo} which commit ${b.to} is (git ls-remote: ${listed.message.split("\n")[0]})`);
        return;
      }
      const refs = new Map(listed.split("\n").flatMap((l) => (/^([0-9a-f]{40})\t(\S+)$/.exec(l) ? [[l.slice(41), l.slice(0, 40)] as const] : [])));
      const commit = refs.get(`${tag}^{}`) ?? refs.get(tag);
      if (commit === undefined) out.set(b, `github.com/${repo} has no tag ${b.to}`);
      else if (commit !== b.sha) out.set(b, `${b.sha} is not ${b.to} of github.com/${repo} (that is ${commit})`);
    }),
  );
  return out;
}
