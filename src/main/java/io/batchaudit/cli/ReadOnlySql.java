package io.batchaudit.cli;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.antlr.v4.runtime.CharStreams;
import org.antlr.v4.runtime.CommonTokenStream;
import org.antlr.v4.runtime.Token;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.analysis.PlanWithUnresolvedIdentifier;
import org.apache.spark.sql.catalyst.analysis.RelationTimeTravel;
import org.apache.spark.sql.catalyst.analysis.UnresolvedFunction;
import org.apache.spark.sql.catalyst.analysis.UnresolvedGenerator;
import org.apache.spark.sql.catalyst.analysis.UnresolvedHaving;
import org.apache.spark.sql.catalyst.analysis.UnresolvedInlineTable;
import org.apache.spark.sql.catalyst.analysis.UnresolvedRelation;
import org.apache.spark.sql.catalyst.analysis.UnresolvedSubqueryColumnAliases;
import org.apache.spark.sql.catalyst.analysis.UnresolvedTVFAliases;
import org.apache.spark.sql.catalyst.analysis.UnresolvedTableValuedFunction;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.parser.ParseException;
import org.apache.spark.sql.catalyst.parser.SqlBaseLexer;
import org.apache.spark.sql.catalyst.plans.logical.Aggregate;
import org.apache.spark.sql.catalyst.plans.logical.AlterTableCommand;
import org.apache.spark.sql.catalyst.plans.logical.AlterViewAs;
import org.apache.spark.sql.catalyst.plans.logical.AnalyzeColumn;
import org.apache.spark.sql.catalyst.plans.logical.AnalyzeTable;
import org.apache.spark.sql.catalyst.plans.logical.AnalyzeTables;
import org.apache.spark.sql.catalyst.plans.logical.CacheTable;
import org.apache.spark.sql.catalyst.plans.logical.CacheTableAsSelect;
import org.apache.spark.sql.catalyst.plans.logical.CreateFunction;
import org.apache.spark.sql.catalyst.plans.logical.CreateNamespace;
import org.apache.spark.sql.catalyst.plans.logical.CreateTable;
import org.apache.spark.sql.catalyst.plans.logical.CreateTableAsSelect;
import org.apache.spark.sql.catalyst.plans.logical.CreateView;
import org.apache.spark.sql.catalyst.plans.logical.DeleteFromTable;
import org.apache.spark.sql.catalyst.plans.logical.DescribeColumn;
import org.apache.spark.sql.catalyst.plans.logical.DescribeFunction;
import org.apache.spark.sql.catalyst.plans.logical.DescribeNamespace;
import org.apache.spark.sql.catalyst.plans.logical.DescribeRelation;
import org.apache.spark.sql.catalyst.plans.logical.Distinct;
import org.apache.spark.sql.catalyst.plans.logical.DropFunction;
import org.apache.spark.sql.catalyst.plans.logical.DropNamespace;
import org.apache.spark.sql.catalyst.plans.logical.DropTable;
import org.apache.spark.sql.catalyst.plans.logical.DropView;
import org.apache.spark.sql.catalyst.plans.logical.Except;
import org.apache.spark.sql.catalyst.plans.logical.Filter;
import org.apache.spark.sql.catalyst.plans.logical.Generate;
import org.apache.spark.sql.catalyst.plans.logical.GlobalLimit;
import org.apache.spark.sql.catalyst.plans.logical.InsertIntoDir;
import org.apache.spark.sql.catalyst.plans.logical.InsertIntoStatement;
import org.apache.spark.sql.catalyst.plans.logical.Intersect;
import org.apache.spark.sql.catalyst.plans.logical.Join;
import org.apache.spark.sql.catalyst.plans.logical.LateralJoin;
import org.apache.spark.sql.catalyst.plans.logical.LoadData;
import org.apache.spark.sql.catalyst.plans.logical.LocalLimit;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import org.apache.spark.sql.catalyst.plans.logical.MergeIntoTable;
import org.apache.spark.sql.catalyst.plans.logical.Offset;
import org.apache.spark.sql.catalyst.plans.logical.OneRowRelation;
import org.apache.spark.sql.catalyst.plans.logical.OverwriteByExpression;
import org.apache.spark.sql.catalyst.plans.logical.Pivot;
import org.apache.spark.sql.catalyst.plans.logical.Project;
import org.apache.spark.sql.catalyst.plans.logical.RefreshFunction;
import org.apache.spark.sql.catalyst.plans.logical.RefreshTable;
import org.apache.spark.sql.catalyst.plans.logical.RepairTable;
import org.apache.spark.sql.catalyst.plans.logical.RepartitionByExpression;
import org.apache.spark.sql.catalyst.plans.logical.ReplaceTable;
import org.apache.spark.sql.catalyst.plans.logical.ReplaceTableAsSelect;
import org.apache.spark.sql.catalyst.plans.logical.Sample;
import org.apache.spark.sql.catalyst.plans.logical.ScriptTransformation;
import org.apache.spark.sql.catalyst.plans.logical.SetCatalogAndNamespace;
import org.apache.spark.sql.catalyst.plans.logical.ShowColumns;
import org.apache.spark.sql.catalyst.plans.logical.ShowCreateTable;
import org.apache.spark.sql.catalyst.plans.logical.ShowFunctions;
import org.apache.spark.sql.catalyst.plans.logical.ShowNamespaces;
import org.apache.spark.sql.catalyst.plans.logical.ShowPartitions;
import org.apache.spark.sql.catalyst.plans.logical.ShowTableExtended;
import org.apache.spark.sql.catalyst.plans.logical.ShowTableProperties;
import org.apache.spark.sql.catalyst.plans.logical.ShowTables;
import org.apache.spark.sql.catalyst.plans.logical.ShowViews;
import org.apache.spark.sql.catalyst.plans.logical.Sort;
import org.apache.spark.sql.catalyst.plans.logical.SubqueryAlias;
import org.apache.spark.sql.catalyst.plans.logical.TruncatePartition;
import org.apache.spark.sql.catalyst.plans.logical.TruncateTable;
import org.apache.spark.sql.catalyst.plans.logical.UncacheTable;
import org.apache.spark.sql.catalyst.plans.logical.Union;
import org.apache.spark.sql.catalyst.plans.logical.Unpivot;
import org.apache.spark.sql.catalyst.plans.logical.UnresolvedHint;
import org.apache.spark.sql.catalyst.plans.logical.UnresolvedWith;
import org.apache.spark.sql.catalyst.plans.logical.UpdateTable;
import org.apache.spark.sql.catalyst.plans.logical.WithWindowDefinition;
import org.apache.spark.sql.catalyst.trees.TreeNode;
import org.apache.spark.sql.execution.command.AddArchivesCommand;
import org.apache.spark.sql.execution.command.AddFilesCommand;
import org.apache.spark.sql.execution.command.AddJarsCommand;
import org.apache.spark.sql.execution.command.ClearCacheCommand$;
import org.apache.spark.sql.execution.command.CreateFunctionCommand;
import org.apache.spark.sql.execution.command.CreateTableLikeCommand;
import org.apache.spark.sql.execution.command.CreateViewCommand;
import org.apache.spark.sql.execution.command.DescribeQueryCommand;
import org.apache.spark.sql.execution.command.DropFunctionCommand;
import org.apache.spark.sql.execution.command.ExplainCommand;
import org.apache.spark.sql.execution.command.ResetCommand;
import org.apache.spark.sql.execution.command.SetCommand;
import org.apache.spark.sql.execution.command.ShowCatalogsCommand;
import org.apache.spark.sql.execution.command.ShowCurrentNamespaceCommand;
import org.apache.spark.sql.execution.datasources.CreateTempViewUsing;
import org.apache.spark.sql.execution.datasources.RefreshResource;
import scala.collection.JavaConverters;

