package io.batchaudit.capture;

import io.batchaudit.store.hadoop.SerializableConfiguration;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.broadcast.Broadcast;
import org.deeplearning4j.datasets.iterator.IteratorDataSetIterator;
import org.deeplearning4j.datasets.iterator.IteratorMultiDataSetIterator;
import org.deeplearning4j.spark.api.worker.ExecuteWorkerFlatMap;
import org.deeplearning4j.spark.api.worker.ExecuteWorkerMultiDataSetFlatMap;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingResult;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingWorker;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.MultiDataSet;

/**
 * DL4J's {@code RDDTrainingApproach.Export}, with the sample ids carried through every split and
 * merge: the export step ({@link Export}) and the worker side ({@link Train}) of {@link
 * AuditingTrainingMaster}'s Export rounds.
 *
 * <p>DL4J 1.0.0-M2 exports an epoch's {@code RDD<DataSet>} once ({@code
 * BatchAndExportDataSetsFunction}): each partition's examples, in order, are merged into
 * minibatches of {@code batch-size} examples (the partition's last one smaller) and each is saved
 * to its own file {@code <base>/data/dataset_<partition><jvm uid>_<n>.bin} ({@code mds_...} for a
 * graph's {@code MultiDataSet}s); the file paths are saved as text in {@code <base>/paths/}. Every
 * round trains on a random split of those paths; a worker loads its files and DL4J's {@code
 * IteratorDataSetIterator} cuts the examples, in file order, into minibatches of {@code
 * batch-size}: a file of fewer examples (a partition's last) is topped up with the head of the next
 * file ({@code getRange}, then {@code DataSet.merge}), and both operations drop the example
 * metadata that holds the sample ids.
 *
 * <p>Here the files and the minibatches are DL4J's, made by the same merges and the same iterators;
 * the ids are carried explicitly beside them:
 *
 * <ul>
 *   <li>in the file: a {@code DataSet} file is DL4J's own format, which saves the example metadata
 *       (the ids, {@code Long}s) after the arrays, exactly as DL4J's own export of these examples
 *       writes it; a {@code MultiDataSet} file is DL4J's format (which has no metadata) followed by
 *       a trailer: the ids (8 bytes each, big-endian), their count (4 bytes) and the magic {@code
 *       BAID} (4 bytes). DL4J's own loaders read both files and ignore what follows the arrays.
 *   <li>on the worker: DL4J's iterator re-batches the loaded files and takes examples strictly in
 *       order, so a minibatch of {@code n} examples holds the next {@code n} ids of the files it
 *       loaded; they are set on the minibatch before DL4J's worker sees it, which then passes it
 *       through unchanged (it is exactly {@code batch-size}, or the last).
 * </ul>
 *
 * <p>Files are written with the job's Hadoop settings on any Hadoop file system, each in one {@code
 * create} (overwriting: a retried or speculative export task rewrites the same bytes under the same
 * name). A failed write fails the task (DL4J's own {@code DataSet.save} logs and swallows it).
 */
final class ExportedMinibatches {
  private ExportedMinibatches() {}

  /** The magic that ends a MultiDataSet file's id trailer: "BAID". */
  static final int TRAILER_MAGIC = 0x42414944;

  /**
   * A minibatch file's content: the DL4J object and the sample ids of its examples, in order.
   *
   * @param ids one per example
   */
  record Loaded<T>(T minibatch, long[] ids) {}

  /**
   * One kind of DL4J data (a {@code DataSet} for a MultiLayerNetwork, a {@code MultiDataSet} for a
   * ComputationGraph): how it is counted, merged, stored with its ids, re-batched and trained.
   * Stateless; serialized into the export and training tasks.
   */
  sealed interface Kind<T> extends Serializable permits DataSets, MultiDataSets {
    /** DL4J's file name prefix of this kind ({@code dataset_}, {@code mds_}). */
    String prefix();

    int examples(T minibatch);

    /** The sample ids of {@code example} (a single example), from its metadata. */
    List<java.io.Serializable> metadata(T example);

    /** DL4J's merge of this kind, as its export calls it. */
    T merge(List<T> parts);

