/**
 * Small shared helpers: argument checks and the project's exception for stored data that
 * contradicts itself. Depends on nothing else in the project.
 */
package io.batchaudit.internal;
