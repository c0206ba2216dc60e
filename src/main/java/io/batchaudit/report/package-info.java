/**
 * The HTML report of an audit log: one streamed pass over the committed log aggregated into bounded
 * summaries ({@link io.batchaudit.report.ReportData}, built by {@link
 * io.batchaudit.report.ReportCollector}), written as one self-contained HTML page ({@link
 * io.batchaudit.report.ReportWriter}) whose charts are SVG drawn here (no script, no network).
 *
 * <p>The page is built by {@code Html}, which escapes every text and attribute value and takes raw
 * markup only for the SVG charts drawn here; each part of the page is a {@code PageSection}. No
 * other code in this package writes markup by hand. Whether the run finished comes from the table
 * ({@link io.batchaudit.read.AuditLog#state}), never from files read by name.
 *
 * <p>Reads through the read and store packages only; must not depend on DL4J, Spark, training code
 * or the command line (the caller hands in the source labels, if it could load them).
 */
package io.batchaudit.report;