    void write(T minibatch, long[] ids, OutputStream out) throws IOException;

    Loaded<T> read(byte[] file, String path) throws IOException;

    void setIds(T minibatch, long[] ids);

    /** DL4J's own re-batching iterator of this kind, over {@code loaded}. */
    Iterator<T> rebatch(Iterator<T> loaded, int batchSize);

    /** DL4J's worker function of this kind, given minibatches of the configured size. */
    Iterator<ParameterAveragingTrainingResult> train(
        ParameterAveragingTrainingWorker worker, Iterator<T> minibatches) throws Exception;
  }

  /** The DataSets of a MultiLayerNetwork: DL4J's own file format, ids in its example metadata. */
  enum DataSets implements Kind<DataSet> {
    INSTANCE;

    @Override
    public String prefix() {
      return "dataset_";
    }

    @Override
    public int examples(DataSet d) {
      return d.numExamples();
    }

    @Override
    public List<Serializable> metadata(DataSet d) {
      return d.getExampleMetaData();
    }

    @Override
    public DataSet merge(List<DataSet> parts) {
      return DataSet.merge(parts);
    }

    @Override
    public void write(DataSet d, long[] ids, OutputStream out) {
      d.setExampleMetaData(boxed(ids));
      d.save(out);
    }

    @Override
    public Loaded<DataSet> read(byte[] file, String path) {
      DataSet d = new DataSet();
      // DL4J's load logs and swallows a read error; the checks below catch what it leaves
      d.load(new ByteArrayInputStream(file));
      if (d.getFeatures() == null) {
        throw new IllegalStateException("Exported minibatch " + path + " holds no features");
      }
      return new Loaded<>(d, ids(d.getExampleMetaData(), d.numExamples(), path));
    }

    @Override
    public void setIds(DataSet d, long[] ids) {
      d.setExampleMetaData(boxed(ids));
    }

    @Override
    public Iterator<DataSet> rebatch(Iterator<DataSet> loaded, int batchSize) {
      return new IteratorDataSetIterator(loaded, batchSize);
    }

    @Override
    public Iterator<ParameterAveragingTrainingResult> train(
        ParameterAveragingTrainingWorker worker, Iterator<DataSet> minibatches) throws Exception {
      return new ExecuteWorkerFlatMap<>(worker).call(minibatches);
    }
  }

  /** The MultiDataSets of a ComputationGraph: DL4J's file format plus the id trailer. */
  enum MultiDataSets implements Kind<MultiDataSet> {
    INSTANCE;

    @Override
    public String prefix() {
      return "mds_";
    }

    @Override
    public int examples(MultiDataSet d) {
      return (int) d.getFeatures(0).size(0);
    }

    @Override
    public List<Serializable> metadata(MultiDataSet d) {
      return d.getExampleMetaData();
    }

    @Override
    public MultiDataSet merge(List<MultiDataSet> parts) {
      return org.nd4j.linalg.dataset.MultiDataSet.merge(parts);
    }

    @Override
    public void write(MultiDataSet d, long[] ids, OutputStream out) throws IOException {
      ByteArrayOutputStream arrays = new ByteArrayOutputStream();
      d.save(arrays);
      DataOutputStream data = new DataOutputStream(out);
      arrays.writeTo(data);
      for (long id : ids) {
        data.writeLong(id);
      }
      data.writeInt(ids.length);
      data.writeInt(TRAILER_MAGIC);
      data.flush();
    }

    @Override
    public Loaded<MultiDataSet> read(byte[] file, String path) throws IOException {
      ByteBuffer b = ByteBuffer.wrap(file);
      if (file.length < 8 || b.getInt(file.length - 4) != TRAILER_MAGIC) {
        throw new IllegalStateException(
            "Exported minibatch "
                + path
                + " has no sample-id trailer (not written by batch-audit)");
      }
      int n = b.getInt(file.length - 8);
      int arraysLength = file.length - 8 - 8 * n;
      if (n < 0 || arraysLength < 0) {
        throw new IllegalStateException(
            "Exported minibatch " + path + ": a trailer of " + n + " ids does not fit the file");
      }
      long[] ids = new long[n];
      for (int i = 0; i < n; i++) {
        ids[i] = b.getLong(arraysLength + 8 * i);
      }
      org.nd4j.linalg.dataset.MultiDataSet d = new org.nd4j.linalg.dataset.MultiDataSet();
      d.load(new ByteArrayInputStream(file, 0, arraysLength));
      if (examples(d) != n) {
        throw new IllegalStateException(
            "Exported minibatch " + path + " holds " + examples(d) + " examples and " + n + " ids");
      }
      return new Loaded<>(d, ids);
    }