/**
 * Decides, by Spark's own parser, whether a SQL text is a statement {@code query} may run: one that
 * only reads.
 *
 * <p>The text is parsed once, with the session's parser ({@code
 * spark.sessionState().sqlParser().parsePlan}), so comments, quoting and {@code WITH} clauses are
 * read the way Spark reads them; nothing is analysed or run. The parsed plan is accepted only if it
 * is built of known read-only kinds (a whitelist; anything else is refused):
 *
 * <ul>
 *   <li>a query ({@code SELECT}, {@code WITH ... SELECT}, {@code VALUES}, {@code TABLE t}, {@code
 *       FROM t SELECT ...}): every operator of the plan, of its {@code WITH} definitions and of its
 *       subqueries is a query operator, and no expression calls {@code reflect}, {@code
 *       java_method} or {@code try_reflect} (they call any static Java method); {@code SELECT
 *       TRANSFORM} is refused, it runs an external program;
 *   <li>{@code EXPLAIN} and {@code DESCRIBE QUERY} of such a query ({@code EXPLAIN INSERT ...} is
 *       refused: it writes nothing, but {@code query} accepts only what it would run);
 *   <li>{@code DESCRIBE} of a table, column, function or database, and the {@code SHOW} statements.
 * </ul>
 *
 * <p>Everything else (INSERT, CREATE, DROP, ALTER, CACHE, SET, ADD, LOAD, REFRESH, MSCK, USE, ...)
 * is refused; so is more than one statement. Runs on the driver, before the log is opened.
 */
