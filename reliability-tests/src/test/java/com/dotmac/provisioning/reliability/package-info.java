/**
 * Reliability tests across the modules: crash recovery in child JVMs killed with SIGKILL, several engines on one
 * PostgreSQL under AWX faults, the AWX fault matrix, and secret leaks into logs, rows and responses. Every test
 * class carries the JUnit tag {@code reliability}; see {@code docs/RELIABILITY.md}.
 */
@NullMarked
package com.dotmac.provisioning.reliability;

import org.jspecify.annotations.NullMarked;
