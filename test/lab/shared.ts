/**
 * The lab's scenario for several repositories that share one Argo CD (GitOps), against the real
 * control plane of cluster.ts. The repositories are the cover's cheapest GitOps combinations, one
 * per Argo CD notifications answer (argocdNotify), as their answers differ most there:
 *
 *   setup          each repository's one-time setup (scenarios.ts), one after the other, into the
 *                  same argocd namespace: the second repository's commands must not fail on what
 *                  the first one applied (the notifications ConfigMap is shared)
 *   notifications  each repository's "GitHub App" commands, placeholders filled in as a person
 *                  does; then every subscription of every Application resolves in the shared
 *                  ConfigMap (trigger, its templates, the service, the secret keys it reads), the
 *                  GitHub service set by the first repository is kept, and applying a repository's
 *                  notifications file again changes nothing
 *   sync           each repository's Applications synced as in scenarios.ts (gitopsSync)
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parse as parseYaml } from "yaml";
import type { Combination } from "../conformance/combinations.js";
import type { Lab } from "./cluster.js";
import { type Answers, type Check, type ComboResult, type Ctx, Fail, ctxFor, gitopsSync, need, recorder, setup, setupBlocks } from "./scenarios.js";

const NOTIFY = ["none", "webhook", "slack"];

/** For each argocdNotify answer, the cover's cheapest GitOps combination (rolling, fewest environments, first id). */
export function sharedPicks(cover: Combination[]): Combination[] {
  const envs = (c: Combination) => (c.answers.environments as string[]).length;
  const cost = (c: Combination) => (c.answers.strategy === "rolling" ? 0 : 10) + envs(c);
  return NOTIFY.flatMap((n) => {
    const cs = cover.filter((c) => c.answers.mode === "gitops" && c.answers.argocdNotify === n);
    return cs.length ? [[...cs].sort((a, b) => cost(a) - cost(b) || a.id.localeCompare(b.id))[0]!] : [];
  });
}

interface Cm {
  data?: Record<string, string>;
}

/** The "A GitHub App" commands of a repository's docs/pipeline.md, with its placeholders filled in. */
function appBlock(c: Ctx, appId: string): string {
  const doc = readFileSync(join(c.dir, "docs", "pipeline.md"), "utf8");
  const block = setupBlocks(doc).find((b) => /A GitHub App for Argo CD/.test(b.section));
  need(block, "docs/pipeline.md has no bash block in 'A GitHub App for Argo CD's commit statuses'");
  const key = join(c.dir, "argocd-status-app.pem");
  writeFileSync(key, `-----BEGIN RSA PRIVATE KEY-----\nlab-${appId}\n-----END RSA PRIVATE KEY-----\n`);
  const fill: Record<string, string> = {
    ARGOCD_APP_ID: appId,
    ARGOCD_APP_INSTALLATION_ID: `9${appId}`,
    ARGOCD_APP_KEY_FILE: key,
    ARGOCD_URL: "https://argocd.example.test",
  };
  let code = block!.code;
  for (const [k, v] of Object.entries(fill)) {
    const re = new RegExp(`^${k}="<[^>\\n]*>"$`, "m");
    need(re.test(code), `the GitHub App commands have no ${k}="<...>" line to fill in`);
    code = code.replace(re, `${k}=${JSON.stringify(v)}`);
  }
  return code;
}