final class ReadOnlySql {
  /** Query operators the parser builds for a SELECT; they read, and compute in the JVM only. */
  private static final Set<Class<?>> QUERY_OPERATORS =
      Set.of(
          Project.class,
          Filter.class,
          Aggregate.class,
          UnresolvedHaving.class,
          Sort.class,
          GlobalLimit.class,
          LocalLimit.class,
          Offset.class,
          Distinct.class,
          Union.class,
          Intersect.class,
          Except.class,
          Join.class,
          LateralJoin.class,
          SubqueryAlias.class,
          OneRowRelation.class,
          UnresolvedWith.class,
          WithWindowDefinition.class,
          Generate.class,
          Pivot.class,
          Unpivot.class,
          Sample.class,
          RepartitionByExpression.class,
          UnresolvedHint.class,
          UnresolvedRelation.class,
          RelationTimeTravel.class,
          UnresolvedInlineTable.class,
          UnresolvedTableValuedFunction.class,
          UnresolvedTVFAliases.class,
          UnresolvedSubqueryColumnAliases.class);

  /** Statements that show metadata; their children only name what they describe. */
  private static final Set<Class<?>> METADATA_STATEMENTS =
      Set.of(
          DescribeRelation.class,
          DescribeColumn.class,
          DescribeFunction.class,
          DescribeNamespace.class,
          ShowTables.class,
          ShowTableExtended.class,
          ShowNamespaces.class,
          ShowColumns.class,
          ShowFunctions.class,
          ShowPartitions.class,
          ShowCreateTable.class,
          ShowTableProperties.class,
          ShowViews.class,
          ShowCurrentNamespaceCommand.class,
          ShowCatalogsCommand.class);

  /** Functions that call Java methods by name: a SELECT could change any state with them. */
  private static final Set<String> REFLECTION = Set.of("reflect", "java_method", "try_reflect");

  /** The names of refused statements, as a user writes them. */
  private static final Map<Class<?>, String> KINDS = new LinkedHashMap<>();

