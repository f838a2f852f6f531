/** Java: pom.xml or build.gradle(.kts), Spring configuration, entry-point sources. */
import path from "node:path";
import type { Found } from "./found.js";
import { portIn } from "./port-health.js";
import { firstMatch, firstOf, list, type Listing, type Reader } from "./read.js";

/** "1.8" → "8", "17" → "17", "VERSION_1_8" → "8", "21.0.2-tem" → "21". */
function javaMajor(spec: string | undefined): string | undefined {
  if (spec === undefined) return undefined;
  const m = /^(?:JavaVersion\.)?(?:VERSION_)?(\d+)(?:[._](\d+))?/.exec(spec.trim().replace(/^['"]|['"]$/g, ""));
  if (!m?.[1]) return undefined;
  const major = m[1] === "1" && m[2] !== undefined ? m[2] : m[1];
  const n = Number(major);
  return n >= 5 && n < 100 ? String(n) : undefined;
}

/** pom.xml without the blocks whose artifactIds are not the project's. */
function pomProjectPart(pom: string): string {
  return pom
    .replace(/<!--[\s\S]*?-->/g, "")
    .replace(/<profiles>[\s\S]*?<\/profiles>/g, "")
    .replace(/<dependencyManagement>[\s\S]*?<\/dependencyManagement>/g, "")
    .replace(/<build>[\s\S]*?<\/build>/g, "")
    .replace(/<reporting>[\s\S]*?<\/reporting>/g, "")
    .replace(/<dependencies>[\s\S]*?<\/dependencies>/g, "")
    .replace(/<parent>[\s\S]*?<\/parent>/g, "");
}

export async function detectJava(
  root: string,
  read: Reader,
  top: Listing,
  buildTool: "maven" | "gradle",
  buildFile: string | undefined,
): Promise<Found> {
  const found: Found = { sources: [] };
  const text = (buildFile ?? "").replace(/<!--[\s\S]*?-->/g, "");

  if (buildTool === "maven") {
    const artifactId = /<artifactId>\s*([^<\s]+)\s*<\/artifactId>/.exec(pomProjectPart(buildFile ?? ""))?.[1];
    if (artifactId !== undefined && !artifactId.includes("${")) found.name = artifactId;
    found.languageVersion = javaMajor(
      firstMatch(text, [
        /<maven\.compiler\.release>\s*([\d.]+)\s*</,
        /<java\.version>\s*([\d.]+)\s*</,
        /<release>\s*([\d.]+)\s*<\/release>/,
        /<maven\.compiler\.target>\s*([\d.]+)\s*</,
        /<maven\.compiler\.source>\s*([\d.]+)\s*</,
        /<target>\s*([\d.]+)\s*<\/target>/,
      ]),
    );
  } else {
    const settings = await firstOf(read, top, ["settings.gradle.kts", "settings.gradle"]);
    const rootName = /rootProject\.name\s*=\s*["']([^"']+)["']/.exec(settings ?? "")?.[1];
    if (rootName !== undefined) found.name = rootName;
    found.languageVersion = javaMajor(
      firstMatch(text, [
        /JavaLanguageVersion\.of\(\s*["']?(\d+)/,
        /jvmToolchain\(\s*(\d+)/,
        /options\.release(?:\.set\(|\s*=\s*)\s*(\d+)/,
        /sourceCompatibility\s*=\s*(JavaVersion\.VERSION_[\d_]+|["']?[\d.]+)/,
        /targetCompatibility\s*=\s*(JavaVersion\.VERSION_[\d_]+|["']?[\d.]+)/,
      ]),
    );
  }
  if (found.languageVersion === undefined) {
    const pin = await firstOf(read, top, [".java-version", ".sdkmanrc"]);
    found.languageVersion = javaMajor(/^\s*(?:java\s*=\s*)?(\d[\w.-]*)/m.exec(pin ?? "")?.[1]);
  }

  const resources = ["application.properties", "application.yml", "application.yaml"].map(
    (f) => `src/main/resources/${f}`,
  );
  const [props, yml, yaml] = await Promise.all(resources.map(read));
  const springYaml = yml ?? yaml;
  found.port = portIn(props) ?? springYamlPort(springYaml);

  if (text.includes("spring-boot-starter-actuator")) {
    const base =
      /^[ \t]*management\.endpoints\.web\.base-path[ \t]*[=:][ \t]*(\/[\w/-]*)/m.exec(props ?? "")?.[1] ??
      springYamlBasePath(springYaml);
    found.healthPath = `${base === undefined || base === "/" ? "/actuator" : base.replace(/\/+$/, "")}/health`;
  }
  found.sources = await javaSources(root, top);
  return found;
}

/** `server:\n  port: 8081` (or `server.port: 8081`) in a Spring YAML file. */
function springYamlPort(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const m =
    /^server\.port:[ \t]*(?:["']?\$\{[A-Za-z_.]+:)?["']?(\d{2,5})\b/m.exec(text) ??
    /^server:[ \t]*\r?\n(?:[ \t]+.*\r?\n)*?[ \t]+port:[ \t]*(?:["']?\$\{[A-Za-z_.]+:)?["']?(\d{2,5})\b/m.exec(text);
  const n = m?.[1] === undefined ? undefined : Number(m[1]);
  return n !== undefined && n >= 1 && n <= 65535 ? n : undefined;
}

function springYamlBasePath(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  return (
    /^[ \t]*management\.endpoints\.web\.base-path:[ \t]*["']?(\/[\w/-]*)/m.exec(text)?.[1] ??
    /^[ \t]+base-path:[ \t]*["']?(\/[\w/-]*)/m.exec(text)?.[1]
  );
}

/**
 * Entry-point-like Java/Kotlin sources under src/main: a bounded walk
 * (at most 40 directories, 8 levels) for *Application, *App, Main, *Server,
 * *Controller, *Health* files; at most 6 are returned.
 */
async function javaSources(root: string, top: Listing): Promise<string[]> {
  if (!top.dirs.has("src")) return [];
  const out: string[] = [];
  let level = ["src/main/java", "src/main/kotlin"];
  let visited = 0;
  // Breadth first, one level at a time, the directories of a level in parallel.
  for (let depth = 0; depth <= 8 && level.length > 0 && visited < 40 && out.length < 6; depth++) {
    level = level.slice(0, 40 - visited);
    visited += level.length;
    const listings = await Promise.all(level.map((rel) => list(path.join(root, rel))));
    const next: string[] = [];
    listings.forEach((l, i) => {
      const rel = level[i]!;
      for (const f of [...l.files].sort()) {
        if (/(?:Application|App|Main|Server|Controller|Health\w*)\.(?:java|kt)$/.test(f)) out.push(`${rel}/${f}`);
      }
      for (const d of [...l.dirs].sort()) next.push(`${rel}/${d}`);
    });
    level = next;
  }
  return out.slice(0, 6);
}
