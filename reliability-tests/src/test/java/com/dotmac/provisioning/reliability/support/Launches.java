package com.dotmac.provisioning.reliability.support;

import com.dotmac.provisioning.PlaybookVariables;
import com.dotmac.provisioning.awx.fake.FakeAwx;
import com.dotmac.provisioning.awx.fake.LaunchRecord;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** The runs a {@link FakeAwx} started, grouped by the {@code provisioning_job_id} each launch carried. */
public final class Launches {
    private Launches() {
    }

    /**
     * @param awx the fake
     * @return the launches that started an AWX job, by provisioning job id
     */
    public static Map<String, List<LaunchRecord>> runsByJob(FakeAwx awx) {
        return awx.launches().stream().filter(l -> l.jobId() != null)
                .collect(Collectors.groupingBy(Launches::jobId, TreeMap::new, Collectors.toList()));
    }

    /**
     * @param awx the fake
     * @return provisioning job ids that started more than one AWX job, with their AWX job ids
     */
    public static Map<String, List<Long>> duplicates(FakeAwx awx) {
        Map<String, List<Long>> duplicates = new TreeMap<>();
        runsByJob(awx).forEach((job, runs) -> {
            if (runs.size() > 1) {
                duplicates.put(job, runs.stream().map(LaunchRecord::jobId).toList());
            }
        });
        return duplicates;
    }

    /**
     * @param launch a launch
     * @return the {@code provisioning_job_id} it carried
     */
    public static String jobId(LaunchRecord launch) {
        return String.valueOf(launch.extraVars().get(PlaybookVariables.PROVISIONING_JOB_ID));
    }
}
