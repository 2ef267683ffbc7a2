/**
 * A stateful, scriptable AWX for {@code mockwebserver3}: {@link com.dotmac.provisioning.awx.fake.FakeAwx} answers the
 * AWX REST API v2 the runner uses, with bodies shaped after real AWX answers, runs that end as scripted
 * ({@link com.dotmac.provisioning.awx.fake.RunScript}) and injected faults
 * ({@link com.dotmac.provisioning.awx.fake.Fault}). Published in the module's test-jar for the reliability and
 * benchmark suites.
 */
@NullMarked
package com.dotmac.provisioning.awx.fake;

import org.jspecify.annotations.NullMarked;
