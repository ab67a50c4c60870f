package dev.contactfunctions.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** The machine a benchmark runs on, as the report states it. */
record Machine(String cpu, int cores, String memory, String jdk, String os) {

    static Machine current() {
        String cpu = lines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse("unknown CPU");
        String memory = lines(Path.of("/proc/meminfo")).stream().filter(l -> l.startsWith("MemTotal:"))
                .map(l -> Long.parseLong(l.replaceAll("\\D", "")))
                .map(kb -> String.format("%.1f GiB", kb / 1024.0 / 1024.0)).findFirst().orElse("unknown");
        String jdk = System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version");
        String os = System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                + System.getProperty("os.arch") + osRelease().map(r -> " (" + r + ")").orElse("");
        return new Machine(cpu, Runtime.getRuntime().availableProcessors(), memory, jdk, os);
    }

    /** The 1, 5 and 15 minute load averages, e.g. {@code 3.91 / 4.20 / 5.02}. */
    static String loadAverage() {
        List<String> load = lines(Path.of("/proc/loadavg"));
        if (load.isEmpty()) {
            return "unknown";
        }
        String[] parts = load.get(0).split("\\s+");
        return parts[0] + " / " + parts[1] + " / " + parts[2];
    }

    private static Optional<String> osRelease() {
        return lines(Path.of("/etc/os-release")).stream().filter(l -> l.startsWith("PRETTY_NAME="))
                .map(l -> l.substring("PRETTY_NAME=".length()).replace("\"", "")).findFirst();
    }

    private static List<String> lines(Path file) {
        try {
            return Files.readAllLines(file);
        } catch (IOException e) {
            return List.of();
        }
    }
}
