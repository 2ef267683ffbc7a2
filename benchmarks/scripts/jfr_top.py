#!/usr/bin/env python3
"""Where a JFR CPU profile's samples go, for docs/PERFORMANCE.md.

    jfr print --stack-depth 64 --events jdk.ExecutionSample rec.jfr > samples.txt
    python3 benchmarks/scripts/jfr_top.py samples.txt

Prints: top frames (self), top packages (self), samples by owner (the first frame from the top that belongs to a
known part: the driver, the repository, the engine, JSON, the benchmark's own statement counter...), by thread, and
the library's methods found anywhere on the stack (inclusive). Samples of the "main" thread are left out: in the
benchmarks it sets up (schema, tenants) and then only waits.
"""
import collections
import re
import sys

FRAME = re.compile(r'^\s+([\w$.<>/]+)\(', re.M)


def package(frame):
    parts = frame.split('.')
    cls = next((i for i, p in enumerate(parts) if p[:1].isupper()), len(parts) - 2)
    return '.'.join(parts[:cls])


def owner(frames):
    if any(f.startswith('com.dotmac.provisioning.benchmarks.support.LatencyProxy') for f in frames):
        return 'latency proxy'
    for f in frames:
        p = package(f)
        if p.startswith('org.postgresql'):
            return 'PgJDBC (driver)'
        if p.startswith('com.zaxxer.hikari'):
            return 'HikariCP'
        if p.startswith('ch.qos.logback') or p.startswith('org.slf4j'):
            return 'logging'
        if p.startswith('com.dotmac.provisioning.jdbc.support') or p.startswith('com.dotmac.provisioning.benchmarks'):
            return 'benchmark harness (statement counter proxy, clients, completions)'
        if p.startswith('tools.jackson'):
            return 'Jackson (JSON columns, events)'
        if p.startswith('com.dotmac.provisioning.jdbc'):
            return 'provisioning-jdbc (repository: SQL, binding, row mapping)'
        if p.startswith('com.dotmac.provisioning.scripted') or p.startswith('com.dotmac.provisioning.testkit'):
            return 'scripted runner (test kit)'
        if p.startswith('com.dotmac.provisioning'):
            return 'engine (provisioning-core)'
    return 'JDK only (threads, queues, I/O)'


def main(path):
    events = open(path, encoding='utf-8').read().split('jdk.ExecutionSample {')[1:]
    top, pkg, owners, threads, incl = (collections.Counter() for _ in range(5))
    n = 0
    for ev in events:
        thread = re.search(r'sampledThread = "([^"]*)"', ev)
        if thread and thread.group(1) == 'main':
            continue
        frames = FRAME.findall(ev.split('stackTrace = [', 1)[-1])
        if not frames:
            continue
        n += 1
        top[frames[0]] += 1
        pkg[package(frames[0])] += 1
        owners[owner(frames)] += 1
        if thread:
            threads[re.sub(r'\d+', '#', thread.group(1))] += 1
        for f in set(frames):
            if f.startswith('com.dotmac.provisioning') and not f.startswith('com.dotmac.provisioning.benchmarks') \
                    and not f.startswith('com.dotmac.provisioning.jdbc.support'):
                incl[f] += 1
    print(f'samples (without "main"): {n}')
    for title, c, k in (('top frames (self)', top, 12), ('top packages (self)', pkg, 12),
                        ('by owner (first known frame from the top)', owners, 12), ('threads', threads, 12),
                        ('library methods on the stack (inclusive)', incl, 30)):
        print(f'\n## {title}')
        for key, v in c.most_common(k):
            print(f'{100 * v / n:5.1f} %  {v:6d}  {key}')


if __name__ == '__main__':
    main(sys.argv[1])
