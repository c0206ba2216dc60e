package io.batchaudit.internal;

/**
 * Stored audit data contradicts itself or its manifest: a listed file is missing or has other rows
 * or bytes than recorded, a file cannot be decoded, the run metadata is unreadable. The message
 * names the path, what was expected, what was found, and what to do.
 */
public class AuditLogException extends RuntimeException {
  public AuditLogException(String message) {
    super(message);
  }

  public AuditLogException(String message, Throwable cause) {
    super(message, cause);
  }
}
