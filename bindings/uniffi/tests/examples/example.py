import datetime, json
import dueregard_uniffi as du

tracker = du.Tracker.example()  # or du.Tracker.open("council.db") for a SQLite store
action = next(a for a in tracker.actions() if a.state == du.ActionState.PLANNED)
command = json.dumps({"verify_action": {"action": action.id}})
try:
    tracker.execute(du.Submission(actor="admin", at=datetime.datetime.now(datetime.timezone.utc), command=command))
except du.DueregardError.InvalidTransition as e:
    print("refused:", e.detail)
print(tracker.summary("2025-03-31").actions)
