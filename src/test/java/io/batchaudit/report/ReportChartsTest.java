package io.batchaudit.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;

/** The SVG charts: well-formed, escaped, with axes, tick labels, axis titles and legends. */
class ReportChartsTest {
  private static final String HOSTILE = "<script>alert('x')</script> & \"quoted\"";

  private static Document parse(String svg) throws Exception {
    DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
    f.setNamespaceAware(false);
    return f.newDocumentBuilder()
        .parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
  }

  private static List<String> texts(Document d) throws Exception {
    NodeList nodes =
        (NodeList)
            XPathFactory.newInstance().newXPath().evaluate("//text", d, XPathConstants.NODESET);
    List<String> out = new java.util.ArrayList<>();
    for (int i = 0; i < nodes.getLength(); i++) {
      out.add(nodes.item(i).getTextContent());
    }
    return out;
  }

  private static int count(Document d, String element) {
    return d.getElementsByTagName(element).getLength();
  }

  @Test
  void lineChartHasTitleAxesTicksAxisTitlesLegendAndEscapesEveryText() throws Exception {
    String svg =
        new LineChart(HOSTILE, "step", "score")
            .series(HOSTILE, new double[] {0, 10, 20}, new double[] {1.0, 0.5, 0.25}, false)
            .series(
                "partition 1", new double[] {0, 10, 20}, new double[] {0.9, Double.NaN, 0.3}, true)
            .toSvg();

    assertThat(svg).doesNotContain("<script>");
    Document d = parse(svg);
    List<String> texts = texts(d);
    assertThat(texts).contains(HOSTILE, "step", "score", "partition 1");
    assertThat(texts).as("x ticks").contains("0", "10", "20");
    assertThat(texts).as("y ticks").contains("0.2", "0.4", "1.0");
    assertThat(count(d, "polyline")).isEqualTo(2);
    assertThat(count(d, "circle")).as("2 finite markers + legend dot").isEqualTo(3);
    assertThat(d.getDocumentElement().getAttribute("aria-label")).isEqualTo(HOSTILE);
  }

  @Test
  void barChartStacksSeriesWithALegendAndLabelsCategories() throws Exception {
    String svg =
        new BarChart("Coverage", "epoch", "examples", List.of("0", "1", "2"))
            .stacked()
            .series("never", new double[] {22, 20, 0})
            .series("once", new double[] {128, 130, 150})
            .toSvg();
    Document d = parse(svg);
    assertThat(texts(d)).contains("Coverage", "epoch", "examples", "never", "once", "0", "1", "2");
    assertThat(texts(d)).as("y ticks reach the stacked total").contains("150");
    assertThat(count(d, "rect")).as("5 bars + 2 legend boxes").isEqualTo(7);
  }

  @Test
  void scatterChartDrawsEveryPointAndTheIdentityLine() throws Exception {
    String svg =
        new ScatterChart("Predicted", "target", "prediction")
            .series("epoch 0", new float[] {0, 1, 2}, new float[] {0.5f, 1, 3})
            .toSvg();
    Document d = parse(svg);
    assertThat(count(d, "circle")).as("3 points + legend dot").isEqualTo(4);
    assertThat(texts(d)).contains("target", "prediction", "epoch 0", "prediction = target");
  }

  @Test
  void heatmapShadesByShareOfRowAndLabelsCounts() throws Exception {
    String svg =
        new Heatmap(
                "Epoch 0",
                "predicted class",
                "target class",
                List.of("0", "1"),
                new long[][] {{3, 1}, {0, 4}})
            .toSvg();
    Document d = parse(svg);
    assertThat(texts(d)).contains("Epoch 0", "predicted class", "target class", "3", "1", "4");
    assertThat(svg).contains(Heatmap.shade(0.75)).contains(Heatmap.shade(1.0));
    assertThat(svg).contains("target 0, predicted 1: 1 (25.0% of target 0)");
  }

  @Test
  void numericScaleTicksAreNiceAndCoverTheData() {
    Scale s = Scale.numeric(0.13, 0.87, 6);
    assertThat(s.min()).isZero();
    assertThat(s.max()).isEqualTo(1.0);
    assertThat(s.ticks()).hasSize(6);
    assertThat(s.labels()).containsExactly("0", "0.2", "0.4", "0.6", "0.8", "1.0");
    Scale flat = Scale.numeric(5, 5, 6);
    assertThat(flat.min()).isLessThan(5);
    assertThat(flat.max()).isGreaterThan(5);
    assertThat(Scale.categories(List.of("a", "b", "c", "d"), 2).labels())
        .containsExactly("a", "", "c", "");
  }
}
