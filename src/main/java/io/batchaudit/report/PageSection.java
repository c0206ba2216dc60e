package io.batchaudit.report;

/**
 * One part of the report page ({@link ReportWriter} draws them in page order), rendered from the
 * report's data over the page's builder. Implementations hold no state: a section writes what it
 * shows and closes every element it opens.
 */
interface PageSection {
  /** Appends this section of {@code data}'s page to {@code page}. */
  void render(ReportData data, Html page);
}
