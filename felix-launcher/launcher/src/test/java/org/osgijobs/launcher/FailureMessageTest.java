package org.osgijobs.launcher;

import static org.junit.Assert.assertEquals;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.UndeclaredThrowableException;
import java.util.concurrent.ExecutionException;

import org.junit.Test;

public class FailureMessageTest {

    @Test
    public void aCommandsOwnMessageIsTheMessage() {
        assertEquals("unknown pipeline 'x'", FailureMessage.of(new IllegalArgumentException("unknown pipeline 'x'")));
    }

    @Test
    public void reflectionWrappersArePeeledOff() {
        Exception jobs = new IllegalStateException("pipeline 'x': driver memory unavailable");
        Exception wrapped = new InvocationTargetException(new UndeclaredThrowableException(
                new InvocationTargetException(jobs)));
        assertEquals("pipeline 'x': driver memory unavailable", FailureMessage.of(wrapped));
    }

    @Test
    public void aWrapperWithoutAMessageOfItsOwnIsPeeledOff() {
        Exception jobs = new IllegalStateException("push timed out");
        assertEquals("push timed out", FailureMessage.of(new RuntimeException(new ExecutionException(jobs))));
    }

    @Test
    public void aMessageThatSaysMoreThanTheCauseIsKept() {
        Exception failure = new IllegalStateException("Activator start error in bundle x [12].",
                new RuntimeException("boom"));
        assertEquals("Activator start error in bundle x [12].", FailureMessage.of(failure));
    }

    @Test
    public void anErrorIsNamedWithItsType() {
        assertEquals("java.lang.StackOverflowError",
                FailureMessage.of(new InvocationTargetException(new InvocationTargetException(
                        new StackOverflowError()))));
        assertEquals("java.lang.NoClassDefFoundError: org/example/Gone",
                FailureMessage.of(new InvocationTargetException(new NoClassDefFoundError("org/example/Gone"))));
    }

    @Test
    public void aFailureWithoutAnyMessageIsNamedWithItsType() {
        assertEquals("java.lang.reflect.InvocationTargetException",
                FailureMessage.of(new InvocationTargetException(null)));
        assertEquals("java.lang.NullPointerException", FailureMessage.of(new NullPointerException()));
    }

    @Test
    public void aCycleOfCausesEnds() {
        RuntimeException a = new RuntimeException();
        RuntimeException b = new RuntimeException(a);
        a.initCause(b);
        assertEquals("java.lang.RuntimeException", FailureMessage.of(a));
    }
}
