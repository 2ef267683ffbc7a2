package com.dotmac.provisioning.benchmarks;

import com.dotmac.provisioning.awx.fake.FakeAwx;
import com.dotmac.provisioning.awx.fake.LaunchRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.PriorityQueue;

/**
 * Makes the fake AWX's jobs run for a fixed time: each job launched is noted with the time it was seen, and
 * {@link #endDue(Instant)} marks those whose run time has passed {@code successful}. The fake's own scripts count
 * observations, not time; the jobs here use {@code RunScript.hang()} (pending, waiting, running as polls see them)
 * until this ends them. Not thread-safe; driven by the benchmark's loop.
 */
final class RunEnder {
    private record Ending(Instant at, long awxJobId) {
    }

    private final FakeAwx fake;
    private final Duration runTime;
    private final PriorityQueue<Ending> endings = new PriorityQueue<>((a, b) -> a.at().compareTo(b.at()));
    private int launchesSeen;
    private int ended;

    /**
     * @param fake the fake AWX
     * @param runTime how long every job runs after its launch
     */
    RunEnder(FakeAwx fake, Duration runTime) {
        this.fake = fake;
        this.runTime = runTime;
    }

    /**
     * Notes the launches since the last call as having happened at {@code now}.
     *
     * @param now the time of those launches
     */
    void noteLaunches(Instant now) {
        List<LaunchRecord> launches = fake.launches();
        for (int i = launchesSeen; i < launches.size(); i++) {
            Long jobId = launches.get(i).jobId();
            if (jobId != null) {
                endings.add(new Ending(now.plus(runTime), jobId));
            }
        }
        launchesSeen = launches.size();
    }

    /**
     * @param now the current time
     * @return the AWX job ids that were ended by this call
     */
    List<Long> endDue(Instant now) {
        List<Long> done = new java.util.ArrayList<>();
        while (!endings.isEmpty() && !endings.peek().at().isAfter(now)) {
            long id = endings.poll().awxJobId();
            fake.forceStatus(id, "successful");
            done.add(id);
            ended++;
        }
        return done;
    }

    /** @return how many jobs were ended so far */
    int ended() {
        return ended;
    }
}
