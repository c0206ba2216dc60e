package io.batchaudit.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.batchaudit.capture.FaultPlan;
import io.batchaudit.capture.PredictionSource;
import io.batchaudit.config.JobConfig;
import io.batchaudit.source.DataSpec;
import io.batchaudit.source.TableSpec;
import io.batchaudit.store.OptionalColumns;
import java.lang.reflect.Field;
import java.nio.file.Path;
import java.util.List;
import org.deeplearning4j.spark.api.RDDTrainingApproach;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.junit.jupiter.api.Test;

/**
 * The job's settings in the types of DL4J, capture, store and source, made from a validated
 * configuration; what only those types can refuse is refused with the key's name.
 */
class TrainingSettingsTest {
  private static TrainingSettings settings(String... assignments) {
    JobConfig.Builder b = JobConfig.builder();
    for (String a : assignments) {
      b.setAssignment(a);
    }
    return TrainingSettings.of(b.build());
  }

  @Test
  void theDefaultsAreDl4jsDefaultExportApproachTheForwardPassAndIrisWithoutValidation()
      throws Exception {
    TrainingSettings s = settings();
    assertThat(s.rddApproach())
        .isEqualTo(RDDTrainingApproach.Export)
        .isEqualTo(dl4jsDefaultApproach());
    assertThat(s.predictions()).isEqualTo(PredictionSource.FORWARD_PASS);
    assertThat(s.optionalColumns()).isEqualTo(OptionalColumns.NONE);
    assertThat(s.writerOptions().compression()).isEqualTo("zstd");
    assertThat(s.faults()).isSameAs(FaultPlan.NONE);
    assertThat(s.data()).isEqualTo(DataSpec.iris());
    assertThat(s.validationData()).isNull();
    assertThat(s.standardize()).isFalse();
  }

  /** What {@code ParameterAveragingTrainingMaster.Builder} trains with when not told. */
  private static RDDTrainingApproach dl4jsDefaultApproach() throws ReflectiveOperationException {
    // (the builder keeps it in a protected field and the master has no getter)
    Field f =
        ParameterAveragingTrainingMaster.Builder.class.getDeclaredField("rddTrainingApproach");
    f.setAccessible(true);
    return (RDDTrainingApproach) f.get(new ParameterAveragingTrainingMaster.Builder(1));
  }

  @Test
  void keysBecomeTheTypesTheJobWiresTogether() {
    TrainingSettings s =
        settings(
            "rdd-approach=Direct",
            "audit.predictions=post-update",
            "audit.features=true",
            "audit.loss=true",
            "audit.activations=0,dense_1",
            "audit.compression=SNAPPY",
            "normalize=standardize",
            "data=train.csv",
            "label-columns=y",
            "validation-data=synthetic:rows=5,features=2,classes=2");
    assertThat(s.rddApproach()).isEqualTo(RDDTrainingApproach.Direct);
    assertThat(s.predictions()).isEqualTo(PredictionSource.POST_UPDATE);
    assertThat(s.optionalColumns())
        .isEqualTo(new OptionalColumns(true, false, true, List.of("0", "dense_1")));
    assertThat(s.writerOptions().compression()).isEqualTo("SNAPPY");
    assertThat(s.standardize()).isTrue();
    // a local path is made absolute, so that executors elsewhere read the same file
    assertThat(s.data()).isInstanceOf(TableSpec.class);
    assertThat(s.data().toString()).isEqualTo(Path.of("train.csv").toAbsolutePath().toString());
    assertThat(s.validationData())
        .isEqualTo(DataSpec.parse("synthetic:rows=5,features=2,classes=2"));
  }

  @Test
  void aFaultPlanThatCaptureCannotReadIsRefusedWithTheKey() {
    assertThatThrownBy(() -> settings("testing.fault-injection=explode"))
        .hasMessage(
            "Invalid testing.fault-injection 'explode': unknown fault 'explode': use throw,"
                + " throw-after-seal, sleep or halt");
    assertThatThrownBy(() -> settings("testing.fault-injection=halt"))
        .hasMessage(
            "Invalid testing.fault-injection 'halt': halt needs the step to halt at, for example"
                + " halt:at=commit-assembled,epoch=1");
    assertThatThrownBy(() -> settings("testing.fault-injection=halt:at=later"))
        .hasMessage(
            "Invalid testing.fault-injection 'halt:at=later': unknown step 'later': use one of"
                + " commit-moving, commit-assembled, commit-published, compact-written,"
                + " compact-retired, compact-swapped, read-listed");
    assertThat(settings("testing.fault-injection=halt:at=commit-assembled,epoch=1").faults())
        .isNotSameAs(FaultPlan.NONE);
  }

  @Test
  void invalidDataIsRefusedWithTheKeyAndFileOptionsWithTheirOwn() {
    assertThatThrownBy(() -> settings("data=synthetic:rows=10"))
        .hasMessage(
            "Invalid data 'synthetic:rows=10': synthetic data needs rows and features: use iris,"
                + " synthetic:rows=R,features=F,classes=C or synthetic:rows=R,features=F,outputs=K"
                + " (optionally ,seed=S)");
    assertThatThrownBy(() -> settings("data=x.csv"))
        .hasMessage(
            "Invalid label-columns '': expected the label column (classification) or columns"
                + " (regression), comma-separated");
    assertThatThrownBy(() -> settings("task=regression"))
        .hasMessage(
            "Invalid data 'iris': data 'iris' is classification data, but task is regression: set"
                + " task=auto (or leave it out) for built-in data");
  }
}
