package io.batchaudit.source;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.compress.CompressionCodec;
import org.apache.hadoop.io.compress.CompressionCodecFactory;

/**
 * Finds the line of a LibSVM input that Spark's {@code libsvm} source could not parse, so that it
 * is reported like a bad row of the other formats (row, column, value, fix) instead of as a bare
 * {@code NumberFormatException}. Spark's source says neither the file nor the line.
 *
 * <p>Runs on the driver and only after that source failed: it reads the data files one after the
 * other in path order up to the first bad line, with the rules of Spark's parser ({@code
 * MLUtils.parseLibSVMFile}): lines are trimmed, empty lines and lines starting with {@code #} are
 * not rows, items are separated by single spaces, the label and values are Java doubles, indices
 * are ints, 1-based and ascending.
 */
final class LibSvmLines {
  private LibSvmLines() {}

  /**
   * The error for the first line that Spark's parser rejects, or empty when every line parses (the
   * failure was something else) or the files cannot be read again.
   */
  static Optional<IllegalArgumentException> firstBad(Configuration conf, TableInput input) {
    long row = 0;
    try {
      CompressionCodecFactory codecs = new CompressionCodecFactory(conf);
      for (String file : input.dataFiles()) {
        Path path = new Path(file);
        FileSystem fs = path.getFileSystem(conf);
        CompressionCodec codec = codecs.getCodec(path);
        try (InputStream raw = fs.open(path);
            BufferedReader lines =
                new BufferedReader(
                    new InputStreamReader(
                        codec == null ? raw : codec.createInputStream(raw),
                        StandardCharsets.UTF_8))) {
          long fileRow = 0;
          for (String line = lines.readLine(); line != null; line = lines.readLine()) {
            String t = line.trim();
            if (t.isEmpty() || t.startsWith("#")) {
              continue;
            }
            Problem p = problem(t);
            if (p != null) {
              return Optional.of(
                  TableErrors.inRow(
                      p.problem(),
                      input.where(row, false, 0, path.toUri().toString(), fileRow),
                      p.fix()));
            }
            row++;
            fileRow++;
          }
        }
      }
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
    return Optional.empty();
  }

  /** What is wrong with a line, worded as {@link RowParser} words bad cells, and the fix. */
  record Problem(String problem, String fix) {}

  /** What is wrong with a trimmed data line, or null when Spark's parser takes it. */
  static Problem problem(String line) {
    String[] items = line.split(" ");
    if (!isDouble(items[0])) {
      return new Problem(
          "Non-numeric value '" + items[0] + "' in column '" + TableSpec.LIBSVM_LABEL + "'",
          "expected a number; fix the value");
    }
    int previous = 0;
    for (int i = 1; i < items.length; i++) {
      String item = items[i];
      if (item.isEmpty()) {
        continue;
      }
      String[] indexAndValue = item.split(":");
      int index;
      try {
        index = indexAndValue.length < 2 ? -1 : Integer.parseInt(indexAndValue[0]);
      } catch (NumberFormatException e) {
        index = -1;
      }
      if (index < 1) {
        return new Problem(
            "Malformed LibSVM entry '" + item + "'",
            "expected index:value with a 1-based integer index, for example 3:0.5; fix the line");
      }
      if (!isDouble(indexAndValue[1])) {
        return new Problem(
            "Non-numeric value '" + indexAndValue[1] + "' in column 'f" + (index - 1) + "'",
            "expected a number; fix the value");
      }
      if (index <= previous) {
        return new Problem(
            "LibSVM index " + index + " after index " + previous,
            "indices must be ascending (each feature at most once); fix the line");
      }
      previous = index;
    }
    return null;
  }

  private static boolean isDouble(String s) {
    try {
      Double.parseDouble(s);
      return true;
    } catch (NumberFormatException e) {
      return false;
    }
  }
}
