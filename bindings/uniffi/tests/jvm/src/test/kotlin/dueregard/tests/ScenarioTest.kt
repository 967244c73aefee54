package dueregard.tests

import dueregard.ActionState
import dueregard.DueregardException
import dueregard.EntityKind
import dueregard.OverdueKind
import dueregard.ResponseState
import dueregard.Submission
import dueregard.Tracker
import dueregard.panicProbe
import dueregard.responseId
import dueregard.version
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows
import org.junit.jupiter.api.io.TempDir
import java.nio.file.Path
import java.time.Duration
import java.time.Instant

/** The uniffi bindings from Kotlin: a plan's lifecycle in a SQLite store. */
class ScenarioTest {
    @TempDir
    lateinit var dir: Path

    private val start = Instant.parse("2024-04-01T09:00:00Z")
    private var n = 0L

    /** One command; instants increase by an hour per command (date order is a rule). */
    private fun cmd(actor: String, json: String, evidence: List<String> = emptyList()) =
        Submission(actor, start + Duration.ofHours(++n), json, null, evidence)

    private fun setUpPlan(t: Tracker) = t.executeBatch(
        listOf(
            cmd("admin", """{"register_body": {"id": "office", "name": "Tracker office", "kind": "other"}}"""),
            cmd("admin", """{"register_actor": {"id": "admin", "name": "Administrator", "body": "office", "roles": ["administrator"]}}"""),
            cmd("admin", """{"register_body": {"id": "force", "name": "Example Police", "kind": "police_force"}}"""),
            cmd("admin", """{"register_body": {"id": "council", "name": "Example Council", "kind": "council"}}"""),
            cmd("admin", """{"register_body": {"id": "panel", "name": "Example panel", "kind": "police_and_crime_panel"}}"""),
            cmd("admin", """{"register_actor": {"id": "owner", "name": "Borough commander", "body": "force", "roles": ["owner"]}}"""),
            cmd("admin", """{"register_actor": {"id": "verifier", "name": "Safety officer", "body": "council", "roles": ["verifier"]}}"""),
            cmd("admin", """{"register_actor": {"id": "chair", "name": "Panel chair", "body": "panel", "roles": ["scrutineer"]}}"""),
            cmd("chair", """{"publish_review": {"id": "rev", "title": "Neighbourhood policing review", "kind": "panel_report", "publisher": "panel", "published": "2024-04-01"}}"""),
            cmd("chair", """{"add_recommendation": {"id": "rev/R1", "review": "rev", "number": "1", "title": "Keep neighbourhood officers in post", "addressees": ["force"]}}"""),
            cmd("owner", """{"respond": {"response": "${responseId("rev/R1", "force")}", "answer": "accept"}}"""),
            cmd("owner", """{"create_plan": {"id": "plan", "title": "Local action plan", "kind": "local", "owner": "force"}}"""),
            cmd("owner", """{"add_action": {"id": "plan/A1", "plan": "plan", "title": "Two-year tenure", "answers": ["rev/R1"], "due": "2025-03-31"}}"""),
            cmd("owner", """{"add_action": {"id": "plan/A2", "plan": "plan", "title": "Ward panels", "due": "2025-03-31"}}"""),
        ),
    )