  static {
    KINDS.put(InsertIntoDir.class, "INSERT OVERWRITE DIRECTORY");
    KINDS.put(OverwriteByExpression.class, "INSERT ... REPLACE WHERE");
    KINDS.put(CreateTable.class, "CREATE TABLE");
    KINDS.put(CreateTableAsSelect.class, "CREATE TABLE AS SELECT");
    KINDS.put(CreateTableLikeCommand.class, "CREATE TABLE LIKE");
    KINDS.put(ReplaceTable.class, "REPLACE TABLE");
    KINDS.put(ReplaceTableAsSelect.class, "REPLACE TABLE AS SELECT");
    KINDS.put(CreateView.class, "CREATE VIEW");
    KINDS.put(AlterViewAs.class, "ALTER VIEW");
    KINDS.put(CreateViewCommand.class, "CREATE VIEW");
    KINDS.put(CreateTempViewUsing.class, "CREATE TEMPORARY VIEW USING");
    KINDS.put(CreateNamespace.class, "CREATE DATABASE");
    KINDS.put(CreateFunction.class, "CREATE FUNCTION");
    KINDS.put(CreateFunctionCommand.class, "CREATE FUNCTION");
    KINDS.put(DropTable.class, "DROP TABLE");
    KINDS.put(DropView.class, "DROP VIEW");
    KINDS.put(DropNamespace.class, "DROP DATABASE");
    KINDS.put(DropFunction.class, "DROP FUNCTION");
    KINDS.put(DropFunctionCommand.class, "DROP FUNCTION");
    KINDS.put(CacheTable.class, "CACHE TABLE");
    KINDS.put(CacheTableAsSelect.class, "CACHE TABLE AS SELECT");
    KINDS.put(UncacheTable.class, "UNCACHE TABLE");
    KINDS.put(ClearCacheCommand$.class, "CLEAR CACHE");
    KINDS.put(SetCommand.class, "SET");
    KINDS.put(ResetCommand.class, "RESET");
    KINDS.put(SetCatalogAndNamespace.class, "USE");
    KINDS.put(AddJarsCommand.class, "ADD JAR");
    KINDS.put(AddFilesCommand.class, "ADD FILE");
    KINDS.put(AddArchivesCommand.class, "ADD ARCHIVE");
    KINDS.put(LoadData.class, "LOAD DATA");
    KINDS.put(TruncateTable.class, "TRUNCATE TABLE");
    KINDS.put(TruncatePartition.class, "TRUNCATE TABLE");
    KINDS.put(RefreshTable.class, "REFRESH TABLE");
    KINDS.put(RefreshFunction.class, "REFRESH FUNCTION");
    KINDS.put(RefreshResource.class, "REFRESH");
    KINDS.put(RepairTable.class, "MSCK REPAIR TABLE");
    KINDS.put(AnalyzeTable.class, "ANALYZE TABLE");
    KINDS.put(AnalyzeTables.class, "ANALYZE TABLES");
    KINDS.put(AnalyzeColumn.class, "ANALYZE TABLE");
    KINDS.put(DeleteFromTable.class, "DELETE");
    KINDS.put(UpdateTable.class, "UPDATE");
    KINDS.put(MergeIntoTable.class, "MERGE INTO");
    KINDS.put(PlanWithUnresolvedIdentifier.class, "IDENTIFIER(...)");
    KINDS.put(ScriptTransformation.class, "SELECT TRANSFORM (it runs an external program)");
  }

  private ReadOnlySql() {}

  /**
   * Parses {@code sql} with {@code spark}'s parser and throws unless it is one read-only statement.
   *
   * @throws IllegalArgumentException one line: the statement kind refused, or the parse error
   */
  static void check(SparkSession spark, String sql) {
    LogicalPlan plan;
    try {
      plan = spark.sessionState().sqlParser().parsePlan(sql);
    } catch (ParseException e) {
      List<String> statements = statements(sql);
      if (statements.size() > 1) {
        // Spark parses one statement at a time: judge each, so that a write is named as such
        for (String statement : statements) {
          try {
            refused(spark.sessionState().sqlParser().parsePlan(statement))
                .ifPresent(kind -> refuse(kind));
          } catch (ParseException ignored) {
            // reported below with the others
          }
        }
        throw new IllegalArgumentException(
            "The SQL holds "
                + statements.size()
                + " statements; query runs exactly one: pass each statement in its own call",
            e);
      }
      throw new IllegalArgumentException("Invalid SQL: " + firstLine(e.getMessage()), e);
    }
    refused(plan).ifPresent(kind -> refuse(kind));
  }

  private static void refuse(String kind) {
    throw new IllegalArgumentException(
        kind
            + " is refused: query is read-only and runs only SELECT, WITH ... SELECT, VALUES, TABLE,"
            + " EXPLAIN <query>, DESCRIBE and SHOW; nothing was run. To save results, redirect the"
            + " output of --json (JSON lines) to a file, or write them with Spark or DuckDB into a"
            + " folder outside the audit folder");
  }

  /** The first non-blank line of a Spark message (the rest repeats the SQL or the plan). */
  static String firstLine(String message) {
    return message == null ? "" : message.strip().lines().findFirst().orElse("").strip();
  }