/** Every subscription of the Application resolves in the ConfigMap and Secret: the problems found. */
export function unresolved(
  app: { metadata: { name: string; annotations?: Record<string, string> } },
  data: Record<string, string>,
  secret: Set<string>,
): string[] {
  const out: string[] = [];
  const prefix = "notifications.argoproj.io/subscribe.";
  const subs = Object.keys(app.metadata.annotations ?? {}).filter((k) => k.startsWith(prefix));
  if (!subs.length) out.push(`${app.metadata.name} subscribes to nothing`);
  for (const k of subs) {
    const rest = k.slice(prefix.length);
    const dot = rest.lastIndexOf(".");
    const [trigger, service] = [rest.slice(0, dot), rest.slice(dot + 1)];
    const t = data[`trigger.${trigger}`];
    if (!t) {
      out.push(`${app.metadata.name}: trigger.${trigger} is not in argocd-notifications-cm`);
      continue;
    }
    const svcKey = Object.keys(data).find((x) => x === `service.${service}` || (x.startsWith("service.") && x.split(".").slice(2).join(".") === service));
    if (!svcKey) out.push(`${app.metadata.name}: no service ${service} in argocd-notifications-cm (${k})`);
    else
      for (const m of data[svcKey]!.matchAll(/\$([A-Za-z0-9_.-]+)/g))
        if (!secret.has(m[1]!)) out.push(`${app.metadata.name}: ${svcKey} reads $${m[1]}, which argocd-notifications-secret does not have`);
    const conditions = parseYaml(t) as { send?: string[] }[];
    for (const name of conditions.flatMap((x) => x.send ?? [])) {
      const tpl = data[`template.${name}`];
      if (!tpl) {
        out.push(`${app.metadata.name}: template.${name} (sent by trigger.${trigger}) is not in argocd-notifications-cm`);
        continue;
      }
      const body = parseYaml(tpl) as Record<string, unknown> & { webhook?: Record<string, unknown> };
      const type = svcKey?.split(".")[1];
      if (type === "webhook" && !body.webhook?.[service]) out.push(`${app.metadata.name}: template.${name} has no webhook.${service} part for ${k}`);
      if (type === "github" && !body.github) out.push(`${app.metadata.name}: template.${name} has no github part for ${k}`);
    }
  }
  return out;
}

