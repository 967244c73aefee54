package dueregard.example;

import dueregard.DueregardException;
import dueregard.EventRecord;
import dueregard.Submission;
import dueregard.SummaryRecord;
import dueregard.Tracker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * A small "host application": council case-management software that embeds
 * dueregard. Several worker threads (case officers' requests) record notes on
 * one shared {@link Tracker} kept in a SQLite store, while a reporting thread
 * reads summaries. The tracker serialises the writes; each accepted command is
 * in the store before {@code execute} returns.
 *
 * <pre>mvn -q compile exec:java -Dexec.args=/tmp/council.db</pre>
 */
public final class CouncilCaseSystem {
    private CouncilCaseSystem() {}

    /** What a run recorded. */
    public record Outcome(long notesRecorded, long eventsSeen, long eventsInStore, boolean intact) {}

    /** Bodies, actors, a panel's review with one recommendation, and a plan with two actions. */
    public static List<Submission> setUpCommands(Instant start) {
        String[][] steps = {
            {"admin", "{\"register_body\": {\"id\": \"office\", \"name\": \"Tracker office\", \"kind\": \"other\"}}"},
            {"admin", "{\"register_actor\": {\"id\": \"admin\", \"name\": \"Administrator\", \"body\": \"office\", \"roles\": [\"administrator\"]}}"},
            {"admin", "{\"register_body\": {\"id\": \"force\", \"name\": \"Example Police\", \"kind\": \"police_force\"}}"},
            {"admin", "{\"register_body\": {\"id\": \"council\", \"name\": \"Example Council\", \"kind\": \"council\"}}"},
            {"admin", "{\"register_body\": {\"id\": \"panel\", \"name\": \"Example panel\", \"kind\": \"police_and_crime_panel\"}}"},
            {"admin", "{\"register_actor\": {\"id\": \"owner\", \"name\": \"Borough commander\", \"body\": \"force\", \"roles\": [\"owner\"]}}"},
            {"admin", "{\"register_actor\": {\"id\": \"verifier\", \"name\": \"Safety officer\", \"body\": \"council\", \"roles\": [\"verifier\"]}}"},
            {"admin", "{\"register_actor\": {\"id\": \"chair\", \"name\": \"Panel chair\", \"body\": \"panel\", \"roles\": [\"scrutineer\"]}}"},
            {"chair", "{\"publish_review\": {\"id\": \"rev\", \"title\": \"Neighbourhood policing review\", \"kind\": \"panel_report\", \"publisher\": \"panel\", \"published\": \"2024-04-01\"}}"},
            {"chair", "{\"add_recommendation\": {\"id\": \"rev/R1\", \"review\": \"rev\", \"number\": \"1\", \"title\": \"Keep neighbourhood officers in post\", \"addressees\": [\"force\"]}}"},
            {"owner", "{\"respond\": {\"response\": \"rev/R1@force\", \"answer\": \"accept\"}}"},
            {"owner", "{\"create_plan\": {\"id\": \"plan\", \"title\": \"Local action plan\", \"kind\": \"local\", \"owner\": \"force\"}}"},
            {"owner", "{\"add_action\": {\"id\": \"plan/A1\", \"plan\": \"plan\", \"title\": \"Two-year tenure\", \"answers\": [\"rev/R1\"], \"due\": \"2025-03-31\"}}"},
            {"owner", "{\"add_action\": {\"id\": \"plan/A2\", \"plan\": \"plan\", \"title\": \"Ward panels\", \"due\": \"2025-03-31\"}}"},
        };
        List<Submission> out = new ArrayList<>();
        for (int i = 0; i < steps.length; i++) {
            out.add(new Submission(steps[i][0], start.plusSeconds(3600L * (i + 1)), steps[i][1], null, List.of()));
        }
        return out;
    }

    /** Records one note now; retries when another thread recorded a later instant first. */
    static EventRecord note(Tracker tracker, String text) throws DueregardException {
        String json = "{\"add_note\": {\"about\": {\"kind\": \"plan\", \"id\": \"plan\"}, \"text\": \"" + text + "\"}}";
        while (true) {
            try {
                return tracker.execute(new Submission("owner", Instant.now(), json, null, List.of()));
            } catch (DueregardException.OutOfOrder e) {
                // Nothing was written; stamp again and retry.
            }
        }
    }

    /** Sets up a store at {@code path} and has {@code threads} workers write {@code notes} notes each. */
    public static Outcome run(String path, int threads, int notes) throws Exception {
        try (Tracker tracker = Tracker.Companion.open(path)) {
            tracker.executeBatch(setUpCommands(Instant.parse("2024-04-01T09:00:00Z")));
            ExecutorService pool = Executors.newFixedThreadPool(threads + 1);
            List<Future<?>> work = new ArrayList<>();
            for (int w = 0; w < threads; w++) {
                final int worker = w;
                work.add(pool.submit(() -> {
                    for (int i = 0; i < notes; i++) {
                        note(tracker, "officer " + worker + ", update " + i);
                    }
                    return null;
                }));
            }
            work.add(pool.submit(() -> {
                SummaryRecord s = tracker.summary("2025-03-31");
                return s.getPlans().size();
            }));
            for (Future<?> f : work) {
                f.get();
            }
            pool.shutdown();
            long recorded = tracker.events().stream().filter(e -> e.getName().equals("NoteAdded")).count();
            try (Tracker reopened = Tracker.Companion.open(path)) {
                return new Outcome(recorded, tracker.version(), reopened.version(), reopened.verify().getIntact());
            }
        }
    }

    public static void main(String[] args) throws Exception {
        String path = args.length > 0 ? args[0] : Files.createTempDirectory("council").resolve("council.db").toString();
        Outcome o = run(path, 4, 25);
        System.out.printf("store %s: %d notes from 4 threads, %d events, chain intact: %b%n",
            path, o.notesRecorded(), o.eventsInStore(), o.intact());
    }
}