    @Override
    public void setIds(MultiDataSet d, long[] ids) {
      d.setExampleMetaData(boxed(ids));
    }

    @Override
    public Iterator<MultiDataSet> rebatch(Iterator<MultiDataSet> loaded, int batchSize) {
      return new IteratorMultiDataSetIterator(loaded, batchSize);
    }

    @Override
    public Iterator<ParameterAveragingTrainingResult> train(
        ParameterAveragingTrainingWorker worker, Iterator<MultiDataSet> minibatches)
        throws Exception {
      return new ExecuteWorkerMultiDataSetFlatMap<>(worker).call(minibatches);
    }
  }

  /**
   * The export step: one task per partition of the training data writes its minibatch files and
   * returns their paths, in order. Runs on the executors; serialized into the export tasks.
   *
   * <p>DL4J's batching for single-example inputs (the only ones this project feeds): with {@code
   * batch-size} 1 every example is its own file, unmerged; otherwise consecutive examples are
   * merged, {@code batch-size} at a time, the partition's rest into one last, smaller file. The
   * file name is DL4J's, from the partition, the driver JVM's id and the file's position, so that a
   * retried task writes the same names.
   */
  static final class Export<T> implements Function2<Integer, Iterator<T>, Iterator<String>> {
    private static final long serialVersionUID = 1L;
    private final Kind<T> kind;
    private final int batchSize;
    private final String dataDir;
    private final String jvmUid;
    private final Broadcast<SerializableConfiguration> hadoop;

    Export(
        Kind<T> kind,
        int batchSize,
        String dataDir,
        String jvmUid,
        Broadcast<SerializableConfiguration> hadoop) {
      this.kind = kind;
      this.batchSize = batchSize;
      this.dataDir = dataDir.endsWith("/") ? dataDir : dataDir + "/";
      this.jvmUid = jvmUid;
      this.hadoop = hadoop;
    }

    @Override
    public Iterator<String> call(Integer partition, Iterator<T> examples) throws Exception {
      List<String> paths = new ArrayList<>();
      List<T> parts = new ArrayList<>(batchSize);
      List<Serializable> ids = new ArrayList<>(batchSize);
      while (examples.hasNext()) {
        T example = examples.next();
        int n = kind.examples(example);
        List<Serializable> meta = kind.metadata(example);
        if (n != 1 || meta == null || meta.size() != 1) {
          throw new IllegalStateException(
              "Export expects single-example inputs with their sample id as example metadata;"
                  + " partition "
                  + partition
                  + " holds one of "
                  + n
                  + " examples with metadata "
                  + meta);
        }
        if (batchSize == 1) {
          paths.add(write(example, List.of(meta.get(0)), partition, paths.size()));
          continue;
        }
        parts.add(example);
        ids.add(meta.get(0));
        if (parts.size() == batchSize) {
          paths.add(write(kind.merge(parts), ids, partition, paths.size()));
          parts = new ArrayList<>(batchSize);
          ids = new ArrayList<>(batchSize);
        }
      }
      if (!parts.isEmpty()) {
        paths.add(write(kind.merge(parts), ids, partition, paths.size()));
      }
      return paths.iterator();
    }

    private String write(T minibatch, List<Serializable> meta, int partition, int n)
        throws IOException {
      Path path = new Path(dataDir + kind.prefix() + partition + jvmUid + "_" + n + ".bin");
      long[] ids = ids(meta, meta.size(), path.toString());
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      kind.write(minibatch, ids, bytes);
      FileSystem fs = path.getFileSystem(hadoop.value().get());
      try (OutputStream out = fs.create(path, true)) {
        bytes.writeTo(out);
      }
      return path.toString();
    }
  }

