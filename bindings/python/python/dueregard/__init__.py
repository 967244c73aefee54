"""Track whether public bodies act on the recommendations made to them.

Reviews, inquiries, inspectorates and panels make recommendations; addressees respond, plan
actions and deliver them; someone else verifies, and a committee signs off. ``dueregard``
records every change as an audited event and tells you what is overdue, what has slipped and
what has been signed off.

Quick start::

    import dueregard
    tracker = dueregard.Tracker.example()       # the Casey Review example
    tracker.summary()                           # counts, overdue items, progress per plan
    tracker.actions_table().to_pandas()         # a DataFrame (needs pandas and pyarrow)

Every rule lives in the Rust core; this package converts types. Importing it needs neither
pandas nor polars: ``Table.to_pandas()`` and ``Table.to_polars()`` import them when called.
"""

from dueregard._dueregard import (
    Action,
    ActionState,
    Actor,
    Body,
    BodyKind,
    Change,
    CommandKind,
    Comparison,
    ConflictError,
    Coverage,
    DueregardError,
    EntityKind,
    Event,
    ImplementationState,
    InvalidInputError,
    InvalidTransitionError,
    LogOutcome,
    Machine,
    Milestone,
    MilestoneState,
    NotAuthorisedError,
    Period,
    Plan,
    PlanKind,
    Rag,
    RagReport,
    Recommendation,
    Response,
    ResponseState,
    Review,
    ReviewKind,
    Role,
    RuleViolationError,
    StorageError,
    Store,
    Submission,
    Summary,
    Table,
    TamperingDetectedError,
    Tracker,
    UnknownIdError,
    VerifyResult,
    Visibility,
    __version__,
    default_rag_policy,
    json_schema,
    machines,
)

__all__ = [
    "Action",
    "ActionState",
    "Actor",
    "Body",
    "BodyKind",
    "Change",
    "CommandKind",
    "Comparison",
    "ConflictError",
    "Coverage",
    "DueregardError",
    "EntityKind",
    "Event",
    "ImplementationState",
    "InvalidInputError",
    "InvalidTransitionError",
    "LogOutcome",
    "Machine",
    "Milestone",
    "MilestoneState",
    "NotAuthorisedError",
    "Period",
    "Plan",
    "PlanKind",
    "Rag",
    "RagReport",
    "Recommendation",
    "Response",
    "ResponseState",
    "Review",
    "ReviewKind",
    "Role",
    "RuleViolationError",
    "StorageError",
    "Store",
    "Submission",
    "Summary",
    "Table",
    "TamperingDetectedError",
    "Tracker",
    "UnknownIdError",
    "VerifyResult",
    "Visibility",
    "__version__",
    "default_rag_policy",
    "json_schema",
    "machines",
]
