package dueregard.example

import dueregard.*
import java.time.Instant

fun main() {
    Tracker.example().use { tracker -> // or Tracker.open("council.db") for a SQLite store
        val action = tracker.actions().first { it.state == ActionState.PLANNED }
        val command = """{"verify_action": {"action": "${action.id}"}}"""
        try {
            tracker.execute(Submission("admin", Instant.now(), command))
        } catch (e: DueregardException.InvalidTransition) {
            println("refused: ${e.detail}")
        }
        println(tracker.summary("2025-03-31").actions)
    }
}
