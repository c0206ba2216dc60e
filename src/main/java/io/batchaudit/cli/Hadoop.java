package io.batchaudit.cli;

import io.batchaudit.store.hadoop.HadoopSettings;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.SparkConf;

/**
 * The one place the commands get their Hadoop settings ({@link HadoopSettings}: {@code
 * HADOOP_CONF_DIR}'s files and {@code spark.hadoop.*} properties): a Hadoop {@link Configuration}
 * for the commands that read or write the store themselves, and the same settings on the {@link
 * SparkConf} of every Spark a command starts. Driver side; read anew at every call.
 */
final class Hadoop {
  private Hadoop() {}

  /** A Hadoop configuration with this process's settings. */
  static Configuration configuration() {
    return HadoopSettings.fromEnvironment().configuration();
  }

  /**
   * Adds this process's Hadoop settings to {@code conf} as {@code spark.hadoop.*} properties, each
   * one unless {@code conf} sets it already; returns {@code conf}.
   */
  static SparkConf apply(SparkConf conf) {
    HadoopSettings.fromEnvironment().sparkProperties().forEach(conf::setIfMissing);
    return conf;
  }
}
