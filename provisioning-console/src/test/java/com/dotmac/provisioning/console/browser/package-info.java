/**
 * Test support for the console's browser tests (here and in the example platform's, through this module's test-jar):
 * whether Chromium is there, and one headless Chromium session per test class with the checks every page gets.
 */
@NullMarked
package com.dotmac.provisioning.console.browser;

import org.jspecify.annotations.NullMarked;
