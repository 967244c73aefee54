require "json"
require "dueregard_uniffi"

tracker = DueregardUniffi::Tracker.example # or DueregardUniffi::Tracker.open("council.db")
action = tracker.actions.find { |a| a.state == DueregardUniffi::ActionState::PLANNED }
command = JSON.generate("verify_action" => { "action" => action.id })
begin
  tracker.execute(DueregardUniffi::Submission.new(actor: "admin", at: Time.now, command: command))
rescue DueregardUniffi::DueregardError::InvalidTransition => e
  puts "refused: #{e.detail}"
end
puts tracker.summary("2025-03-31").actions
