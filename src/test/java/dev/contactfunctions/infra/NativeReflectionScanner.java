package dev.contactfunctions.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import org.jboss.jandex.AnnotationInstance;
import org.jboss.jandex.AnnotationTarget;
import org.jboss.jandex.AnnotationValue;
import org.jboss.jandex.ClassInfo;
import org.jboss.jandex.DotName;
import org.jboss.jandex.FieldInfo;
import org.jboss.jandex.MethodInfo;
import org.jboss.jandex.RecordComponentInfo;
import org.jboss.jandex.Type;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.LdcInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.VarInsnNode;
import org.objectweb.asm.tree.analysis.Analyzer;
import org.objectweb.asm.tree.analysis.AnalyzerException;
import org.objectweb.asm.tree.analysis.BasicValue;
import org.objectweb.asm.tree.analysis.Frame;
import org.objectweb.asm.tree.analysis.SimpleVerifier;
import org.objectweb.asm.tree.analysis.SourceInterpreter;
import org.objectweb.asm.tree.analysis.SourceValue;

/**
 * Finds the types of the main code that a native image must register for reflection because Jackson reads or
 * writes them, and those among them that are not registered. The rule is documented on {@link NativeReflectionTest}.
 */
final class NativeReflectionScanner {

    static final DotName REGISTER_FOR_REFLECTION =
            DotName.createSimple("io.quarkus.runtime.annotations.RegisterForReflection");
    static final DotName REGISTER_REST_CLIENT =
            DotName.createSimple("org.eclipse.microprofile.rest.client.inject.RegisterRestClient");
    static final DotName TYPE_REFERENCE = DotName.createSimple("com.fasterxml.jackson.core.type.TypeReference");
    /** Never part of the deployed artifact (a test-only emulator; a main source only in the local run). */
    static final List<String> EXCLUDED_PACKAGES = List.of("dev.contactfunctions.sandbox.");

    private static final List<String> JACKSON_ANNOTATION_PACKAGES =
            List.of("com.fasterxml.jackson.annotation.", "com.fasterxml.jackson.databind.annotation.");
    private static final String DATABIND = "com/fasterxml/jackson/databind/";
    private static final Set<String> WRITES = Set.of("writeValue", "writeValueAsString", "writeValueAsBytes",
            "valueToTree", "convertValue", "writeValues", "write");
    private static final Set<String> CLASS_ARGUMENTS =
            Set.of("java/lang/Class", "java/lang/reflect/Type", "com/fasterxml/jackson/databind/JavaType");

    /** A required type that is not registered, and why it is required. */
    record Finding(String type, String reason) {
        @Override
        public String toString() {
            return type + ": " + reason;
        }
    }

    private enum Sink {
        READ, WRITE
    }

    private final CompiledClasses classes;
    private final ClassLoader loader;
    private final Set<DotName> registered = new TreeSet<>();
    private final Set<DotName> automatic = new TreeSet<>();
    private final Map<DotName, String> required = new TreeMap<>();
    private final Map<DotName, String> seeds = new LinkedHashMap<>();
    /** Methods of ours that pass a parameter on to Jackson: owner.name+descriptor -> parameter index -> kind. */
    private final Map<String, Map<Integer, Sink>> sinks = new HashMap<>();
    private final List<Finding> problems = new ArrayList<>();

    private NativeReflectionScanner(CompiledClasses classes, ClassLoader loader) {
        this.classes = classes;
        this.loader = loader;
    }

    static NativeReflectionScanner scan(CompiledClasses classes, ClassLoader loader) {
        NativeReflectionScanner scanner = new NativeReflectionScanner(classes, loader);
        scanner.collectRegistrations();
        scanner.collectAutomatic();
        scanner.collectAnnotated();
        scanner.collectTypeReferences();
        scanner.collectBytecodeUses();
        scanner.walk();
        return scanner;
    }

    /** Required types that are neither registered nor registered by Quarkus itself, plus analysis problems. */
    List<Finding> unregistered() {
        List<Finding> findings = new ArrayList<>(problems);
        required.forEach((type, reason) -> {
            if (!registered.contains(type) && !automatic.contains(type)) {
                findings.add(new Finding(type.toString(), reason));
            }
        });
        return findings;
    }

    Map<String, String> required() {
        Map<String, String> result = new TreeMap<>();
        required.forEach((k, v) -> result.put(k.toString(), v));
        return result;
    }

    Set<String> registered() {
        return names(registered);
    }

    /** Types Quarkus registers on its own: REST client signatures and handler input/output, with their fields. */
    Set<String> automatic() {
        return names(automatic);
    }

    // ---------------------------------------------------------------- what is registered