  /**
   * The worker side of one Export round: loads the task's minibatch files (at most as many as
   * DL4J's {@code ExecuteWorkerPathFlatMap} would), re-batches them with DL4J's iterator, sets the
   * sample ids on each minibatch, and trains with DL4J's worker function. Runs on the executors,
   * one instance per task; the files are read with the job's Hadoop settings.
   */
  static final class Train<T>
      implements FlatMapFunction<Iterator<String>, ParameterAveragingTrainingResult> {
    private static final long serialVersionUID = 1L;
    private final Kind<T> kind;
    private final ParameterAveragingTrainingWorker worker;
    private final int batchSize;
    private final int maxFiles;
    private final Broadcast<SerializableConfiguration> hadoop;

    Train(
        Kind<T> kind,
        ParameterAveragingTrainingWorker worker,
        int batchSize,
        int maxFiles,
        Broadcast<SerializableConfiguration> hadoop) {
      this.kind = kind;
      this.worker = worker;
      this.batchSize = batchSize;
      this.maxFiles = maxFiles;
      this.hadoop = hadoop;
    }

    @Override
    public Iterator<ParameterAveragingTrainingResult> call(Iterator<String> paths)
        throws Exception {
      List<String> files = new ArrayList<>();
      while (paths.hasNext() && files.size() < maxFiles) {
        files.add(paths.next());
      }
      ArrayDeque<Long> pending = new ArrayDeque<>();
      Iterator<String> each = files.iterator();
      Iterator<T> loaded =
          new Iterator<>() {
            @Override
            public boolean hasNext() {
              return each.hasNext();
            }

            @Override
            public T next() {
              Loaded<T> file = load(each.next());
              for (long id : file.ids()) {
                pending.add(id);
              }
              return file.minibatch();
            }
          };
      Iterator<T> rebatched = kind.rebatch(loaded, batchSize);
      Iterator<T> withIds =
          new Iterator<>() {
            @Override
            public boolean hasNext() {
              return rebatched.hasNext();
            }

            @Override
            public T next() {
              T minibatch = rebatched.next();
              long[] ids = new long[kind.examples(minibatch)];
              for (int i = 0; i < ids.length; i++) {
                Long id = pending.poll();
                if (id == null) {
                  throw new IllegalStateException(
                      "A minibatch of " + ids.length + " examples outran the ids of " + files);
                }
                ids[i] = id;
              }
              kind.setIds(minibatch, ids);
              return minibatch;
            }
          };
      return kind.train(worker, withIds);
    }

    private Loaded<T> load(String file) {
      Path path = new Path(file);
      try {
        FileSystem fs = path.getFileSystem(hadoop.value().get());
        byte[] bytes;
        try (InputStream in = fs.open(path)) {
          bytes = in.readAllBytes();
        }
        return kind.read(bytes, file);
      } catch (IOException e) {
        throw new UncheckedIOException(
            "Cannot read exported minibatch " + file + ": " + e.getMessage(), e);
      }
    }
  }

  static ArrayList<Serializable> boxed(long[] ids) {
    ArrayList<Serializable> list = new ArrayList<>(ids.length);
    for (long id : ids) {
      list.add(id);
    }
    return list;
  }

  /** The ids in {@code meta}, one per example, or an error naming {@code where}. */
  static long[] ids(List<Serializable> meta, int examples, String where) {
    if (meta == null || meta.size() != examples) {
      throw new IllegalStateException(
          where
              + " carries "
              + (meta == null ? "no" : String.valueOf(meta.size()))
              + " sample ids for "
              + examples
              + " examples");
    }
    long[] ids = new long[examples];
    for (int i = 0; i < examples; i++) {
      if (!(meta.get(i) instanceof Number n)) {
        throw new IllegalStateException(
            where + ": example metadata " + meta.get(i) + " is not a numeric sample id");
      }
      ids[i] = n.longValue();
    }
    return ids;
  }
}
