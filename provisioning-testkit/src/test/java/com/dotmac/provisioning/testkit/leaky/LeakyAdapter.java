package com.dotmac.provisioning.testkit.leaky;

import com.dotmac.provisioning.rules.JsonSize;
import java.util.Map;

/** A stand-in for an adapter that reaches into the core's internal package, which the boundary rules refuse. */
public final class LeakyAdapter {
    private LeakyAdapter() {
    }

    /** @return the JSON length of an empty object, measured with the core's internal class */
    public static long size() {
        return JsonSize.of(Map.of());
    }
}
