plugins {
    java
    alias(deps.plugins.spring.boot)
    alias(deps.plugins.spring.deps)
}

group = "com.example"
version = "0.9.1"

java {
    toolchain {
        languageVersion = JavaLanguageVersion.of(deps.versions.jdk.get())
    }
}

dependencies {
    implementation(deps.spring.boot.web)
    implementation(deps.spring.boot.actuator)
    testImplementation(deps.spring.boot.test)
}

tasks.test {
    useJUnitPlatform()
}
