package dueregard.example;

import dueregard.*;
import java.time.Instant;
import java.util.List;

public class JavaExample {
    public static void main(String[] args) throws DueregardException {
        try (Tracker tracker = Tracker.Companion.example()) { // or Tracker.Companion.open("council.db")
            ActionRecord action = tracker.actions().stream()
                .filter(a -> a.getState() == ActionState.PLANNED).findFirst().orElseThrow();
            String command = "{\"verify_action\": {\"action\": \"" + action.getId() + "\"}}";
            try {
                tracker.execute(new Submission("admin", Instant.now(), command, null, List.of()));
            } catch (DueregardException.InvalidTransition e) {
                System.out.println("refused: " + e.getDetail());
            }
            System.out.println(tracker.summary("2025-03-31").getActions());
        }
    }
}
