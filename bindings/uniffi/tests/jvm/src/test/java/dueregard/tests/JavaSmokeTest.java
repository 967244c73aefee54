package dueregard.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dueregard.DueregardException;
import dueregard.Dueregard_uniffiKt;
import org.junit.jupiter.api.Test;

class JavaSmokeTest {
    @Test
    void errorIsTyped() {
        DueregardException.Validation e = assertThrows(
            DueregardException.Validation.class, () -> Dueregard_uniffiKt.checkIdentifier(""));
        assertEquals("id", e.getField());
    }
}
