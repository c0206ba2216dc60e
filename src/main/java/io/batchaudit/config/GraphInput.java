package io.batchaudit.config;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One input of a {@code ComputationGraph} with several inputs and the features it takes: the
 * positions {@code from} to {@code to} (0-based, inclusive) of the job's feature order (the order
 * of {@code feature-columns} for files, the data's own for built-in data). A value of {@link
 * Keys#GRAPH_INPUTS}.
 *
 * @param name the graph's input name
 */
public record GraphInput(String name, int from, int to) {
  private static final Pattern PART =
      Pattern.compile("([A-Za-z0-9_\\-]+)\\s*:\\s*(\\d+)(?:\\s*-\\s*(\\d+))?");

  /** Number of features the input takes. */
  public int width() {
    return to - from + 1;
  }

  /** As written in the key: {@code name:from-to}, or {@code name:from} for a single feature. */
  @Override
  public String toString() {
    return name + ":" + from + (to == from ? "" : "-" + to);
  }

  /**
   * Parses {@code name:from-to, name:from-to, ...}: distinct names, ranges consecutive from feature
   * 0 (each starts where the one before ended), so that the inputs concatenated in this order are
   * the feature row again; empty text: none.
   *
   * @throws IllegalArgumentException saying what is expected
   */
  static List<GraphInput> parseList(String text) {
    List<GraphInput> inputs = new ArrayList<>();
    if (text.isEmpty()) {
      return inputs;
    }
    int next = 0;
    for (String part : text.split(",", -1)) {
      Matcher m = PART.matcher(part.trim());
      if (!m.matches()) {
        throw new IllegalArgumentException(
            "expected name:from-to for each graph input, comma-separated (0-based feature"
                + " positions, inclusive), such as sepal:0-1, petal:2-3");
      }
      String name = m.group(1);
      int from;
      int to;
      try {
        from = Integer.parseInt(m.group(2));
        to = m.group(3) == null ? from : Integer.parseInt(m.group(3));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("expected feature positions below 2^31, such as 0-1");
      }
      if (inputs.stream().anyMatch(i -> i.name().equals(name))) {
        throw new IllegalArgumentException(
            "expected each graph input once ('" + name + "' is repeated)");
      }
      if (to < from) {
        throw new IllegalArgumentException(
            "expected from <= to in '"
                + part.trim()
                + "' (write "
                + name
                + ":"
                + to
                + "-"
                + from
                + ")");
      }
      if (from != next) {
        throw new IllegalArgumentException(
            "expected consecutive feature ranges from 0, in the graph's input order: '"
                + part.trim()
                + "' should start at "
                + next
                + " (every feature goes to exactly one input; reorder the features with"
                + " feature-columns)");
      }
      inputs.add(new GraphInput(name, from, to));
      next = to + 1;
    }
    return List.copyOf(inputs);
  }
}