    @Test
    fun planLifecycleInAStore() {
        val path = dir.resolve("tracker.db").toString()
        Tracker.open(path).use { t ->
            assertEquals(14, setUpPlan(t).size)
            assertEquals(ResponseState.ACCEPTED, t.response("rev/R1@force").state)

            t.execute(cmd("owner", """{"start_action": {"action": "plan/A1"}}"""))
            t.execute(cmd("owner", """{"submit_evidence": {"id": "ev1", "about": {"kind": "action", "id": "plan/A1"}, "reference": "rota 2024/25", "description": "tenure rota"}}"""))
            t.execute(cmd("owner", """{"complete_action": {"action": "plan/A1"}}"""))
            val event = t.execute(cmd("verifier", """{"verify_action": {"action": "plan/A1"}}""", listOf("ev1")))
            assertEquals("ActionVerified", event.name)
            assertEquals(EntityKind.ACTION, event.subjectKind)

            val action = t.action("plan/A1")
            assertEquals(ActionState.VERIFIED, action.state)
            assertEquals("verifier", action.verified?.actor)
            assertEquals(
                listOf("ActionAdded", "ActionStarted", "EvidenceSubmitted", "ActionCompleted", "ActionVerified"),
                t.history(EntityKind.ACTION, "plan/A1").map { it.name },
            )
            val lastDay = t.events().last().at.toString().substring(0, 10)
            assertEquals(action, t.actionAsOf("plan/A1", lastDay))
            assertEquals(null, t.actionAsOf("plan/A1", "2000-01-01"))
            assertEquals(emptyList<String>(), t.history(EntityKind.ACTION, "plan/A1", "2000-01-01").map { it.name })
            Tracker.open(path).use { reopened ->
                assertEquals(t.version(), reopened.version())
                assertTrue(reopened.verify().intact)
            }
        }
    }

    @Test
    fun illegalTransitionAndNotAuthorisedAreTyped() {
        Tracker.open(dir.resolve("tracker.db").toString()).use { t ->
            setUpPlan(t)
            val before = t.version()
            val bad = assertThrows<DueregardException.InvalidTransition> {
                t.execute(cmd("owner", """{"complete_action": {"action": "plan/A2"}}"""))
            }
            assertEquals(EntityKind.ACTION, bad.kind)
            assertEquals("planned", bad.state)
            assertEquals("complete_action", bad.command)
            assertTrue("start_action" in bad.allowed)
            assertTrue(bad.message!!.startsWith("detail="))

            val denied = assertThrows<DueregardException.NotAuthorised> {
                t.execute(cmd("verifier", """{"start_action": {"action": "plan/A2"}}"""))
            }
            assertEquals("verifier", denied.actor)
            assertTrue(denied.reason.isNotBlank())
            assertThrows<DueregardException.UnknownId> { t.action("plan/A9") }
            assertEquals(before, t.version())
        }
    }

    @Test
    fun summaryReport() {
        Tracker.open(dir.resolve("tracker.db").toString()).use { t ->
            setUpPlan(t)
            t.execute(cmd("owner", """{"start_action": {"action": "plan/A1"}}"""))
            val s = t.summary("2025-06-30")
            assertEquals(1L, s.recommendations)
            assertEquals(mapOf("accepted" to 1L), s.responses)
            assertEquals(mapOf("in_progress" to 1L, "planned" to 1L), s.actions)
            val line = s.plans.single()
            assertEquals(listOf<Any>("plan", 2L, 0L, 2L), listOf(line.plan, line.actions, line.done, line.overdue))
            val late = t.overdue("2025-06-30")
            assertEquals(listOf("plan/A1", "plan/A2"), late.map { it.id }.sorted())
            assertTrue(late.all { it.kind == OverdueKind.ACTION && it.daysLate == 91L })
            assertEquals(listOf("plan/A2"), t.coverage("2025-06-30").actionsAnsweringNothing)
            val e = assertThrows<DueregardException.Invalid> { t.summary("30/06/2025") }
            assertEquals("as_of", e.field)
        }
    }

    @Test
    fun exampleTrackerAndDocuments() {
        Tracker.example().use { example ->
            assertEquals(16, example.review("casey-2023").recommendations.size)
            Tracker.fromJson(example.toJson()).use { copy ->
                assertEquals(example.version(), copy.version())
                assertThrows<DueregardException.NotStored> { copy.verify() }
            }
        }
    }

    @Test
    fun aPanicBecomesAnException() {
        val e = assertThrows<DueregardException.Internal> { panicProbe() }
        assertTrue("panic probe" in e.detail)
        assertTrue(version().isNotEmpty())
    }
}