  /** The kind of the statement to refuse, or empty if {@code plan} is read-only. */
  static Optional<String> refused(LogicalPlan plan) {
    if (plan instanceof ExplainCommand e) {
      return refused(e.logicalPlan()).map(kind -> "EXPLAIN " + kind);
    }
    if (plan instanceof DescribeQueryCommand d) {
      return refused(d.plan()).map(kind -> "DESCRIBE QUERY " + kind);
    }
    if (METADATA_STATEMENTS.contains(plan.getClass())) {
      return Optional.empty();
    }
    Deque<LogicalPlan> todo = new ArrayDeque<>(List.of(plan));
    while (!todo.isEmpty()) {
      LogicalPlan p = todo.pop();
      if (!QUERY_OPERATORS.contains(p.getClass())) {
        return Optional.of(kind(p));
      }
      if (p instanceof UnresolvedTableValuedFunction f && REFLECTION.contains(last(f.name()))) {
        return Optional.of(reflection(last(f.name())));
      }
      Optional<String> call = reflectionCall(p);
      if (call.isPresent()) {
        return call;
      }
      todo.addAll(JavaConverters.seqAsJavaList(p.children()));
      // the definitions of WITH, and subqueries in expressions, are plans outside children()
      for (TreeNode<?> inner : JavaConverters.seqAsJavaList(p.innerChildren())) {
        if (inner instanceof LogicalPlan lp) {
          todo.add(lp);
        }
      }
      todo.addAll(JavaConverters.seqAsJavaList(p.subqueries()));
    }
    return Optional.empty();
  }

  private static Optional<String> reflectionCall(LogicalPlan p) {
    Deque<Expression> todo = new ArrayDeque<>(JavaConverters.seqAsJavaList(p.expressions()));
    while (!todo.isEmpty()) {
      Expression e = todo.pop();
      String name = null;
      if (e instanceof UnresolvedFunction f) {
        name = last(f.nameParts());
      } else if (e instanceof UnresolvedGenerator g) {
        name = g.name().funcName().toLowerCase(Locale.ROOT);
      }
      if (name != null && REFLECTION.contains(name)) {
        return Optional.of(reflection(name));
      }
      todo.addAll(JavaConverters.seqAsJavaList(e.children()));
    }
    return Optional.empty();
  }

  private static String reflection(String name) {
    return "A call of " + name + "() (it calls any static Java method)";
  }

  private static String last(scala.collection.Seq<String> nameParts) {
    return nameParts.isEmpty() ? "" : nameParts.last().toLowerCase(Locale.ROOT);
  }

  private static String kind(LogicalPlan p) {
    if (p instanceof InsertIntoStatement i) {
      return i.overwrite() ? "INSERT OVERWRITE" : "INSERT INTO";
    }
    if (p instanceof AlterTableCommand) {
      return "ALTER TABLE";
    }
    String known = KINDS.get(p.getClass());
    if (known != null) {
      return known;
    }
    // a statement this class does not name: its plan's name, split into words
    return p.getClass()
        .getSimpleName()
        .replaceAll("\\$$", "")
        .replaceAll("(Command|Statement)$", "")
        .replaceAll("([a-z])([A-Z])", "$1 $2")
        .toUpperCase(Locale.ROOT);
  }

  /**
   * The statements of {@code sql}, split by Spark's lexer at semicolons (comments and quoted text
   * are single tokens, so their semicolons do not split); empty statements are dropped.
   */
  static List<String> statements(String sql) {
    SqlBaseLexer lexer = new SqlBaseLexer(CharStreams.fromString(sql));
    lexer.removeErrorListeners();
    CommonTokenStream tokens = new CommonTokenStream(lexer);
    tokens.fill();
    List<String> statements = new ArrayList<>();
    int start = -1;
    int stop = -1;
    for (Token t : tokens.getTokens()) {
      if (t.getChannel() != Token.DEFAULT_CHANNEL) {
        continue;
      }
      if (t.getType() == SqlBaseLexer.SEMICOLON || t.getType() == Token.EOF) {
        if (start >= 0) {
          statements.add(sql.substring(start, stop + 1));
        }
        start = -1;
      } else {
        start = start < 0 ? t.getStartIndex() : start;
        stop = t.getStopIndex();
      }
    }
    return statements;
  }
}