    private void collectRegistrations() {
        for (AnnotationInstance a : classes.index().getAnnotations(REGISTER_FOR_REFLECTION)) {
            if (a.target().kind() != AnnotationTarget.Kind.CLASS) {
                continue;
            }
            boolean ignoreNested = a.value("ignoreNested") != null && a.value("ignoreNested").asBoolean();
            boolean fullHierarchy = a.value("registerFullHierarchy") != null
                    && a.value("registerFullHierarchy").asBoolean();
            AnnotationValue targets = a.value("targets");
            AnnotationValue classNames = a.value("classNames");
            List<DotName> names = new ArrayList<>();
            if (targets == null && classNames == null) {
                names.add(a.target().asClass().name());
            }
            if (targets != null) {
                for (Type t : targets.asClassArray()) {
                    names.add(t.name());
                }
            }
            if (classNames != null) {
                for (String n : classNames.asStringArray()) {
                    names.add(DotName.createSimple(n));
                }
            }
            for (DotName name : names) {
                register(name, !ignoreNested);
                if (fullHierarchy) {
                    registered.addAll(fieldClosure(name));
                }
            }
        }
    }

    private void register(DotName name, boolean nested) {
        registered.add(name);
        if (nested) {
            classes.find(name).ifPresent(c -> c.memberClasses().forEach(m -> register(m, true)));
        }
    }

    // ---------------------------------------------------------------- what Quarkus registers itself

    private void collectAutomatic() {
        for (AnnotationInstance a : classes.index().getAnnotations(REGISTER_REST_CLIENT)) {
            ClassInfo client = a.target().asClass();
            for (MethodInfo m : client.methods()) {
                List<Type> signature = new ArrayList<>(m.parameterTypes());
                signature.add(m.returnType());
                for (Type t : signature) {
                    for (DotName name : ours(t)) {
                        automatic.addAll(fieldClosure(name));
                        seeds.putIfAbsent(name, "is in the REST client signature of " + client.simpleName() + "."
                                + m.name());
                    }
                }
            }
        }
        classes.handlerTypes().forEach((handler, types) -> {
            for (Type t : types) {
                for (DotName name : ours(t)) {
                    automatic.addAll(fieldClosure(name));
                    seeds.putIfAbsent(name, "is the input or output of handler " + handler);
                }
            }
        });
    }

    /** A type and, transitively, the types of its fields, record components and getters (ours only). */
    private Set<DotName> fieldClosure(DotName start) {
        Set<DotName> seen = new TreeSet<>();
        Deque<DotName> queue = new ArrayDeque<>(List.of(start));
        while (!queue.isEmpty()) {
            DotName name = queue.pop();
            if (!seen.add(name)) {
                continue;
            }
            classes.find(name).ifPresent(c -> {
                memberTypes(c).keySet().forEach(queue::add);
                if (c.superName() != null && isOurs(c.superName())) {
                    queue.add(c.superName());
                }
            });
        }
        return seen;
    }

    // ---------------------------------------------------------------- rule 1: Jackson annotations

    private void collectAnnotated() {
        for (ClassInfo c : ourClasses()) {
            for (AnnotationInstance a : c.annotations()) {
                String annotation = a.name().toString();
                if (JACKSON_ANNOTATION_PACKAGES.stream().anyMatch(annotation::startsWith)) {
                    seeds.putIfAbsent(c.name(), "carries the Jackson annotation @" + a.name().local()
                            + (a.target().kind() == AnnotationTarget.Kind.CLASS ? "" : " (on " + a.target() + ")"));
                    break;
                }
            }
        }
    }

    // ---------------------------------------------------------------- rule 2: read through a TypeReference

    private void collectTypeReferences() {
        for (ClassInfo c : ourClasses()) {
            Type superType = c.superClassType();
            if (superType != null && superType.name().equals(TYPE_REFERENCE)
                    && superType.kind() == Type.Kind.PARAMETERIZED_TYPE) {
                for (DotName name : ours(superType)) {
                    seeds.putIfAbsent(name, "is read by Jackson through the TypeReference " + c.name());
                }
            }
        }
    }

    // ---------------------------------------------------------------- rules 2 and 3: bytecode

