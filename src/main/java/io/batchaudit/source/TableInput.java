package io.batchaudit.source;

import io.batchaudit.config.Keys;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;

/**
 * Where a file input is: the {@code data} value as given, whether it names one file, and the folder
 * its files are shown relative to in messages. Driver side.
 *
 * @param uri the {@code data} value as given
 * @param singleFile whether {@code uri} is one file (not a folder or a glob)
 * @param root the decoded path that files are shown relative to, or null to show full paths
 * @param dataBytes bytes in the data files (names not starting with {@code _} or {@code .})
 * @param dataFiles the data files that hold bytes, as fully qualified Hadoop path strings, in path
 *     order (the order of {@link RowNumbering})
 */
record TableInput(
    String uri, boolean singleFile, String root, long dataBytes, List<String> dataFiles) {
  TableInput {
    dataFiles = List.copyOf(dataFiles);
  }

  /**
   * Finds the files of {@code uri} (a file, a folder read recursively as Spark does, or a glob).
   *
   * @throws IllegalArgumentException when nothing is there
   */
  static TableInput locate(Configuration conf, String uri) {
    Path path = new Path(uri);
    FileStatus[] matches;
    FileSystem fs;
    try {
      fs = path.getFileSystem(conf);
      matches = fs.globStatus(path);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "Cannot open " + Keys.DATA.name() + " '" + uri + "': " + e.getMessage(), e);
    }
    if (matches == null || matches.length == 0) {
      throw new IllegalArgumentException(
          "Cannot find "
              + Keys.DATA.name()
              + " '"
              + uri
              + "': no such file or folder; check the path (a local path or a Hadoop URI such as"
              + " file:/data/train.csv or hdfs://namenode/data/train/)");
    }
    long bytes = 0;
    List<Path> found = new ArrayList<>();
    try {
      for (FileStatus m : matches) {
        if (m.isFile()) {
          bytes += m.getLen();
          if (m.getLen() > 0) {
            found.add(fs.makeQualified(m.getPath()));
          }
        } else {
          String top = m.getPath().toUri().getPath();
          RemoteIterator<LocatedFileStatus> files = fs.listFiles(m.getPath(), true);
          while (files.hasNext()) {
            LocatedFileStatus f = files.next();
            String name = f.getPath().toUri().getPath();
            if (!hidden(name.startsWith(top) ? name.substring(top.length()) : name)) {
              bytes += f.getLen();
              if (f.getLen() > 0) {
                found.add(fs.makeQualified(f.getPath()));
              }
            }
          }
        }
      }
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "Cannot list " + Keys.DATA.name() + " '" + uri + "': " + e.getMessage(), e);
    }
    boolean single = matches.length == 1 && matches[0].isFile();
    String root =
        matches.length == 1 && !single
            ? fs.makeQualified(matches[0].getPath()).toUri().getPath()
            : null;
    // as RowNumbering orders them: by URL-encoded path, which Spark's _metadata.file_path is
    found.sort(Comparator.comparing(f -> f.toUri().toString()));
    return new TableInput(uri, single, root, bytes, found.stream().map(Path::toString).toList());
  }

  /** Spark skips files and folders whose names start with _ or . (unless they hold a =). */
  private static boolean hidden(String relative) {
    for (String part : relative.split("/")) {
      if ((part.startsWith("_") || part.startsWith(".")) && !part.contains("=")) {
        return true;
      }
    }
    return false;
  }

  /**
   * Where a row is, for messages: {@code row 7 (id 107) of /data/train.csv}, or for a folder {@code
   * row 7 of /data/train (file part-1.csv, its row 2)}.
   *
   * @param file the file's path as Spark's {@code _metadata.file_path} gives it (URL-encoded)
   */
  String where(long row, boolean hasId, long id, String file, long fileRow) {
    String at = "row " + row + (hasId ? " (id " + id + ")" : "") + " of " + uri;
    return singleFile ? at : at + " (file " + display(file) + ", its row " + fileRow + ")";
  }

  /** A file relative to the folder that was named, or its full path. */
  String display(String file) {
    String path;
    try {
      path = URI.create(file).getPath();
    } catch (IllegalArgumentException e) {
      return file;
    }
    if (path == null) {
      return file;
    }
    if (root != null) {
      String prefix = root.endsWith("/") ? root : root + "/";
      if (path.startsWith(prefix)) {
        return path.substring(prefix.length());
      }
    }
    return path;
  }
}
