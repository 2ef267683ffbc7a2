/** A host application with security chains of its own, outside the library's packages. */
@NullMarked
package com.example.host;

import org.jspecify.annotations.NullMarked;
