package dev.streamrec.it.infra;

import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * Stops the shared broker and registry when the JUnit Platform launcher session ends, i.e. after
 * the last test class of the run, whether tests passed, failed or the run was aborted. Registered
 * in META-INF/services, so failsafe and IDEs pick it up without per-test wiring.
 */
public final class ItSessionListener implements LauncherSessionListener {

    @Override
    public void launcherSessionClosed(final LauncherSession session) {
        ItEnvironment.shutdown();
    }
}
