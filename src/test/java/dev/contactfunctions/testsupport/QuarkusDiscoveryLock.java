package dev.contactfunctions.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import org.junit.platform.launcher.LauncherDiscoveryListener;
import org.junit.platform.launcher.LauncherDiscoveryRequest;

/**
 * In a full run (two test JVMs side by side, see pom.xml's test-forks profile) only one JVM discovers tests at a time.
 * Discovery is where Quarkus builds the applications of the test classes, and each build rewrites
 * {@code target/test-classes/test-classes.idx} in place (truncated, then written) while the other JVM's builds read
 * it: two at once fail with "Not a jandex index". The lock is a file lock on the file named by
 * {@value #LOCK_PROPERTY}, which surefire sets for a full run only. Registered with the JUnit Platform in
 * META-INF/services.
 */
public class QuarkusDiscoveryLock implements LauncherDiscoveryListener {

    static final String LOCK_PROPERTY = "quarkus-discovery.lock";

    private FileChannel channel;
    private FileLock lock;

    @Override
    public synchronized void launcherDiscoveryStarted(LauncherDiscoveryRequest request) {
        String file = System.getProperty(LOCK_PROPERTY);
        if (file == null || lock != null) {
            return;
        }
        try {
            channel = FileChannel.open(Path.of(file), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            lock = channel.lock();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot lock " + file, e);
        }
    }

    @Override
    public synchronized void launcherDiscoveryFinished(LauncherDiscoveryRequest request) {
        if (lock == null) {
            return;
        }
        try {
            lock.release();
            channel.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            lock = null;
            channel = null;
        }
    }
}
