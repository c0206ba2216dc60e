package io.batchaudit.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.batchaudit.internal.TestSwitches;
import org.junit.jupiter.api.Test;

/**
 * A key's declaration is checked when it is built, its value when it is parsed; the job's keys come
 * in declaration order, and the test-only key is refused outside the tests.
 */
class ConfigEntryTest {
  @Test
  void aDeclarationWhoseDefaultFailsItsOwnCheckIsRefused() {
    KeyRegistry keys = new KeyRegistry();
    assertThatThrownBy(
            () ->
                keys.intKey("size")
                    .doc("A size.")
                    .defaultValue(0)
                    .check(n -> n >= 1, "a whole number >= 1")
                    .build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("The default of key size is invalid")
        .hasRootCauseMessage("Invalid size '0': expected a whole number >= 1");
    assertThat(keys.all()).isEmpty();
  }

  @Test
  void aDefaultThatDoesNotReadBackAsItselfIsRefused() {
    KeyRegistry keys = new KeyRegistry();
    assertThatThrownBy(
            () ->
                keys.key("sizes", text -> java.util.List.of(text.split(",")))
                    .doc("Sizes.")
                    .defaultValue(java.util.List.of("1", "2"))
                    .build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("The default of key sizes reads back as [[1,  2]], not [1, 2]");
  }

  @Test
  void aNameDeclaredTwiceOrWithoutDocIsRefused() {
    KeyRegistry keys = new KeyRegistry();
    keys.stringKey("name").doc("A name.").defaultValue("x").build();
    assertThatThrownBy(() -> keys.stringKey("name").doc("Again.").defaultValue("y").build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("Key name is declared twice");
    assertThatThrownBy(() -> keys.stringKey("other").defaultValue("y").build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("Key other needs a doc and a default");
    assertThat(keys.all()).extracting(ConfigEntry::name).containsExactly("name");
  }

  @Test
  void parseTrimsAndWordsEachFailureWithTheKeyTheTextAndWhatIsAllowed() {
    KeyRegistry keys = new KeyRegistry();
    ConfigEntry<Integer> n =
        keys.intKey("n").doc("N.").defaultValue(3).check(v -> v <= 9, "at most 9").build();
    ConfigEntry<String> mode =
        keys.choiceKey("mode", "fast", "slow")
            .doc("Mode.")
            .defaultValue("fast")
            .expected("fast or slow")
            .build();
    assertThat(n.parse(" 7 ")).isEqualTo(7);
    assertThatThrownBy(() -> n.parse("seven")).hasMessage("Invalid n 'seven': expected a number");
    assertThatThrownBy(() -> n.parse("10")).hasMessage("Invalid n '10': expected at most 9");
    assertThat(mode.parse("SLOW")).isEqualTo("slow");
    assertThatThrownBy(() -> mode.parse("medium"))
        .hasMessage("Invalid mode 'medium': expected fast or slow");
  }

  @Test
  void interpretReportsAFailureOfAnotherPackagesMeaningAsOneOfTheKey() {
    JobConfig c = JobConfig.builder().set(Keys.DATA, "somewhere").build();
    assertThatThrownBy(
            () ->
                Keys.DATA.interpret(
                    c,
                    d -> {
                      throw new IllegalArgumentException("no such data");
                    }))
        .hasMessage("Invalid data 'somewhere': no such data");
    // a message naming its own key goes through as it is
    assertThatThrownBy(
            () ->
                Keys.DATA.interpret(
                    c,
                    d -> {
                      throw new IllegalArgumentException("Invalid format 'x': expected csv");
                    }))
        .hasMessage("Invalid format 'x': expected csv");
    assertThat(Keys.DATA.interpret(c, String::length)).isEqualTo(9);
  }

  @Test
  void theJobsKeysAreListedInDeclarationOrderAndAnUnknownNameListsThem() {
    assertThat(Keys.all())
        .extracting(ConfigEntry::name)
        .startsWith("master", "out", "data", "validation-data", "format")
        .endsWith("audit.compaction.grace", "audit.commit-protocol", "testing.fault-injection")
        .doesNotHaveDuplicates();
    assertThat(Keys.named("epochs")).isSameAs(Keys.EPOCHS);
    assertThatThrownBy(() -> Keys.named("epoch"))
        .hasMessageStartingWith(
            "Unknown configuration key 'epoch'. Known keys: master, out, data, validation-data,")
        .hasMessageEndingWith(
            "audit.compaction.grace, audit.commit-protocol, testing.fault-injection");
    assertThat(Keys.all())
        .filteredOn(ConfigEntry::testOnly)
        .containsExactly(Keys.TESTING_FAULT_INJECTION);
  }

  @Test
  void theTestOnlyKeyIsRefusedOutsideTheTestsAndAcceptedInThem() {
    String before = System.getProperty(TestSwitches.PROPERTY);
    System.clearProperty(TestSwitches.PROPERTY);
    try {
      assertThatThrownBy(
              () -> JobConfig.builder().set("testing.fault-injection", "throw:epoch=0").build())
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage(
              "Key testing.fault-injection (here 'throw:epoch=0', from a --conf file, --set or"
                  + " spark.batchaudit.testing.fault-injection) is test-only: it is honoured only"
                  + " in the project's tests (JVM system property batch-audit.testing=true, set by"
                  + " the test harness), never in a real run; remove it from the configuration");
      // without a value it is no switch, and every run records it so
      assertThat(JobConfig.builder().build().values()).containsEntry("testing.fault-injection", "");
    } finally {
      System.setProperty(TestSwitches.PROPERTY, before);
    }
    assertThat(
            JobConfig.builder()
                .set("testing.fault-injection", "throw:epoch=0")
                .build()
                .get(Keys.TESTING_FAULT_INJECTION))
        .isEqualTo("throw:epoch=0");
  }
}
