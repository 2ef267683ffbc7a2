package com.dotmac.provisioning.benchmarks;

import java.lang.reflect.Array;
import java.lang.reflect.Field;
import java.lang.reflect.InaccessibleObjectException;
import java.lang.reflect.Modifier;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadPoolExecutor;

/**
 * The objects an object graph keeps, every class counted (the JDK's maps, nodes, arrays and strings as much as the
 * library's own): a walk over instance fields from a root, stopping at given boundary objects (what the host handed
 * in: repository, runner, scheduler, clock, listeners) and at what belongs to the JVM rather than the graph (classes,
 * class loaders, threads, loggers, references). Of a thread pool only its queue of waiting tasks is entered (none
 * for a hand-off queue, whose nodes are its idle workers): its workers follow its threads, which come and go with
 * real time (threads are counted apart). Sizes are estimates of the shallow sizes with compressed
 * references (12-byte object header, 16-byte array header, 4-byte references, 8-byte alignment): exact enough to see
 * growth, not a heap dump. Fields of JDK classes are read by reflection, so the test JVM opens the JDK packages the
 * walk meets ({@code --add-opens} in the module's surefire {@code argLine}); an object whose fields cannot be read
 * is counted but not entered, and named in {@link Size#opaque()}. Not thread-safe: walk a graph nobody changes.
 */
final class RetainedGraph {
    private static final int HEADER = 12;
    private static final int ARRAY_HEADER = 16;
    private static final int REFERENCE = 4;
    private static final Map<Class<?>, Optional<List<Field>>> FIELDS = new ConcurrentHashMap<>();
    private static final Map<Class<?>, Long> SHALLOW = new ConcurrentHashMap<>();

    private RetainedGraph() {
    }

    /**
     * What a graph keeps.
     *
     * @param objects objects reached
     * @param bytes their estimated shallow sizes, summed
     * @param byClass objects and bytes per class name
     * @param opaque classes whose fields could not be read (counted, not entered)
     */
    record Size(long objects, long bytes, Map<String, Use> byClass, Set<String> opaque) {
        /** Copies the maps. */
        Size {
            byClass = Collections.unmodifiableMap(new TreeMap<>(byClass));
            opaque = Collections.unmodifiableSet(new TreeSet<>(opaque));
        }

        /**
         * @param earlier the same graph measured earlier
         * @return the classes whose objects or bytes changed since, as {@code name: objects (bytes) → ...}
         */
        List<String> changedSince(Size earlier) {
            Set<String> names = new TreeSet<>(byClass.keySet());
            names.addAll(earlier.byClass.keySet());
            List<String> changed = new ArrayList<>();
            for (String name : names) {
                Use now = byClass.getOrDefault(name, Use.NONE);
                Use then = earlier.byClass.getOrDefault(name, Use.NONE);
                if (!now.equals(then)) {
                    changed.add(name + ": " + then.objects() + " (" + then.bytes() + " B) -> " + now.objects() + " ("
                            + now.bytes() + " B)");
                }
            }
            return changed;
        }
    }

    /**
     * Objects and bytes of one class.
     *
     * @param objects objects
     * @param bytes estimated shallow bytes
     */
    record Use(long objects, long bytes) {
        static final Use NONE = new Use(0, 0);

        Use plus(Use other) {
            return new Use(objects + other.objects, bytes + other.bytes);
        }
    }

    /**
     * @param root where the walk starts
     * @param boundaries objects not to count nor enter (by identity)
     * @return what the graph keeps
     */
    static Size of(Object root, Collection<?> boundaries) {
        Set<Object> stop = Collections.newSetFromMap(new IdentityHashMap<>());
        stop.addAll(boundaries);
        Set<Object> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        Deque<Object> todo = new ArrayDeque<>();
        Map<String, Use> byClass = new TreeMap<>();
        Set<String> opaque = new TreeSet<>();
        long objects = 0;
        long bytes = 0;
        todo.push(root);
        seen.add(root);
        while (!todo.isEmpty()) {
            Object o = todo.pop();
            Class<?> type = o.getClass();
            long size = shallowSize(o);
            objects++;
            bytes += size;
            byClass.merge(type.getName(), new Use(1, size), Use::plus);
            List<Object> next = new ArrayList<>();
            if (type.isArray()) {
                if (!type.getComponentType().isPrimitive()) {
                    Collections.addAll(next, (Object[]) o);
                }
            } else if (o instanceof ThreadPoolExecutor executor) {
                // the tasks it holds, not its queue's own nodes: those of its idle threads waiting for work come and
                // go with the threads (bounded by the pool's size), not with the jobs
                Collections.addAll(next, executor.getQueue().toArray());
            } else if (!references(o, next)) {
                opaque.add(type.getName());
            }
            for (Object n : next) {
                if (n != null && !stop.contains(n) && !outside(n) && seen.add(n)) {
                    todo.push(n);
                }
            }
        }
        return new Size(objects, bytes, byClass, opaque);
    }

    /** @return whether the object belongs to the JVM or the logging system rather than to the graph */
    private static boolean outside(Object o) {
        return o instanceof Class<?> || o instanceof ClassLoader || o instanceof Thread || o instanceof ThreadGroup
                || o instanceof Module || o instanceof org.slf4j.Logger || o instanceof java.lang.ref.Reference<?>
                || o instanceof java.security.ProtectionDomain;
    }

    /** Adds the values of the object's reference fields; @return false when they cannot be read */
    private static boolean references(Object o, List<Object> into) {
        Optional<List<Field>> fields = FIELDS.computeIfAbsent(o.getClass(), RetainedGraph::readableFields);
        if (fields.isEmpty()) {
            return false;
        }
        try {
            for (Field f : fields.get()) {
                into.add(f.get(o));
            }
            return true;
        } catch (IllegalAccessException e) {
            return false;
        }
    }

    /** @return the reference fields of the class and its superclasses, made readable; empty when they cannot be */
    private static Optional<List<Field>> readableFields(Class<?> type) {
        List<Field> fields = new ArrayList<>();
        try {
            for (Class<?> c = type; c != null; c = c.getSuperclass()) {
                for (Field f : c.getDeclaredFields()) {
                    if (!Modifier.isStatic(f.getModifiers()) && !f.getType().isPrimitive()) {
                        f.setAccessible(true);
                        fields.add(f);
                    }
                }
            }
        } catch (InaccessibleObjectException e) {
            return Optional.empty();
        }
        return Optional.of(List.copyOf(fields));
    }

    private static long shallowSize(Object o) {
        Class<?> type = o.getClass();
        if (type.isArray()) {
            Class<?> component = type.getComponentType();
            long element = component.isPrimitive() ? primitiveSize(component) : REFERENCE;
            return align(ARRAY_HEADER + element * Array.getLength(o));
        }
        return SHALLOW.computeIfAbsent(type, RetainedGraph::instanceSize);
    }

    private static long instanceSize(Class<?> type) {
        long size = HEADER;
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            for (Field f : c.getDeclaredFields()) {
                if (!Modifier.isStatic(f.getModifiers())) {
                    size += f.getType().isPrimitive() ? primitiveSize(f.getType()) : REFERENCE;
                }
            }
        }
        return align(size);
    }

    private static long primitiveSize(Class<?> type) {
        if (type == long.class || type == double.class) {
            return 8;
        }
        if (type == int.class || type == float.class) {
            return 4;
        }
        if (type == short.class || type == char.class) {
            return 2;
        }
        return 1;
    }

    private static long align(long size) {
        return (size + 7) / 8 * 8;
    }
}
