package io.batchaudit.bench;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.example.GroupReadSupport;

/**
 * Child-JVM probe, the baseline of the reader benchmark: reads every Parquet file of an audit
 * folder with plain parquet-java (example Group API), in no particular order, and prints {@code
 * rows seconds peakHeapBytes checksum} like {@link ReadProbe}.
 */
public final class PlainReadProbe {
  private PlainReadProbe() {}

  public static void main(String[] args) throws IOException {
    long start = System.nanoTime();
    Configuration conf = new Configuration();
    Path root = new Path(args[0]);
    FileSystem fs = root.getFileSystem(conf);
    List<Path> files = new ArrayList<>();
    RemoteIterator<LocatedFileStatus> it = fs.listFiles(root, true);
    while (it.hasNext()) {
      Path p = it.next().getPath();
      if (p.getName().endsWith(".parquet") && !p.toString().contains("/_")) {
        files.add(p);
      }
    }
    long rows = 0;
    double checksum = 0;
    for (Path p : files) {
      try (ParquetReader<Group> r =
          ParquetReader.builder(new GroupReadSupport(), p).withConf(conf).build()) {
        Group g;
        while ((g = r.read()) != null) {
          rows++;
          checksum +=
              g.getGroup("prediction", 0).getGroup("list", 0).getFloat("element", 0)
                  + g.getLong("sample_id", 0);
        }
      }
    }
    ReadProbe.report(rows, start, checksum);
  }
}
