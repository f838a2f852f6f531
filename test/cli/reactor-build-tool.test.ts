// A Maven module built from its reactor root: the build tool said for its test and build commands
// is the root's (its wrapper there), never the module folder's "no mvnw wrapper".
import { chmodSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli, tempDir, unwrapReport } from "../support/cli.js";
import { git } from "../support/repo.js";

function reactor(withWrapper: boolean): string {
  const dir = join(tempDir(), "shop");
  const files: Record<string, string> = {
    "pom.xml":
      "<project><modelVersion>4.0.0</modelVersion><groupId>com.acme</groupId><artifactId>parent</artifactId><version>1.0.0</version><packaging>pom</packaging><modules><module>orders</module><module>lib</module></modules></project>\n",
    "orders/pom.xml":
      "<project><modelVersion>4.0.0</modelVersion><parent><groupId>com.acme</groupId><artifactId>parent</artifactId><version>1.0.0</version></parent><artifactId>orders</artifactId><properties><maven.compiler.release>17</maven.compiler.release></properties><dependencies><dependency><groupId>com.acme</groupId><artifactId>lib</artifactId><version>1.0.0</version></dependency></dependencies><build><plugins><plugin><groupId>org.springframework.boot</groupId><artifactId>spring-boot-maven-plugin</artifactId></plugin></plugins></build></project>\n",
    "orders/src/main/java/a/App.java": "class App { public static void main(String[] a) {} }\n",
    "lib/pom.xml":
      "<project><modelVersion>4.0.0</modelVersion><parent><groupId>com.acme</groupId><artifactId>parent</artifactId><version>1.0.0</version></parent><artifactId>lib</artifactId></project>\n",
  };
  if (withWrapper) files.mvnw = "#!/bin/sh\n";
  for (const [f, t] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, f)), { recursive: true });
    writeFileSync(join(dir, f), t);
  }
  if (withWrapper) chmodSync(join(dir, "mvnw"), 0o755);
  git(dir, "init", "-q", "-b", "main");
  git(dir, "remote", "add", "origin", "https://github.com/acme/shop.git");
  return dir;
}

describe("a Maven module's build tool is its reactor root's", () => {
  it("the root's mvnw runs the module's tests and build, and is said so", async () => {
    const r = await runCli([reactor(true), "--yes"]);
    expect(r.code).toBe(0);
    const text = unwrapReport(r.stdout);
    expect(text).not.toMatch(/no mvnw wrapper/);
    expect(text).toMatch(
      /testCommand: \.\/mvnw -B -ntp -pl orders -am test\s+\[from the module's test task, run from the build's root \(the repository root\) with its build tool \(mvnw\)\]/,
    );
    expect(text).toMatch(/buildCommand: \.\/mvnw -B -ntp package -DskipTests\s+\[from spring-boot packaging, built from the build's root/);
  });

  it("without a wrapper at the root, no wrapper is said for either", async () => {
    const text = unwrapReport((await runCli([reactor(false), "--yes"])).stdout);
    expect(text).toMatch(
      /testCommand: mvn -B -ntp -pl orders -am test\s+\[from the module's test task, run from the build's root \(the repository root\) with its build tool \(no mvnw wrapper\)\]/,
    );
    expect(text).toMatch(/buildCommand: mvn -B -ntp package -DskipTests\s+\[from no mvnw wrapper; spring-boot packaging\]/);
  });
});
