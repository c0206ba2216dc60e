package io.batchaudit.report;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * An HTML document being built, element by element in document order, that escapes by default:
 * every text ({@link #text}, {@link #element}) and every attribute value is escaped, always.
 * Element and attribute names must be plain lower-case names (the code's constants, never data).
 * Markup the builder did not make enters the page through two named exceptions only: {@link
 * #rawSvg}, for the charts this package draws (whose builder, {@link Svg}, escapes every text in
 * them), and {@link #style}, for the page's constant stylesheet.
 *
 * <p>{@link #close} closes the element opened last and names no tag, so that nesting cannot go
 * wrong; {@link #finish} refuses a document with an element left open. Line breaks follow the
 * element: after the opening tag of containers (sections, tables, lists, figures) and after the
 * closing tag of block elements, never inside a paragraph or a table row.
 *
 * <p>Not thread-safe: one page, one thread.
 */
final class Html {
  private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]*");

  /** Elements whose content starts on a line of its own. */
  private static final Set<String> BREAK_AFTER_OPEN =
      Set.of("html", "head", "body", "header", "main", "section", "table", "ul", "figure");

  /** Elements followed by a line break. */
  private static final Set<String> BREAK_AFTER_CLOSE =
      Set.of(
          "html",
          "head",
          "body",
          "header",
          "main",
          "section",
          "table",
          "tr",
          "ul",
          "li",
          "div",
          "details",
          "summary",
          "figure",
          "figcaption",
          "h1",
          "h2",
          "h3",
          "p",
          "title");

  /** Elements without content or closing tag. */
  private static final Set<String> VOID = Set.of("meta", "br");

  private final StringBuilder out = new StringBuilder(64 * 1024);
  private final Deque<String> open = new ArrayDeque<>();

  /** The document type line; first, once. */
  Html doctype() {
    if (out.length() > 0) {
      throw new IllegalStateException("The doctype comes first, once");
    }
    out.append("<!DOCTYPE html>\n");
    return this;
  }

  /**
   * Opens element {@code tag} with {@code attributes} given as name, value, name, value, ...; the
   * values are escaped. Close it with {@link #close}.
   */
  Html open(String tag, String... attributes) {
    if (VOID.contains(tag)) {
      throw new IllegalArgumentException(
          "<" + tag + "> has no content: use empty(\"" + tag + "\")");
    }
    startTag(tag, attributes);
    open.push(tag);
    if (BREAK_AFTER_OPEN.contains(tag)) {
      out.append('\n');
    }
    return this;
  }

  /** An element without content or closing tag ({@code <meta>}), attributes as in {@link #open}. */
  Html empty(String tag, String... attributes) {
    if (!VOID.contains(tag)) {
      throw new IllegalArgumentException("<" + tag + "> is not an empty element: use open/close");
    }
    startTag(tag, attributes);
    out.append('\n');
    return this;
  }

  /** Closes the element opened last. */
  Html close() {
    if (open.isEmpty()) {
      throw new IllegalStateException("No element is open");
    }
    String tag = open.pop();
    out.append("</").append(tag).append('>');
    if (BREAK_AFTER_CLOSE.contains(tag)) {
      out.append('\n');
    }
    return this;
  }

  /** {@code <tag>text</tag>}, the text escaped. */
  Html element(String tag, String text) {
    return open(tag).text(text).close();
  }

  /** Text, escaped; {@code null} writes nothing. */
  Html text(String text) {
    if (text != null) {
      out.append(escape(text));
    }
    return this;
  }

  /** A whole number as text. */
  Html text(long value) {
    out.append(value);
    return this;
  }

  /**
   * Raw markup, the one exception to escaping: an SVG chart this package drew (the {@code toSvg()}
   * of {@link LineChart}, {@link BarChart}, {@link ScatterChart}, {@link Heatmap}), whose texts
   * {@link Svg} escaped. Anything that is not one {@code <svg>} document (starting with its opening
   * tag, ending with its only closing tag) is refused.
   */
  Html rawSvg(String svg) {
    String end = "</svg>\n";
    if (!svg.startsWith("<svg ")
        || !svg.endsWith(end)
        || svg.indexOf("</svg>") != svg.length() - end.length()) {
      throw new IllegalArgumentException(
          "Not an SVG document drawn by the report: "
              + svg.substring(0, Math.min(40, svg.length())));
    }
    out.append(svg);
    return this;
  }

  /**
   * A {@code <style>} element holding {@code css}, unescaped: the page's constant stylesheet. CSS
   * holding {@code <} is refused (it could end the element).
   */
  Html style(String css) {
    if (css.indexOf('<') >= 0) {
      throw new IllegalArgumentException("A stylesheet must not hold '<'");
    }
    out.append("<style>\n").append(css);
    if (!css.endsWith("\n")) {
      out.append('\n');
    }
    out.append("</style>\n");
    return this;
  }

  /** The finished document. */
  String finish() {
    if (!open.isEmpty()) {
      throw new IllegalStateException("Elements left open: " + open);
    }
    return out.toString();
  }

  private void startTag(String tag, String[] attributes) {
    name(tag);
    if (attributes.length % 2 != 0) {
      throw new IllegalArgumentException(
          "Attributes of <" + tag + "> come as name, value pairs: got " + attributes.length);
    }
    out.append('<').append(tag);
    for (int i = 0; i < attributes.length; i += 2) {
      out.append(' ').append(name(attributes[i])).append("=\"");
      out.append(escape(attributes[i + 1] == null ? "" : attributes[i + 1])).append('"');
    }
    out.append('>');
  }

  private static String name(String name) {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "Not an element or attribute name: '" + name + "' (names are constants of the code)");
    }
    return name;
  }

  /** Text made safe for HTML and XML content and attribute values. */
  static String escape(String s) {
    StringBuilder b = new StringBuilder(s.length() + 16);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '&' -> b.append("&amp;");
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '"' -> b.append("&quot;");
        case '\'' -> b.append("&#39;");
        default -> {
          if (c < 0x20 && c != '\n' && c != '\t' && c != '\r') {
            b.append(' '); // not allowed in XML 1.0
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.toString();
  }
}
