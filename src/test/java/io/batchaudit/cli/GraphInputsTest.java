package io.batchaudit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A bad {@code graph.inputs} (issue 14, section 4) stops {@code train} before anything is written:
 * exit code 2 and one line on stderr naming the value and the fix, the output folder not created.
 */
class GraphInputsTest {
  private static final String NETWORK = "Network file jobs/iris-two-inputs.json";

  @TempDir Path tmp;

  /**
   * {@code train} of the two-input job with {@code settings}: refused as above with {@code line}.
   */
  private void refused(String line, String... settings) {
    Path out = tmp.resolve("out");
    List<String> args =
        new ArrayList<>(List.of("train", "--conf", "jobs/iris-two-inputs.conf", "--out"));
    args.add(out.toString());
    args.addAll(List.of("--set", "master=local[2]"));
    for (String s : settings) {
      args.addAll(List.of("--set", s));
    }
    CliRunner.Result r = CliRunner.run(args.toArray(String[]::new));
    assertThat(r.code()).as(r.out() + r.err()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(r.err()).isEqualTo("error: " + line + System.lineSeparator());
    assertThat(Files.exists(out)).as("output folder").isFalse();
  }

  @Test
  void aValueThatIsNotNameColonRangeIsRefused() {
    refused(
        "Invalid graph.inputs 'sepal=0-1, petal:2-3': expected name:from-to for each graph input,"
            + " comma-separated (0-based feature positions, inclusive), such as sepal:0-1,"
            + " petal:2-3",
        "graph.inputs=sepal=0-1, petal:2-3");
  }

  @Test
  void rangesThatSkipOrOverlapFeaturesAreRefused() {
    refused(
        "Invalid graph.inputs 'sepal:0-1, petal:1-3': expected consecutive feature ranges from 0,"
            + " in the graph's input order: 'petal:1-3' should start at 2 (every feature goes to"
            + " exactly one input; reorder the features with feature-columns)",
        "graph.inputs=sepal:0-1, petal:1-3");
    refused(
        "Invalid graph.inputs 'sepal:0-1, sepal:2-3': expected each graph input once ('sepal' is"
            + " repeated)",
        "graph.inputs=sepal:0-1, sepal:2-3");
  }

  @Test
  void inputsThatAreNotTheGraphsInItsOrderAreRefusedWithTheGraphsNames() {
    refused(
        "Invalid graph.inputs 'petal:0-1, sepal:2-3': "
            + NETWORK
            + " has inputs [sepal, petal]; name each of them once, in that order, such as"
            + " graph.inputs = sepal:0-1, petal:2-3",
        "graph.inputs=petal:0-1, sepal:2-3");
    refused(
        "Invalid graph.inputs 'a:0-3': "
            + NETWORK
            + " has inputs [sepal, petal]; name each of them once, in that order",
        "graph.inputs=a:0-3");
  }

  @Test
  void rangesThatDoNotCoverEveryFeatureAreRefused() {
    refused(
        "Invalid graph.inputs 'sepal:0-1, petal:2-4': the inputs take features 0-4, but data iris"
            + " has 4 features, 3 classes; every feature goes to exactly one input, so the last"
            + " range must end at 3",
        "graph.inputs=sepal:0-1, petal:2-4");
  }

  @Test
  void anInputWhoseLayerExpectsAnotherWidthIsRefused() {
    refused(
        NETWORK
            + ": layer 'sepal_dense' expects 2 inputs, but data iris has 4 features, 3 classes"
            + " (input 'sepal' takes 1 of them, graph.inputs 'sepal:0, petal:1-3')",
        "graph.inputs=sepal:0, petal:1-3");
  }

  @Test
  void aGraphWithTwoInputsAndNoMappingIsRefusedWithAnExample() {
    refused(
        NETWORK
            + " is a graph with inputs [sepal, petal]; batch-audit feeds a graph one feature array"
            + " unless graph.inputs maps the features to its inputs: set graph.inputs, such as"
            + " graph.inputs = sepal:0-1, petal:2-3 (0-based feature positions, in the graph's"
            + " input order)",
        "graph.inputs=");
  }

  @Test
  void aMappingForANetworkThatIsNoGraphIsRefused() {
    refused(
        "Invalid graph.inputs 'sepal:0-1, petal:2-3': network auto is a MultiLayerNetwork, which"
            + " has one input; graph.inputs needs network = a DL4J ComputationGraphConfiguration"
            + " JSON file with those inputs (or leave graph.inputs empty)",
        "network=auto",
        "audit.activations=");
  }
}