export async function runShared(lab: Lab, id: string, repos: { answers: Answers; dir: string }[]): Promise<ComboResult> {
  const t0 = performance.now();
  const checks: Check[] = [];
  const ctxs = repos.map((r) => ctxFor(lab, r.answers, r.dir));
  const check = recorder(checks);
  const names = ctxs.map((c) => `${c.name} (argocdNotify ${c.answers.argocdNotify})`);
  const all = (k: string) => [...new Set(ctxs.flatMap((c) => c.answers[k] as string | string[]))];
  const answers: Answers = {
    mode: "gitops",
    shared: names,
    cluster: all("cluster").join("/"),
    strategy: all("strategy").join("/"),
    registry: all("registry").join("/"),
    environments: all("environments"),
  };
  const setupOk = await check("setup", async () => {
    const notes: string[] = [];
    for (const c of ctxs) {
      try {
        notes.push(`${c.name}: ${await setup(c)}`);
      } catch (e) {
        const before = ctxs.slice(0, ctxs.indexOf(c)).map((x) => x.name);
        throw new Fail(
          `${c.name}'s setup, after ${before.length ? before.join(", ") : "no other repository"}'s in the same Argo CD: ${e instanceof Error ? e.message : e}`,
        );
      }
    }
    return `${names.join(", ")} set up into one Argo CD; ${notes.join("; ")}`;
  });
  if (!setupOk) return { id, answers, dir: repos[0]?.dir ?? "", checks, ms: Math.round(performance.now() - t0) };
  const cm = () => lab.getJson<Cm>(["get", "configmap", "argocd-notifications-cm", "-n", "argocd"])?.data ?? {};
  await check("notifications", () => {
    const notes: string[] = [];
    ctxs.forEach((c, i) => {
      const r = lab.run("bash", ["-e", "-o", "pipefail", "-c", appBlock(c, String(1001 + i))], {
        cwd: c.dir,
        env: {
          PATH: `${join(c.dir, "shims")}:${lab.env().PATH}`,
          SLACK_BOT_TOKEN: "xoxb-lab",
          PIPELINE_EVENTS_URL: "https://events.example.test/argocd",
        },
        timeoutMs: 60_000,
      });
      need(r.code === 0, `${c.name}'s "A GitHub App for Argo CD" commands failed (exit ${r.code}):\n${r.stderr.slice(-1500)}`);
    });
    const data = cm();
    const secret = lab.getJson<{ data?: Record<string, string> }>(["get", "secret", "argocd-notifications-secret", "-n", "argocd"]);
    const keys = new Set(Object.keys(secret?.data ?? {}));
    need(
      /appID: 1001\b/.test(data["service.github"] ?? ""),
      `service.github is not the first repository's App any more: ${JSON.stringify(data["service.github"] ?? "")}`,
    );
    notes.push("service.github kept from the first repository (App 1001)");
    const problems: string[] = [];
    for (const c of ctxs)
      for (const env of c.envs) {
        const app = lab.getJson<{ metadata: { name: string; annotations?: Record<string, string> } }>([
          "get",
          "application",
          `${c.name}-${env}`,
          "-n",
          "argocd",
        ]);
        need(app, `Application ${c.name}-${env} is not in the cluster`);
        problems.push(...unresolved(app!, data, keys));
      }
    need(problems.length === 0, `subscriptions that do not resolve in the shared ConfigMap:\n${problems.join("\n")}`);
    notes.push(`every subscription of ${ctxs.reduce((n, c) => n + c.envs.length, 0)} Applications resolves (trigger, templates, service, secret keys)`);
    // Applying a repository's notifications file again, as its setup says, changes nothing.
    const c = ctxs[0]!;
    const doc = readFileSync(join(c.dir, "docs", "pipeline.md"), "utf8");
    const cmd = /^kubectl apply --server-side[^\n]*\\\n\s*-f deploy\/argocd\/notifications\/argocd-notifications-cm\.yaml$/m.exec(doc)?.[0];
    need(cmd, "docs/pipeline.md has no `kubectl apply --server-side ... -f deploy/argocd/notifications/argocd-notifications-cm.yaml` command");
    const again = lab.run("bash", ["-e", "-c", cmd!], { cwd: c.dir, env: { PATH: lab.env().PATH } });
    need(again.code === 0, `applying ${c.name}'s notifications again failed:\n${again.stderr.slice(-1000)}`);
    need(JSON.stringify(cm()) === JSON.stringify(data), `applying ${c.name}'s notifications again changed argocd-notifications-cm`);
    notes.push(`${c.name}'s notifications applied again: no change`);
    // A repository made by another version of the tool (a template's text differs) takes the
    // pipeline's keys over instead of failing; applying this version again takes them back.
    const other = ctxs[ctxs.length - 1]!;
    const file = join(other.dir, "deploy", "argocd", "notifications", "argocd-notifications-cm.yaml");
    const text = readFileSync(file, "utf8");
    const otherCmd = cmd!.replace(/--field-manager \S+/, `--field-manager ${other.name}-pipeline`);
    need(text.includes("is Synced and Healthy at"), "the notifications file has no deployed message to change");
    writeFileSync(file, text.replace("is Synced and Healthy at", "is deployed (another version) at"));
    const skew = lab.run("bash", ["-e", "-c", otherCmd], { cwd: other.dir, env: { PATH: lab.env().PATH } });
    writeFileSync(file, text);
    need(skew.code === 0, `a repository made by another version of the tool cannot apply its notifications after ${c.name}'s:\n${skew.stderr.slice(-1000)}`);
    need(/another version/.test(cm()["template.pipeline-app-deployed"] ?? ""), "the other version's template did not take over");
    const back = lab.run("bash", ["-e", "-c", otherCmd], { cwd: other.dir, env: { PATH: lab.env().PATH } });
    need(back.code === 0 && JSON.stringify(cm()) === JSON.stringify(data), `applying ${other.name}'s notifications of this version again did not restore them`);
    notes.push(`a template written by another version takes over (${other.name}), and this version's apply restores it`);
    return notes.join("; ");
  });
  await check("sync + first-sync", async () => {
    const notes: string[] = [];
    for (const c of ctxs) notes.push(`${c.name}: ${await gitopsSync(c)}`);
    return notes.join("; ");
  });
  return { id, answers, dir: repos[0]?.dir ?? "", checks, ms: Math.round(performance.now() - t0) };
}

/** The namespaces the scenario's repositories deploy into. */
export function sharedNamespaces(repos: { answers: Answers }[]): string[] {
  return repos.flatMap((r) => (r.answers.environments as string[]).map((e) => `${r.answers.name}-${e}`));
}
