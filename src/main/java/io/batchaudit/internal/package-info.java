/**
 * Small shared helpers: argument checks, size and duration units, the test-only switch ({@link
 * io.batchaudit.internal.TestSwitches}) and the project's exception for stored data that
 * contradicts itself. Depends on nothing else in the project (enforced, like every package's rules,
 * by {@code PackageRulesTest}).
 */
package io.batchaudit.internal;
