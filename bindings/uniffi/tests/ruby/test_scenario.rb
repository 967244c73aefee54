# The uniffi bindings from Ruby: a plan's lifecycle in a SQLite store, typed
# exceptions, a report and a panic.
require "json"
require "minitest/autorun"
require "tmpdir"
require "dueregard_uniffi"

D = DueregardUniffi

class ScenarioTest < Minitest::Test
  START = Time.utc(2024, 4, 1, 9, 0, 0)

  def setup
    @dir = Dir.mktmpdir("dueregard")
    @path = File.join(@dir, "tracker.db")
    @tracker = D::Tracker.open(@path)
    @n = 0
  end

  def teardown
    FileUtils.remove_entry(@dir)
  end

  # One command; instants increase by an hour per command (date order is a rule).
  def cmd(actor, name, fields, evidence: [])
    @n += 1
    D::Submission.new(actor: actor, at: START + @n * 3600, command: JSON.generate(name => fields),
                      evidence: evidence)
  end

  def set_up_plan
    @tracker.execute_batch([
      cmd("admin", "register_body", { id: "office", name: "Tracker office", kind: "other" }),
      cmd("admin", "register_actor", { id: "admin", name: "Administrator", body: "office", roles: ["administrator"] }),
      cmd("admin", "register_body", { id: "force", name: "Example Police", kind: "police_force" }),
      cmd("admin", "register_body", { id: "council", name: "Example Council", kind: "council" }),
      cmd("admin", "register_body", { id: "panel", name: "Example panel", kind: "police_and_crime_panel" }),
      cmd("admin", "register_actor", { id: "owner", name: "Borough commander", body: "force", roles: ["owner"] }),
      cmd("admin", "register_actor", { id: "verifier", name: "Safety officer", body: "council", roles: ["verifier"] }),
      cmd("admin", "register_actor", { id: "chair", name: "Panel chair", body: "panel", roles: ["scrutineer"] }),
      cmd("chair", "publish_review", { id: "rev", title: "Neighbourhood policing review", kind: "panel_report",
                                        publisher: "panel", published: "2024-04-01" }),
      cmd("chair", "add_recommendation", { id: "rev/R1", review: "rev", number: "1",
                                            title: "Keep neighbourhood officers in post", addressees: ["force"] }),
      cmd("owner", "respond", { response: D.response_id("rev/R1", "force"), answer: "accept" }),
      cmd("owner", "create_plan", { id: "plan", title: "Local action plan", kind: "local", owner: "force" }),
      cmd("owner", "add_action", { id: "plan/A1", plan: "plan", title: "Two-year tenure", answers: ["rev/R1"],
                                   due: "2025-03-31" }),
      cmd("owner", "add_action", { id: "plan/A2", plan: "plan", title: "Ward panels", due: "2025-03-31" })
    ])
  end

  def test_plan_lifecycle_in_a_store
    assert_equal 14, set_up_plan.length
    assert_equal D::ResponseState::ACCEPTED, @tracker.response("rev/R1@force").state

    @tracker.execute(cmd("owner", "start_action", { action: "plan/A1" }))
    @tracker.execute(cmd("owner", "submit_evidence", { id: "ev1", about: { kind: "action", id: "plan/A1" },
                                                       reference: "rota 2024/25", description: "tenure rota" }))
    @tracker.execute(cmd("owner", "complete_action", { action: "plan/A1" }))
    event = @tracker.execute(cmd("verifier", "verify_action", { action: "plan/A1" }, evidence: ["ev1"]))
    assert_equal "ActionVerified", event.name
    assert_kind_of Time, event.at

    action = @tracker.action("plan/A1")
    assert_equal D::ActionState::VERIFIED, action.state
    assert_equal "verifier", action.verified.actor
    assert_equal %w[ActionAdded ActionStarted EvidenceSubmitted ActionCompleted ActionVerified],
                 @tracker.history(D::EntityKind::ACTION, "plan/A1").map(&:name)

    reopened = D::Tracker.open(@path)
    assert_equal @tracker.version, reopened.version
    assert reopened.verify.intact
  end

  def test_illegal_transition_and_not_authorised_are_typed
    set_up_plan
    before = @tracker.version
    e = assert_raises(D::DueregardError::InvalidTransition) do
      @tracker.execute(cmd("owner", "complete_action", { action: "plan/A2" }))
    end
    assert_equal [D::EntityKind::ACTION, "plan/A2", "planned", "complete_action"], [e.kind, e.id, e.state, e.command]
    assert_includes e.allowed, "start_action"
    assert_match(/planned/, e.detail)

    denied = assert_raises(D::DueregardError::NotAuthorised) do
      @tracker.execute(cmd("verifier", "start_action", { action: "plan/A2" }))
    end
    assert_equal "verifier", denied.actor
    refute_empty denied.reason

    assert_raises(D::DueregardError::UnknownId) { @tracker.action("plan/A9") }
    assert_equal before, @tracker.version
  end

  def test_summary_report
    set_up_plan
    @tracker.execute(cmd("owner", "start_action", { action: "plan/A1" }))
    s = @tracker.summary("2025-06-30")
    assert_equal 1, s.recommendations
    assert_equal({ "accepted" => 1 }, s.responses)
    assert_equal({ "in_progress" => 1, "planned" => 1 }, s.actions)
    line = s.plans.fetch(0)
    assert_equal ["plan", 2, 0, 2], [line.plan, line.actions, line.done, line.overdue]
    late = @tracker.overdue("2025-06-30")
    assert_equal %w[plan/A1 plan/A2], late.map(&:id).sort
    assert(late.all? { |o| o.kind == D::OverdueKind::ACTION && o.days_late == 91 })
    assert_raises(D::DueregardError::Invalid) { @tracker.summary("30/06/2025") }
  end

  def test_a_panic_becomes_an_exception
    e = assert_raises(D::DueregardError::Internal) { D.panic_probe }
    assert_match(/panic probe/, e.detail)
    refute_empty D.version
  end
end
