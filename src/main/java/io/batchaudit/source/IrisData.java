package io.batchaudit.source;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The Iris data set as shipped in deeplearning4j-core ({@code iris.dat} on the classpath: 150 lines
 * of four features and a class index 0-2). Sample id = 0-based line number.
 */
final class IrisData implements SourceData {
  private static final long serialVersionUID = 1L;
  static final String RESOURCE = "iris.dat";

  private final float[][] features;
  private final int[] classes;

  private IrisData(float[][] features, int[] classes) {
    this.features = features;
    this.classes = classes;
  }

  static IrisData load() {
    InputStream in = IrisData.class.getClassLoader().getResourceAsStream(RESOURCE);
    if (in == null) {
      throw new IllegalStateException(
          RESOURCE
              + " is not on the classpath: it ships in org.deeplearning4j:deeplearning4j-core");
    }
    List<float[]> xs = new ArrayList<>();
    List<Integer> ys = new ArrayList<>();
    try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      String line;
      int lineNo = 0;
      while ((line = r.readLine()) != null) {
        lineNo++;
        if (line.isBlank()) {
          continue;
        }
        String[] parts = line.split(",");
        if (parts.length != 5) {
          throw new IllegalStateException(
              RESOURCE
                  + " line "
                  + lineNo
                  + " has "
                  + parts.length
                  + " fields, expected 5: "
                  + line);
        }
        float[] x = new float[4];
        for (int j = 0; j < 4; j++) {
          x[j] = Float.parseFloat(parts[j]);
        }
        xs.add(x);
        ys.add(Integer.parseInt(parts[4].trim()));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + RESOURCE, e);
    }
    return new IrisData(
        xs.toArray(new float[0][]), ys.stream().mapToInt(Integer::intValue).toArray());
  }

  @Override
  public DataSpec spec() {
    return DataSpec.iris();
  }

  @Override
  public long size() {
    return features.length;
  }

  @Override
  public void example(long id, float[] x, float[] label) {
    System.arraycopy(features[(int) id], 0, x, 0, x.length);
    java.util.Arrays.fill(label, 0f);
    label[classes[(int) id]] = 1f;
  }
}
