package io.batchaudit.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The page builder: escapes by default, raw markup only where named, nesting it checks. */
class HtmlTest {
  private static final String HOSTILE = "<script>alert(\"x&y\")</script> 'z'";
  private static final String ESCAPED =
      "&lt;script&gt;alert(&quot;x&amp;y&quot;)&lt;/script&gt; &#39;z&#39;";

  @Test
  void escapesTextAndAttributeValues() {
    String html =
        new Html()
            .open("p", "class", HOSTILE)
            .text(HOSTILE)
            .open("span")
            .text(7)
            .close()
            .close()
            .element("li", HOSTILE)
            .finish();

    assertThat(html)
        .isEqualTo(
            "<p class=\""
                + ESCAPED
                + "\">"
                + ESCAPED
                + "<span>7</span></p>\n<li>"
                + ESCAPED
                + "</li>\n");
  }

  @Test
  void breaksLinesAfterContainersOpenAndBlocksCloseNeverInsideARow() {
    Html page = new Html().open("table").open("tr");
    page.element("th", "k").element("td", "v").close().close();

    assertThat(page.finish()).isEqualTo("<table>\n<tr><th>k</th><td>v</td></tr>\n</table>\n");
  }

  @Test
  void refusesElementAndAttributeNamesThatAreNotPlainNames() {
    assertThatThrownBy(() -> new Html().open("p onclick=x"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Not an element or attribute name: 'p onclick=x' (names are constants of the code)");
    assertThatThrownBy(() -> new Html().open("p", "title=\"a\" onclick", "x"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Not an element or attribute name: 'title=\"a\" onclick' (names are constants of the"
                + " code)");
    assertThatThrownBy(() -> new Html().open("p", "class"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Attributes of <p> come as name, value pairs: got 1");
  }

  @Test
  void takesRawMarkupOnlyAsOneSvgDocumentAndCssWithoutAngleBrackets() {
    String svg = "<svg class=\"chart\"><title>t</title>\n</svg>\n";
    assertThat(new Html().rawSvg(svg).finish()).isEqualTo(svg);
    assertThatThrownBy(() -> new Html().rawSvg("<script>alert(1)</script>"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Not an SVG document drawn by the report: <script>alert(1)</script>");
    assertThatThrownBy(() -> new Html().rawSvg("<svg ></svg>\n<script>alert(1)</script>"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("Not an SVG document drawn by the report: <svg ></svg>");
    assertThatThrownBy(
            () -> new Html().rawSvg("<svg ></svg><script>alert(1)</script><svg ></svg>\n"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("Not an SVG document drawn by the report: <svg ></svg><script>");
    assertThat(new Html().style("p{color:red}").finish())
        .isEqualTo("<style>\np{color:red}\n</style>\n");
    assertThatThrownBy(() -> new Html().style("p{}</style><script>"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("A stylesheet must not hold '<'");
  }

  @Test
  void closesTheElementOpenedLastAndRefusesAPageLeftOpen() {
    Html page = new Html().open("section").open("p").text("a");
    page.close();
    assertThatThrownBy(page::finish)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("Elements left open: [section]");
    page.close();
    assertThat(page.finish()).isEqualTo("<section>\n<p>a</p>\n</section>\n");
    assertThatThrownBy(page::close)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("No element is open");
  }

  @Test
  void writesEmptyElementsWithoutClosingTags() {
    assertThat(new Html().doctype().empty("meta", "charset", "utf-8").finish())
        .isEqualTo("<!DOCTYPE html>\n<meta charset=\"utf-8\">\n");
    assertThatThrownBy(() -> new Html().open("meta"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("<meta> has no content: use empty(\"meta\")");
    assertThatThrownBy(() -> new Html().empty("p"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("<p> is not an empty element: use open/close");
  }
}
