package io.batchaudit.store.hadoop;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.hadoop.conf.Configuration;

/**
 * The Hadoop settings of a command (the S3A endpoint and credentials, HDFS client settings, ...),
 * gathered the ways Spark users pass them. In increasing precedence:
 *
 * <ol>
 *   <li>Hadoop's defaults, and a {@code core-site.xml} on the classpath (as {@code new
 *       Configuration()} reads them);
 *   <li>the files {@code core-site.xml} and {@code hdfs-site.xml} of the folder {@code
 *       HADOOP_CONF_DIR} names, when set ({@code spark-submit} also puts that folder on the
 *       driver's classpath; the launcher {@code jobs/batch-audit} does not, so they are read here);
 *   <li>{@code spark.hadoop.<key>} properties, the prefix removed: Spark properties, which {@code
 *       spark-submit --conf} and {@code jobs/batch-audit --conf} pass as JVM system properties.
 * </ol>
 *
 * <p>Every command of the command line takes its Hadoop {@link Configuration} from here, and every
 * Spark it starts gets {@link #sparkProperties()}, from which Spark builds its own Hadoop
 * configuration, on the driver and on the executors. Runs on the driver; immutable. The files are
 * read once, when the settings are made, so that a malformed file is reported before anything is
 * written.
 */
public final class HadoopSettings {
  /** The environment variable naming the folder of Hadoop's configuration files. */
  public static final String CONF_DIR = "HADOOP_CONF_DIR";

  /** The prefix of the Spark properties that are Hadoop settings. */
  public static final String SPARK_PREFIX = "spark.hadoop.";

  /** The files of {@link #CONF_DIR} that are read, in this order (a later one wins). */
  public static final List<String> FILES = List.of("core-site.xml", "hdfs-site.xml");

  private final Map<String, String> fromFiles;
  private final Map<String, String> fromSpark;

  private HadoopSettings(Map<String, String> fromFiles, Map<String, String> fromSpark) {
    this.fromFiles = Collections.unmodifiableMap(fromFiles);
    this.fromSpark = Collections.unmodifiableMap(fromSpark);
  }

  /**
   * The settings of this process: {@code HADOOP_CONF_DIR} from the environment and the {@code
   * spark.hadoop.*} JVM system properties.
   *
   * @throws IllegalArgumentException when {@code HADOOP_CONF_DIR} is not a folder or holds a file
   *     Hadoop cannot read
   */
  public static HadoopSettings fromEnvironment() {
    Map<String, String> props = new LinkedHashMap<>();
    Properties system = System.getProperties();
    for (String name : system.stringPropertyNames()) {
      props.put(name, system.getProperty(name));
    }
    return of(System.getenv(CONF_DIR), props);
  }

  /**
   * The settings of a configuration folder and Spark properties.
   *
   * @param confDir the folder of {@code core-site.xml} and {@code hdfs-site.xml}; {@code null} or
   *     empty for none
   * @param sparkProperties Spark properties; only the {@code spark.hadoop.*} ones are used
   * @throws IllegalArgumentException when {@code confDir} is not a folder or holds a file Hadoop
   *     cannot read
   */
  public static HadoopSettings of(String confDir, Map<String, String> sparkProperties) {
    Map<String, String> files = new LinkedHashMap<>();
    if (confDir != null && !confDir.isEmpty()) {
      Path dir = Path.of(confDir);
      if (!Files.isDirectory(dir)) {
        throw new IllegalArgumentException(
            CONF_DIR
                + "="
                + confDir
                + " is not a folder: point it to the folder that holds core-site.xml, or unset it");
      }
      for (String name : FILES) {
        Path file = dir.resolve(name);
        if (Files.isRegularFile(file)) {
          files.putAll(read(file));
        }
      }
    }
    Map<String, String> spark = new LinkedHashMap<>();
    sparkProperties.entrySet().stream()
        .filter(
            e -> e.getKey().startsWith(SPARK_PREFIX) && e.getKey().length() > SPARK_PREFIX.length())
        .sorted(Map.Entry.comparingByKey())
        .forEach(e -> spark.put(e.getKey().substring(SPARK_PREFIX.length()), e.getValue()));
    return new HadoopSettings(files, spark);
  }

  private static Map<String, String> read(Path file) {
    Configuration c = new Configuration(false);
    Map<String, String> values = new LinkedHashMap<>();
    try {
      c.addResource(file.toUri().toURL());
      for (Map.Entry<String, String> e : c) { // reads the file
        values.put(e.getKey(), e.getValue());
      }
    } catch (IOException | RuntimeException e) { // Hadoop reports a malformed file unchecked
      throw new IllegalArgumentException(
          "Cannot read "
              + file
              + " (from "
              + CONF_DIR
              + "): "
              + rootMessage(e)
              + "; fix the file or unset "
              + CONF_DIR,
          e);
    }
    return values;
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t.getMessage();
  }

  /** A new Hadoop configuration: defaults, then the folder's files, then the Spark properties. */
  public Configuration configuration() {
    Configuration conf = new Configuration();
    fromFiles.forEach(conf::set);
    fromSpark.forEach(conf::set);
    return conf;
  }

  /**
   * These settings as {@code spark.hadoop.<key>} Spark properties (the Spark properties winning
   * over the folder's files), for a {@code SparkConf}: set each one that is missing, so that a
   * property set on the {@code SparkConf} itself still wins.
   */
  public Map<String, String> sparkProperties() {
    Map<String, String> all = new LinkedHashMap<>();
    fromFiles.forEach((k, v) -> all.put(SPARK_PREFIX + k, v));
    fromSpark.forEach((k, v) -> all.put(SPARK_PREFIX + k, v));
    return Collections.unmodifiableMap(all);
  }
}
