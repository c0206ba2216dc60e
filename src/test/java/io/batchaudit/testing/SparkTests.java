package io.batchaudit.testing;

import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

/** The Spark context of a test class: {@code local[2]}, no UI. One per class, stopped after it. */
public final class SparkTests {
  private SparkTests() {}

  public static JavaSparkContext localContext(String name) {
    return localContext(name, "local[2]");
  }

  public static JavaSparkContext localContext(String name, String master) {
    SparkConf conf =
        new SparkConf()
            .setMaster(master)
            .setAppName(name)
            .set("spark.ui.enabled", "false")
            .set("spark.ui.showConsoleProgress", "false")
            .set("spark.driver.host", "127.0.0.1")
            .set("spark.driver.bindAddress", "127.0.0.1");
    return new JavaSparkContext(conf);
  }
}
