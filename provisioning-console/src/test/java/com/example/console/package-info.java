/** A host application for the console's tests. */
package com.example.console;
