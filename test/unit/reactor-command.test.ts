// A Maven module's or Gradle project's lint and test commands, run from its reactor or settings
// root (where its sibling modules are) instead of its own folder.
import { describe, expect, it } from "vitest";
import { reactorCommand } from "../../src/io/detect/context.js";

describe("reactorCommand", () => {
  it("Maven: the module and the modules it uses (-pl -am), with the root's wrapper when it has one", () => {
    expect(reactorCommand("mvn -B -ntp test", "services/api", ".", "maven", "./mvnw -B -ntp test")).toBe("./mvnw -B -ntp -pl services/api -am test");
    expect(reactorCommand("mvn -B -ntp spotless:check", "java/api", "java", "maven", undefined)).toBe("mvn -B -ntp -pl api -am spotless:check");
  });
  it("Gradle: every task of the project by its path", () => {
    expect(reactorCommand("gradle test", "services/api", ".", "gradle", "./gradlew test")).toBe("./gradlew :services:api:test");
    expect(reactorCommand("gradle spotlessCheck checkstyleMain", "api", ".", "gradle", "sh ./gradlew test")).toBe(
      "sh ./gradlew :api:spotlessCheck :api:checkstyleMain",
    );
  });
  it("leaves a command that is not the build tool's alone", () => {
    expect(reactorCommand("make test", "api", ".", "maven", "mvn test")).toBeUndefined();
  });
});
