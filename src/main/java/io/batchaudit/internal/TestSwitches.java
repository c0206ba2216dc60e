package io.batchaudit.internal;

/**
 * Whether this JVM runs the project's own tests, the one condition under which test-only switches
 * (the configuration key {@code testing.fault-injection}, the store's commit probes) are honoured.
 *
 * <p>The test harness sets the system property {@value #PROPERTY} to {@code true}: Maven's surefire
 * and failsafe for the test JVMs, the tests themselves for every driver JVM they start. Nothing in
 * the project's scripts, jars or documentation sets it, so a real run that names a test-only switch
 * is refused instead of obeying it.
 */
public final class TestSwitches {
  /** The system property that marks a JVM as running the project's tests. */
  public static final String PROPERTY = "batch-audit.testing";

  private TestSwitches() {}

  /** True only in a JVM started by the project's test harness. */
  public static boolean enabled() {
    return Boolean.parseBoolean(System.getProperty(PROPERTY));
  }

  /**
   * Throws {@link IllegalArgumentException} naming {@code what} unless this JVM runs the tests.
   *
   * @param what the switch, as the user wrote it (for example {@code testing.fault-injection})
   */
  public static void requireEnabled(String what) {
    if (!enabled()) {
      throw new IllegalArgumentException(
          what
              + " is test-only: it is honoured only in the project's tests (JVM system property "
              + PROPERTY
              + "=true, set by the test harness), never in a real run; remove it from the"
              + " configuration");
    }
  }
}