    private void collectBytecodeUses() {
        List<ClassNode> nodes = new ArrayList<>();
        for (Path file : classes.classFiles()) {
            ClassNode node = new ClassNode();
            try {
                new ClassReader(Files.readAllBytes(file)).accept(node, ClassReader.SKIP_FRAMES);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            if (isOurs(DotName.createSimple(node.name.replace('/', '.')))) {
                nodes.add(node);
            }
        }
        int before;
        do {
            before = sinkCount();
            for (ClassNode node : nodes) {
                for (MethodNode method : node.methods) {
                    if (callsJacksonOrASink(method)) {
                        analyse(node, method);
                    }
                }
            }
        } while (sinkCount() != before);
    }

    private int sinkCount() {
        return sinks.values().stream().mapToInt(Map::size).sum();
    }

    private boolean callsJacksonOrASink(MethodNode method) {
        for (AbstractInsnNode insn : method.instructions) {
            if (insn instanceof MethodInsnNode call
                    && (call.owner.startsWith(DATABIND) || sinks.containsKey(key(call.owner, call.name, call.desc)))) {
                return true;
            }
        }
        return false;
    }

    private void analyse(ClassNode owner, MethodNode method) {
        Frame<SourceValue>[] sources;
        Frame<BasicValue>[] types;
        try {
            sources = new Analyzer<>(new SourceInterpreter()).analyze(owner.name, method);
            SimpleVerifier verifier = new SimpleVerifier(Opcodes.ASM9, org.objectweb.asm.Type.getObjectType(owner.name),
                    owner.superName == null ? null : org.objectweb.asm.Type.getObjectType(owner.superName),
                    owner.interfaces.stream().map(org.objectweb.asm.Type::getObjectType).toList(),
                    (owner.access & Opcodes.ACC_INTERFACE) != 0) {
            };
            verifier.setClassLoader(loader);
            types = new Analyzer<>(verifier).analyze(owner.name, method);
        } catch (AnalyzerException | RuntimeException e) {
            problems.add(new Finding(owner.name.replace('/', '.') + "." + method.name,
                    "could not be analysed (" + e + "); check its Jackson use by hand"));
            return;
        }
        String where = owner.name.replace('/', '.') + "." + method.name;
        AbstractInsnNode[] insns = method.instructions.toArray();
        for (int i = 0; i < insns.length; i++) {
            if (!(insns[i] instanceof MethodInsnNode call) || sources[i] == null || types[i] == null) {
                continue;
            }
            org.objectweb.asm.Type[] arguments = org.objectweb.asm.Type.getArgumentTypes(call.desc);
            Map<Integer, Sink> kinds = new HashMap<>();
            if (call.owner.startsWith(DATABIND)) {
                for (int a = 0; a < arguments.length; a++) {
                    String argument = arguments[a].getInternalName();
                    if (arguments[a].getSort() == org.objectweb.asm.Type.OBJECT && CLASS_ARGUMENTS.contains(argument)) {
                        kinds.put(a, Sink.READ);
                    } else if (WRITES.contains(call.name) && argument.equals("java/lang/Object")) {
                        kinds.put(a, Sink.WRITE);
                    }
                }
            } else {
                kinds.putAll(sinks.getOrDefault(key(call.owner, call.name, call.desc), Map.of()));
            }
            int first = sources[i].getStackSize() - arguments.length;
            for (Map.Entry<Integer, Sink> entry : kinds.entrySet()) {
                int slot = first + entry.getKey();
                SourceValue source = sources[i].getStack(slot);
                if (entry.getValue() == Sink.READ) {
                    for (AbstractInsnNode producer : source.insns) {
                        if (producer instanceof LdcInsnNode ldc && ldc.cst instanceof org.objectweb.asm.Type t) {
                            seedFromAsm(t, "is read by Jackson in " + where + " (class literal)");
                        }
                    }
                } else {
                    BasicValue value = types[i].getStack(slot);
                    if (value != null && value.getType() != null) {
                        seedFromAsm(value.getType(), "is written by Jackson in " + where);
                    }
                }
                forwardedParameter(method, sources[i], source)
                        .ifPresent(p -> sinks.computeIfAbsent(key(owner.name, method.name, method.desc),
                                k -> new HashMap<>()).put(p, entry.getValue()));
            }
        }
    }

    /** The parameter index when the value is a method parameter loaded unchanged. */
    private static java.util.Optional<Integer> forwardedParameter(MethodNode method, Frame<SourceValue> frame,
            SourceValue value) {
        if (value.insns.size() != 1 || !(value.insns.iterator().next() instanceof VarInsnNode load)
                || load.getOpcode() != Opcodes.ALOAD || !frame.getLocal(load.var).insns.isEmpty()) {
            return java.util.Optional.empty();
        }
        int slot = (method.access & Opcodes.ACC_STATIC) != 0 ? 0 : 1;
        org.objectweb.asm.Type[] parameters = org.objectweb.asm.Type.getArgumentTypes(method.desc);
        for (int p = 0; p < parameters.length; p++) {
            if (slot == load.var) {
                return java.util.Optional.of(p);
            }
            slot += parameters[p].getSize();
        }
        return java.util.Optional.empty();
    }

    private void seedFromAsm(org.objectweb.asm.Type type, String reason) {
        org.objectweb.asm.Type element = type.getSort() == org.objectweb.asm.Type.ARRAY ? type.getElementType() : type;
        if (element.getSort() == org.objectweb.asm.Type.OBJECT) {
            DotName name = DotName.createSimple(element.getClassName());
            if (isOurs(name)) {
                seeds.putIfAbsent(name, reason);
            }
        }
    }

    private static String key(String owner, String name, String desc) {
        return owner + "." + name + desc;
    }

    // ---------------------------------------------------------------- rule 4: reachability

    private void walk() {
        Deque<Map.Entry<DotName, String>> queue = new ArrayDeque<>(seeds.entrySet());
        Set<DotName> seen = new HashSet<>();
        while (!queue.isEmpty()) {
            Map.Entry<DotName, String> next = queue.pop();
            DotName name = next.getKey();
            if (!seen.add(name)) {
                continue;
            }
            ClassInfo c = classes.find(name).orElse(null);
            if (c == null || c.isAnnotation()) {
                continue;
            }
            String via = c.simpleName();
            if (c.isInterface() || c.isAbstract()) {
                List<ClassInfo> implementations = new ArrayList<>(classes.index().getAllKnownImplementors(name));
                implementations.addAll(classes.index().getAllKnownSubclasses(name));
                for (ClassInfo impl : implementations) {
                    if (isOurs(impl.name())) {
                        queue.add(Map.entry(impl.name(), "implements or extends " + via
                                + ", so Jackson meets it as a runtime value (" + via + " " + next.getValue() + ")"));
                    }
                }
            }
            if (c.isInterface()) {
                continue;
            }
            boolean jacksonAnnotated = c.annotations().stream().anyMatch(a -> JACKSON_ANNOTATION_PACKAGES.stream()
                    .anyMatch(a.name().toString()::startsWith));
            if (c.isEnum() && !jacksonAnnotated) {
                continue;
            }
            required.putIfAbsent(name, next.getValue());
            if (c.superName() != null && isOurs(c.superName())) {
                queue.add(Map.entry(c.superName(), "is the superclass of " + via + ", whose members Jackson reads"));
            }
            memberTypes(c).forEach((type, member) -> queue.add(Map.entry(type,
                    "is the type of " + via + "." + member + " (" + via + " " + next.getValue() + ")")));
        }
    }

    /** Our types used by a class's instance fields, record components and getters, with the member naming them. */
    private Map<DotName, String> memberTypes(ClassInfo c) {
        Map<DotName, String> found = new LinkedHashMap<>();
        for (RecordComponentInfo component : c.recordComponents()) {
            ours(component.type()).forEach(t -> found.putIfAbsent(t, component.name()));
        }
        for (FieldInfo field : c.fields()) {
            if (!java.lang.reflect.Modifier.isStatic(field.flags())) {
                ours(field.type()).forEach(t -> found.putIfAbsent(t, field.name()));
            }
        }
        for (MethodInfo method : c.methods()) {
            boolean getter = method.parametersCount() == 0 && java.lang.reflect.Modifier.isPublic(method.flags())
                    && !java.lang.reflect.Modifier.isStatic(method.flags())
                    && (method.name().startsWith("get") || method.name().startsWith("is"));
            if (getter) {
                ours(method.returnType()).forEach(t -> found.putIfAbsent(t, method.name() + "()"));
            }
        }
        return found;
    }

    /** Our classes named anywhere in a type: itself, its type arguments, bounds and array elements. */
    private List<DotName> ours(Type type) {
        List<DotName> names = new ArrayList<>();
        collect(type, names);
        return names;
    }

    private void collect(Type type, List<DotName> names) {
        switch (type.kind()) {
            case CLASS -> {
                if (isOurs(type.name())) {
                    names.add(type.name());
                }
            }
            case PARAMETERIZED_TYPE -> {
                if (isOurs(type.name())) {
                    names.add(type.name());
                }
                type.asParameterizedType().arguments().forEach(a -> collect(a, names));
            }
            case ARRAY -> collect(type.asArrayType().elementType(), names);
            case WILDCARD_TYPE -> {
                if (type.asWildcardType().superBound() != null) {
                    collect(type.asWildcardType().superBound(), names);
                }
                collect(type.asWildcardType().extendsBound(), names);
            }
            case TYPE_VARIABLE -> type.asTypeVariable().bounds().forEach(b -> collect(b, names));
            default -> {
            }
        }
    }

    private List<ClassInfo> ourClasses() {
        return classes.index().getKnownClasses().stream().filter(c -> isOurs(c.name())).toList();
    }

    private static boolean isOurs(DotName name) {
        String n = name.toString();
        return n.startsWith(CompiledClasses.ROOT_PACKAGE) && EXCLUDED_PACKAGES.stream().noneMatch(n::startsWith);
    }

    private static Set<String> names(Set<DotName> names) {
        Set<String> result = new TreeSet<>();
        names.forEach(n -> result.add(n.toString()));
        return result;
    }
}
