import { describe, expect, it } from "vitest";
import { tempRepos } from "../support/temp-repo.js";
import { detectReport } from "../../src/io/detect/index.js";

const repo = tempRepos("detect-grpc-java-");
const report = async (files: Record<string, string>) => detectReport(repo(files), { refusal: false });

const adGradle = `plugins {
    id 'com.google.protobuf' version '0.9.1'
    id 'application'
}

def grpcVersion = "1.51.1"

dependencies {
    implementation "io.grpc:grpc-protobuf:\${grpcVersion}",
            "io.grpc:grpc-stub:\${grpcVersion}",
            "io.grpc:grpc-netty:\${grpcVersion}",
            "io.grpc:grpc-services:\${grpcVersion}"
}

startScripts.enabled = false

task adService(type: CreateStartScripts) {
    mainClass.set('hipstershop.AdService')
    applicationName = 'AdService'
    outputDir = new File(project.buildDir, 'tmp')
    classpath = startScripts.classpath
}

task adServiceClient(type: CreateStartScripts) {
    mainClass.set('hipstershop.AdServiceClient')
    applicationName = 'AdServiceClient'
    outputDir = new File(project.buildDir, 'tmp')
    classpath = startScripts.classpath
}

applicationDistribution.into('bin') {
    from(adService)
    from(adServiceClient)
    fileMode = 0755
}
`;

const adServer = (port: string, health = true) => `package hipstershop;

import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;

public final class AdService {
  private Server server;
  private HealthStatusManager healthMgr;

  private void start() throws java.io.IOException {
    int port = ${port};
    healthMgr = new HealthStatusManager();
    server =
        ServerBuilder.forPort(port)
            .addService(new AdServiceImpl())${health ? "\n            .addService(healthMgr.getHealthService())" : ""}
            .build()
            .start();
  }

  public static void main(String[] args) throws Exception {
    new AdService().start();
  }
}
`;

describe("a plain io.grpc Java server", () => {
  it("is gRPC on the port ServerBuilder.forPort is given, with the health service, without a proto folder", async () => {
    const r = await report({
      "settings.gradle": "rootProject.name = 'adservice'\n",
      "build.gradle": adGradle,
      "src/main/java/hipstershop/AdService.java": adServer('Integer.parseInt(System.getenv().getOrDefault("PORT", "9555"))'),
    });
    expect(r.values).toMatchObject({ language: "java", protocol: "grpc", port: 9555, grpcHealth: true });
    expect(r.from.protocol).toMatch(/AdService\.java: ServerBuilder\.forPort/);
  });

  it("starts the script a custom CreateStartScripts task names, not one named after the project", async () => {
    const r = await report({
      "settings.gradle": "rootProject.name = 'adservice'\n",
      "build.gradle": adGradle,
      "src/main/java/hipstershop/AdService.java": adServer("9555"),
    });
    expect(r.values.startCommand).toBe("build/install/adservice/bin/AdService");
    expect(r.values.port).toBe(9555);
    expect(r.from.startCommand).toMatch(/CreateStartScripts task adService/);
    const d = await report({
      "settings.gradle": "rootProject.name = 'adservice'\n",
      "build.gradle": adGradle,
      "src/main/java/hipstershop/AdService.java": adServer("9555"),
      Dockerfile: 'FROM eclipse-temurin:19\nCOPY . /app\nENTRYPOINT ["/app/build/install/hipstershop/bin/AdService"]\n',
    });
    expect(d.values.startCommand).toBe("build/install/hipstershop/bin/AdService");
    const a = await report({
      "settings.gradle": "rootProject.name = 'adservice'\n",
      "build.gradle": "plugins { id 'application' }\napplication {\n    mainClass = 'hipstershop.AdService'\n    applicationName = 'ads'\n}\n",
      "src/main/java/hipstershop/AdService.java": adServer("9555"),
    });
    expect(a.values.startCommand).toBe("build/install/ads/bin/ads");
  });

  it("reads a constant port and says when no health service is added (Maven, grpc-netty-shaded)", async () => {
    const pom = `<project><modelVersion>4.0.0</modelVersion><groupId>g</groupId><artifactId>greeter</artifactId><version>1.0</version>
<dependencies><dependency><groupId>io.grpc</groupId><artifactId>grpc-netty-shaded</artifactId><version>1.66.0</version></dependency></dependencies></project>`;
    const src = adServer("PORT", false).replace("private Server server;", "private static final int PORT = 50051;\n  private Server server;");
    const r = await report({ "pom.xml": pom, "src/main/java/hipstershop/AdService.java": src });
    expect(r.values).toMatchObject({ protocol: "grpc", port: 50051, grpcHealth: false });
  });

  it("net.devh grpc-server-spring-boot-starter: grpc.server.port, default 9090", async () => {
    const pom = (dep: string) => `<project><modelVersion>4.0.0</modelVersion><groupId>g</groupId><artifactId>greeter</artifactId><version>1.0</version>
<parent><groupId>org.springframework.boot</groupId><artifactId>spring-boot-starter-parent</artifactId><version>3.2.0</version></parent>
<dependencies>${dep}</dependencies>
<build><plugins><plugin><groupId>org.springframework.boot</groupId><artifactId>spring-boot-maven-plugin</artifactId></plugin></plugins></build></project>`;
    const devh = "<dependency><groupId>net.devh</groupId><artifactId>grpc-server-spring-boot-starter</artifactId><version>3.1.0.RELEASE</version></dependency>";
    const svc = "package g;\n@net.devh.boot.grpc.server.service.GrpcService\npublic class Greeter extends GreeterGrpc.GreeterImplBase {}\n";
    const a = await report({ "pom.xml": pom(devh), "src/main/java/g/Greeter.java": svc });
    expect(a.values).toMatchObject({ protocol: "grpc", port: 9090 });
    const b = await report({
      "pom.xml": pom(devh),
      "src/main/java/g/Greeter.java": svc,
      "src/main/resources/application.properties": "grpc.server.port=9191\n",
    });
    expect(b.values).toMatchObject({ protocol: "grpc", port: 9191 });
    const lognet = "<dependency><groupId>io.github.lognet</groupId><artifactId>grpc-spring-boot-starter</artifactId><version>5.1.5</version></dependency>";
    const c = await report({
      "pom.xml": pom(lognet),
      "src/main/java/g/Greeter.java": svc.replace("net.devh.boot.grpc.server.service", "org.lognet.springboot.grpc"),
    });
    expect(c.values).toMatchObject({ protocol: "grpc", port: 6565, grpcHealth: true });
  });
});
