package dueregard.tests

import dueregard.example.JavaExample
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import java.io.ByteArrayOutputStream
import java.io.PrintStream

/** The examples shown in docs/bindings.md run as written. */
class ExamplesTest {
    private fun captured(block: () -> Unit): String {
        val saved = System.out
        val out = ByteArrayOutputStream()
        System.setOut(PrintStream(out, true))
        try {
            block()
        } finally {
            System.setOut(saved)
        }
        return out.toString()
    }

    @Test
    fun kotlinExample() {
        val text = captured { dueregard.example.main() }
        assertTrue(text.startsWith("refused: action "), text)
        assertTrue("planned=" in text, text)
    }

    @Test
    fun javaExample() {
        val text = captured { JavaExample.main(arrayOf()) }
        assertTrue(text.startsWith("refused: action "), text)
        assertTrue("planned=" in text, text)
    }
}
