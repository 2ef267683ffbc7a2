/**
 * A host platform outside the library's packages (Spring Boot, HTTP Basic, embedded PostgreSQL, the fake AWX) and
 * the REST tests that run against it: bad input and secrets in responses.
 */
@NullMarked
package com.example.reliability;

import org.jspecify.annotations.NullMarked;
