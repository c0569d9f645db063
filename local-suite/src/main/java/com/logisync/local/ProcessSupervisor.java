package com.logisync.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Starts the suite's processes detached (they outlive the launcher), remembers them in pid files,
 * and stops them. Every process carries {@code -Dlogisync-suite.home=<home>} on its command line, so a
 * process left behind by a crash is still recognised as ours and cleaned up.
 */
final class ProcessSupervisor {

    private final Path home;
    private final Path runDir;
    private final Path logDir;

    ProcessSupervisor(Path home) {
        this.home = home.toAbsolutePath();
        this.runDir = this.home.resolve("run");
        this.logDir = this.home.resolve("logs");
        try {
            Files.createDirectories(runDir);
            Files.createDirectories(logDir);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    String homeMarker() {
        return "-Dlogisync-suite.home=" + home;
    }

    Path log(String name) {
        return logDir.resolve(name + ".log");
    }

    /** The live process of this component, if it runs. A stale pid file is removed. */
    Optional<ProcessHandle> running(String name) {
        Path pidFile = runDir.resolve(name + ".pid");
        if (!Files.exists(pidFile)) {
            return Optional.empty();
        }
        try {
            long pid = Long.parseLong(Files.readString(pidFile).trim());
            Optional<ProcessHandle> p = ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                    .filter(h -> h.info().commandLine().map(c -> c.contains(homeMarker())).orElse(false)); // a zombie has no command line
            if (p.isEmpty()) {
                Files.deleteIfExists(pidFile);
            }
            return p;
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    ProcessHandle start(String name, List<String> command) {
        try {
            Files.createDirectories(runDir);
            Files.createDirectories(logDir);
            ProcessBuilder pb = new ProcessBuilder(command)
                    .directory(home.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log(name).toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            Process p = pb.start();
            Files.writeString(runDir.resolve(name + ".pid"), Long.toString(p.pid()));
            return p.toHandle();
        } catch (IOException e) {
            throw new IllegalStateException("Could not start " + name + ": " + e.getMessage(), e);
        }
    }

    /** Stops the component gracefully (SIGTERM), forcibly after the grace period. */
    boolean stop(String name, Duration grace) {
        Optional<ProcessHandle> p = running(name);
        p.ifPresent(h -> terminate(h, grace));
        try {
            Files.deleteIfExists(runDir.resolve(name + ".pid"));
        } catch (IOException ignored) {
            // nothing left to clean
        }
        return p.isPresent();
    }

    /** Every process of this suite still alive (found by the home marker or a path under home), e.g. after a crash. */
    List<ProcessHandle> leftovers() {
        String homePath = home.toString();
        return ProcessHandle.allProcesses()
                .filter(h -> h.pid() != ProcessHandle.current().pid())
                .filter(h -> h.info().commandLine().map(c -> c.contains(homeMarker()) || c.contains(homePath))
                        .orElse(false))
                .toList();
    }

    static void terminate(ProcessHandle h, Duration grace) {
        List<ProcessHandle> children = h.descendants().toList();
        h.destroy();
        try {
            h.onExit().get(grace.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            h.destroyForcibly();
        }
        for (ProcessHandle c : children) {
            if (c.isAlive()) {
                c.destroy();
            }
        }
    }
}
