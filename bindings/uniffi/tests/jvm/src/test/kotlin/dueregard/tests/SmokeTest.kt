package dueregard.tests

import dueregard.DueregardException
import dueregard.checkIdentifier
import dueregard.version
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows

class SmokeTest {
    @Test
    fun versionIsReported() {
        assertTrue(version().isNotEmpty())
    }

    @Test
    fun errorIsTyped() {
        val e = assertThrows<DueregardException.Validation> { checkIdentifier(" ") }
        assertEquals("id", e.field)
    }
}
