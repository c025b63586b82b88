package dev.streamrec.it.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code demo/run.sh}, called from another directory than the project's, with a stand-in
 * {@code mvn} on the PATH (the build is not what is under test, and the jar is already built):
 * a relative {@code --dataset} is the caller's path, as with {@code java -jar}.
 */
@Tag("integration")
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class DemoRunScriptIT {

    @Test
    void aRelativeDatasetIsResolvedFromTheCallersDirectory() throws Exception {
        final Path project = Path.of(System.getProperty("user.dir")).resolve("..").normalize();
        assertThat(project.resolve("demo/target/demo.jar")).as("the demo jar").isRegularFile();
        final Path work = Files.createDirectories(Path.of(System.getProperty("it.work.dir", "target/it-work")));
        final Path caller = Files.createTempDirectory(work.toAbsolutePath(), "run-sh-caller-");
        final Path bin = Files.createDirectories(caller.resolve("bin"));
        final Path mvn = Files.writeString(bin.resolve("mvn"), "#!/bin/sh\nexit 0\n");
        Files.setPosixFilePermissions(mvn, PosixFilePermissions.fromString("rwxr-xr-x"));
        // Line 2 is malformed: the demo must find the file to say so, and then stops at once.
        Files.createDirectories(caller.resolve("data"));
        Files.writeString(caller.resolve("data/u.data"), "1\t10\t4\t881250949\nnot a rating line\n");

        final ProcessBuilder builder = new ProcessBuilder("bash", project.resolve("demo/run.sh").toString(),
                "--dataset", "data/u.data", "--http-port", "0")
                .directory(caller.toFile()).redirectErrorStream(true);
        builder.environment().put("PATH", bin + ":" + System.getenv("PATH"));
        builder.environment().put("JAVA_TOOL_OPTIONS", "-Djava.io.tmpdir=" + caller);
        final Process script = builder.start();
        final String output = new String(script.getInputStream().readAllBytes());
        assertThat(script.waitFor(60, TimeUnit.SECONDS)).isTrue();

        assertThat(output).as(output).contains("line 2").doesNotContain("is not a readable file");
        assertThat(script.exitValue()).as(output).isEqualTo(2);
    }
}
