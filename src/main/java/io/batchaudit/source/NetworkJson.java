package io.batchaudit.source;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * The text of a network file the configuration names (key {@code network}: a DL4J {@code
 * MultiLayerConfiguration} or {@code ComputationGraphConfiguration} JSON file on the driver's local
 * disk, relative paths against its working directory). Reading it is this package's; what it means
 * is {@code train}'s and {@code capture}'s. Runs on the driver.
 */
public final class NetworkJson {
  private NetworkJson() {}

  /**
   * Reads the file's text.
   *
   * @throws IllegalArgumentException if there is no such file, naming the value and what the key
   *     takes
   */
  public static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException(
          "Invalid network '"
              + file
              + "': no such file (use auto, mlp-classifier, mlp-regressor"
              + " or the path of a MultiLayerConfiguration or ComputationGraphConfiguration JSON"
              + " file)");
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read network file " + file, e);
    }
  }
}
