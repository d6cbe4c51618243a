package dev.ecroidcguard.testing;

import org.junit.jupiter.api.ClassOrderer;
import org.junit.jupiter.api.ClassOrdererContext;

import java.util.Comparator;

/** The default class order (junit-platform.properties), except that {@link RunsLast} classes come after all others. */
public final class LastClassesLast implements ClassOrderer {

    @Override
    public void orderClasses(ClassOrdererContext context) {
        // A stable sort: the other classes keep the order JUnit discovered them in.
        context.getClassDescriptors().sort(Comparator.comparing(d -> d.isAnnotated(RunsLast.class)));
    }
}
