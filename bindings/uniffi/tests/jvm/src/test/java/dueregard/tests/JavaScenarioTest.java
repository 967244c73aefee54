package dueregard.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dueregard.ActionState;
import dueregard.DueregardException;
import dueregard.Submission;
import dueregard.SummaryRecord;
import dueregard.Tracker;
import dueregard.example.CouncilCaseSystem;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The uniffi bindings called from plain Java. */
class JavaScenarioTest {
    @TempDir Path dir;

    private static final Instant START = Instant.parse("2024-04-01T09:00:00Z");
    private long n = 0;

    private Submission cmd(String actor, String json, List<String> evidence) {
        n++;
        return new Submission(actor, START.plusSeconds(3600 * n), json, null, evidence);
    }

    private Submission cmd(String actor, String json) {
        return cmd(actor, json, List.of());
    }

    @Test
    void planLifecycleErrorsAndReport() throws DueregardException {
        try (Tracker t = Tracker.Companion.open(dir.resolve("tracker.db").toString())) {
            t.executeBatch(CouncilCaseSystem.setUpCommands(START));
            n = 100;
            t.execute(cmd("owner", "{\"start_action\": {\"action\": \"plan/A1\"}}"));
            t.execute(cmd("owner", "{\"submit_evidence\": {\"id\": \"ev1\", \"about\": {\"kind\": \"action\", \"id\": \"plan/A1\"}, \"reference\": \"rota\", \"description\": \"tenure rota\"}}"));
            t.execute(cmd("owner", "{\"complete_action\": {\"action\": \"plan/A1\"}}"));
            t.execute(cmd("verifier", "{\"verify_action\": {\"action\": \"plan/A1\"}}", List.of("ev1")));
            assertEquals(ActionState.VERIFIED, t.action("plan/A1").getState());

            DueregardException.InvalidTransition bad = assertThrows(
                DueregardException.InvalidTransition.class,
                () -> t.execute(cmd("owner", "{\"complete_action\": {\"action\": \"plan/A2\"}}")));
            assertEquals("planned", bad.getState());
            assertTrue(bad.getAllowed().contains("start_action"));

            DueregardException.NotAuthorised denied = assertThrows(
                DueregardException.NotAuthorised.class,
                () -> t.execute(cmd("verifier", "{\"start_action\": {\"action\": \"plan/A2\"}}")));
            assertEquals("verifier", denied.getActor());

            SummaryRecord s = t.summary("2025-06-30");
            assertEquals(1L, s.getPlans().get(0).getVerified());
            assertEquals(1L, s.getActions().get("verified"));
        }
    }

    @Test
    void hostApplicationWritesFromSeveralThreads() throws Exception {
        CouncilCaseSystem.Outcome outcome =
            CouncilCaseSystem.run(dir.resolve("council.db").toString(), 4, 10);
        // Every thread's notes were recorded once, in one consistent log.
        assertEquals(4 * 10, outcome.notesRecorded());
        assertEquals(outcome.eventsInStore(), outcome.eventsSeen());
        assertTrue(outcome.intact());
    }
}
