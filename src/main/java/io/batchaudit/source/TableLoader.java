package io.batchaudit.source;

import java.io.Serializable;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import scala.Tuple2;

/**
 * Loads a {@link TableData} on the driver: plans the read ({@link TableReader}), parses every row
 * into a cached RDD ({@link RowParser}), and runs the checks that need all rows (the first bad row
 * in source order, no rows, classes, unique ids) before anything is returned.
 */
final class TableLoader {
  private static final int DUPLICATE_ROWS_LISTED = 10;

  private TableLoader() {}

  /**
   * Reads, parses and checks every row of an input, and numbers the rows.
   *
   * @param like the training input to match, or null for a training input
   * @throws IllegalArgumentException for bad input; nothing stays cached then
   */
  static TableData load(SparkSession spark, TableSpec spec, TableReader.Like like) {
    TableReader.Plan plan = TableReader.plan(spark, spec, like);
    RowParser parser = plan.parser();
    JavaRDD<ParsedRow> rows =
        plan.rows().javaRDD().mapPartitions(parser::parse).setName("table " + spec.uri());
    rows.persist(StorageLevel.MEMORY_AND_DISK());
    boolean ok = false;
    try {
      Summary summary = summarize(spark, rows, plan, spec);
      RowNumbering numbering = RowNumbering.of(summary.counts);
      ParsedRow bad = summary.firstProblem;
      if (bad != null) {
        long fileRow = numbering.fileRow(bad);
        throw TableErrors.inRow(
            bad,
            plan.input().where(numbering.row(bad), bad.hasId, bad.id, bad.file, fileRow),
            fileRow,
            spec);
      }
      if (numbering.size() == 0) {
        throw TableErrors.empty(spec, false);
      }
      int classes = plan.classes();
      if (plan.task() == Task.CLASSIFICATION && classes == 0) {
        classes = summary.maxClass + 1;
        if (classes < 2) {
          throw TableErrors.oneClass(plan.labelColumns().get(0), spec);
        }
      }
      if (spec.hasIdColumn()) {
        checkUniqueIds(rows, numbering, spec);
      }
      TableData data =
          new TableData(
              spec,
              plan.featureColumns(),
              plan.labelColumns(),
              plan.task(),
              classes,
              numbering,
              rows);
      ok = true;
      return data;
    } finally {
      if (!ok) {
        rows.unpersist(false);
      }
    }
  }

  /** One pass over the input: rows per split, the first bad row, the largest class label. */
  private static Summary summarize(
      SparkSession spark, JavaRDD<ParsedRow> rows, TableReader.Plan plan, TableSpec spec) {
    boolean classification = plan.task() == Task.CLASSIFICATION;
    List<Summary> parts;
    try {
      parts =
          rows.mapPartitions(it -> List.of(Summary.of(it, classification)).iterator()).collect();
    } catch (IllegalArgumentException e) {
      throw e;
    } catch (Exception e) {
      throw TableReader.unreadable(spark, spec, plan.input(), e);
    }
    Summary all = new Summary();
    for (Summary s : parts) {
      s.counts.forEach((k, v) -> all.counts.merge(k, v, Long::sum));
      if (s.firstProblem != null
          && (all.firstProblem == null
              || ParsedRow.SOURCE_ORDER.compare(s.firstProblem, all.firstProblem) < 0)) {
        all.firstProblem = s.firstProblem;
      }
      all.maxClass = Math.max(all.maxClass, s.maxClass);
    }
    return all;
  }

  private static void checkUniqueIds(
      JavaRDD<ParsedRow> rows, RowNumbering numbering, TableSpec spec) {
    List<Tuple2<Long, Long>> duplicates =
        rows.mapToPair(p -> new Tuple2<>(p.id, 1L))
            .reduceByKey(Long::sum)
            .filter(t -> t._2() > 1)
            .takeOrdered(1, new ByKey());
    if (!duplicates.isEmpty()) {
      long id = duplicates.get(0)._1();
      List<Long> at =
          rows.filter(p -> p.id == id).map(numbering::row).takeOrdered(DUPLICATE_ROWS_LISTED);
      throw TableErrors.duplicateId(id, spec.idColumn(), spec, duplicates.get(0)._2(), at);
    }
  }

  /** Per-partition figures of the parsed rows, merged on the driver. */
  private static final class Summary implements Serializable {
    private static final long serialVersionUID = 1L;
    final Map<RowNumbering.Split, Long> counts = new HashMap<>();
    ParsedRow firstProblem;
    int maxClass = -1;

    static Summary of(Iterator<ParsedRow> rows, boolean classification) {
      Summary s = new Summary();
      while (rows.hasNext()) {
        ParsedRow p = rows.next();
        s.counts.merge(new RowNumbering.Split(p.file, p.splitStart), 1L, Long::sum);
        if (p.isBad()) {
          if (s.firstProblem == null || ParsedRow.SOURCE_ORDER.compare(p, s.firstProblem) < 0) {
            s.firstProblem = p;
          }
        } else if (classification) {
          s.maxClass = Math.max(s.maxClass, (int) p.label[0]);
        }
      }
      return s;
    }
  }

  private static final class ByKey implements Comparator<Tuple2<Long, Long>>, Serializable {
    private static final long serialVersionUID = 1L;

    @Override
    public int compare(Tuple2<Long, Long> a, Tuple2<Long, Long> b) {
      return Long.compare(a._1(), b._1());
    }
  }
}
