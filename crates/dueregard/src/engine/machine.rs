//! State machines as data: each machine is a table of `(from, command, to,
//! guards)` rows that drives validation, error messages and diagrams. The
//! guards are data too, so a diagram shows every condition of a move, and
//! the sets of open and done states are derived from the table.

use std::fmt;

use crate::engine::command::CommandKind;

/// A state of one of the model's machines.
pub trait State: Copy + Eq + fmt::Debug + 'static {
    /// The stable snake_case name used in JSON, errors and diagrams.
    fn name(self) -> &'static str;
    /// Every state, in declaration order.
    fn all() -> &'static [Self];
    /// The position of this state in [`State::all`].
    fn index(self) -> usize;
}

/// Declares a state enum with serde names, [`State`] and `Display`.
macro_rules! states {
    ($(#[$meta:meta])* $vis:vis enum $name:ident { $($(#[$vmeta:meta])* $variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord,
                 serde::Serialize, serde::Deserialize, schemars::JsonSchema)]
        #[serde(rename_all = "snake_case")]
        $vis enum $name { $($(#[$vmeta])* $variant),+ }

        impl $crate::engine::machine::State for $name {
            fn name(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }
            fn all() -> &'static [Self] {
                &[$($name::$variant),+]
            }
            fn index(self) -> usize {
                self as usize
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str($crate::engine::machine::State::name(*self))
            }
        }

        impl std::str::FromStr for $name {
            type Err = $crate::Error;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                <$name as $crate::engine::machine::State>::all()
                    .iter()
                    .copied()
                    .find(|v| $crate::engine::machine::State::name(*v) == s)
                    .ok_or_else(|| $crate::Error::Invalid {
                        field: stringify!($name).to_string(),
                        detail: format!(
                            "unknown value {s:?}; expected one of {}",
                            <$name as $crate::engine::machine::State>::all()
                                .iter()
                                .map(|v| $crate::engine::machine::State::name(*v))
                                .collect::<Vec<_>>()
                                .join(", ")
                        ),
                    })
            }
        }
    };
}
pub(crate) use states;

/// Gives a state type `is_open` and `is_done`, derived once from its
/// machine's table (see [`Machine::phases`]).
macro_rules! phases {
    ($state:ty, $machine:expr, $open:literal, $done:literal) => {
        impl $state {
            #[doc = concat!("True while work is still expected (", $open, "), derived from the table.")]
            pub fn is_open(self) -> bool {
                Self::phases().is_open(self)
            }

            #[doc = concat!("True once the work is claimed done (", $done, "), derived from the table.")]
            pub fn is_done(self) -> bool {
                Self::phases().is_done(self)
            }

            fn phases() -> &'static $crate::engine::machine::Phases {
                static PHASES: std::sync::OnceLock<$crate::engine::machine::Phases> =
                    std::sync::OnceLock::new();
                PHASES.get_or_init(|| $machine.phases())
            }
        }
    };
}
pub(crate) use phases;

states! {
    /// A condition a transition needs beyond the state it starts from.
    pub enum Guard {
        /// The submission gives a non-blank reason.
        Reason => "reason",
        /// The answer carries a rationale (a rejection's).
        Rationale => "rationale",
        /// The answer carries a reservation (a partial acceptance's).
        Reservation => "reservation",
        /// Evidence is attached to the item or cited by the submission.
        Evidence => "evidence",
        /// The actor (and, where the policy says so, the body) is not the one that claimed the item.
        NotClaimant => "not_claimant",
        /// The actor (and, where the policy says so, the body) is not the one that verified the item.
        NotVerifier => "not_verifier",
        /// Every milestone of the action is achieved or waived.
        MilestonesSettled => "milestones_settled",
        /// The demonstration period after verification is over.
        DemonstrationElapsed => "demonstration_elapsed",
        /// The command's date is later than the item's current one.
        LaterDate => "later_date",
        /// The response accepts the recommendation, at least in part or in principle.
        Accepted => "accepted",
    }
}

/// One row of a transition table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Transition<S: 'static> {
    /// State the entity must be in.
    pub from: S,
    /// The command.
    pub command: CommandKind,
    /// State the entity is in afterwards.
    pub to: S,
    /// Conditions checked, in order, when the command is decided.
    pub guards: &'static [Guard],
}

/// A named transition table with its initial state.
#[derive(Debug, Clone, Copy)]
pub struct Machine<S: State> {
    /// Machine name, e.g. `action`.
    pub name: &'static str,
    /// State a new entity starts in.
    pub initial: S,
    /// The command by which the owner says the work is done, if the machine
    /// has one: the states before it are *open*, the ones it leads to *done*.
    pub claim: Option<CommandKind>,
    /// Every legal transition. Anything not listed is illegal.
    pub transitions: &'static [Transition<S>],
}

/// Which states of a machine are open and which done, as bit sets over
/// [`State::index`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Phases {
    open: u64,
    done: u64,
}

impl Phases {
    /// True while work is still expected.
    pub fn is_open<S: State>(&self, s: S) -> bool {
        self.open & (1 << s.index()) != 0
    }

    /// True once the work is claimed done (and while it is checked and signed off).
    pub fn is_done<S: State>(&self, s: S) -> bool {
        self.done & (1 << s.index()) != 0
    }
}

impl<S: State> Machine<S> {
    /// The row for `command` from `from`, if the table has one.
    pub fn row(&self, from: S, command: CommandKind) -> Option<&'static Transition<S>> {
        self.transitions
            .iter()
            .find(|t| t.from == from && t.command == command)
    }

    /// The state reached by `command` from `from`, if the table allows it
    /// (guards are not checked here).
    pub fn next(&self, from: S, command: CommandKind) -> Option<S> {
        self.row(from, command).map(|t| t.to)
    }

    /// The commands the table allows from `from`, without duplicates.
    pub fn allowed_from(&self, from: S) -> Vec<CommandKind> {
        let mut out: Vec<CommandKind> = Vec::new();
        for t in self.transitions.iter().filter(|t| t.from == from) {
            if !out.contains(&t.command) {
                out.push(t.command);
            }
        }
        out
    }

    /// The commands that move this machine, without duplicates.
    pub fn commands(&self) -> Vec<CommandKind> {
        let mut out: Vec<CommandKind> = Vec::new();
        for t in self.transitions {
            if !out.contains(&t.command) {
                out.push(t.command);
            }
        }
        out
    }

    /// States with no outgoing transition.
    pub fn terminal_states(&self) -> Vec<S> {
        S::all()
            .iter()
            .copied()
            .filter(|s| !self.transitions.iter().any(|t| t.from == *s))
            .collect()
    }

    /// The states reachable from `start` through rows that `follow` accepts.
    fn reach(&self, start: &[S], follow: impl Fn(&Transition<S>) -> bool) -> u64 {
        let mut seen: u64 = start.iter().fold(0, |m, s| m | 1 << s.index());
        loop {
            let before = seen;
            for t in self.transitions {
                if seen & (1 << t.from.index()) != 0 && follow(t) {
                    seen |= 1 << t.to.index();
                }
            }
            if seen == before {
                return seen;
            }
        }
    }

    /// The open and done states, derived from the table: open are the
    /// states reachable from the initial one without the claim that have a
    /// way out; done are those the claim leads to, and what follows from
    /// them without going back to an open state. A machine without a claim
    /// has every state with a way out open and none done.
    pub fn phases(&self) -> Phases {
        let claim = self.claim;
        let before = self.reach(&[self.initial], |t| Some(t.command) != claim);
        let terminal = self
            .terminal_states()
            .iter()
            .fold(0u64, |m, s| m | 1 << s.index());
        let open = before & !terminal;
        let claimed: Vec<S> = self
            .transitions
            .iter()
            .filter(|t| Some(t.command) == claim)
            .map(|t| t.to)
            .collect();
        let done = self.reach(&claimed, |t| open & (1 << t.to.index()) == 0) & !open;
        Phases { open, done }
    }

    /// Renders the machine as a Mermaid `stateDiagram-v2`; a guarded row's
    /// label lists its guards in brackets.
    pub fn mermaid(&self) -> String {
        let mut out = String::from("stateDiagram-v2\n");
        out.push_str(&format!("    [*] --> {}\n", self.initial.name()));
        for t in self.transitions {
            out.push_str(&format!(
                "    {} --> {}: {}\n",
                t.from.name(),
                t.to.name(),
                label(t.command, t.guards)
            ));
        }
        for s in self.terminal_states() {
            out.push_str(&format!("    {} --> [*]\n", s.name()));
        }
        out
    }
}

/// A command with its guards, as shown on a diagram's arrow:
/// `verify_action [evidence, not_claimant]`.
fn label(command: CommandKind, guards: &[Guard]) -> String {
    if guards.is_empty() {
        return command.name().to_string();
    }
    let names: Vec<&str> = guards.iter().map(|g| g.name()).collect();
    format!("{} [{}]", command.name(), names.join(", "))
}

/// One row of a machine with its state type erased.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TransitionInfo {
    /// State the entity must be in.
    pub from: &'static str,
    /// Command name.
    pub command: &'static str,
    /// State afterwards.
    pub to: &'static str,
    /// Guard names, in the order they are checked.
    pub guards: Vec<&'static str>,
}

/// A machine with its state type erased, for listing and rendering.
#[derive(Debug, Clone)]
pub struct MachineInfo {
    /// Machine name.
    pub name: &'static str,
    /// State names in declaration order.
    pub states: Vec<&'static str>,
    /// The rows of the table.
    pub transitions: Vec<TransitionInfo>,
    /// Open states (work still expected), derived from the table.
    pub open: Vec<&'static str>,
    /// Done states (claimed, verified, signed off), derived from the table.
    pub done: Vec<&'static str>,
    /// Mermaid rendering.
    pub mermaid: String,
}

impl<S: State> From<&Machine<S>> for MachineInfo {
    fn from(m: &Machine<S>) -> Self {
        let phases = m.phases();
        let names = |keep: &dyn Fn(S) -> bool| -> Vec<&'static str> {
            S::all()
                .iter()
                .filter(|s| keep(**s))
                .map(|s| s.name())
                .collect()
        };
        MachineInfo {
            name: m.name,
            states: names(&|_| true),
            transitions: m
                .transitions
                .iter()
                .map(|t| TransitionInfo {
                    from: t.from.name(),
                    command: t.command.name(),
                    to: t.to.name(),
                    guards: t.guards.iter().map(|g| g.name()).collect(),
                })
                .collect(),
            open: names(&|s| phases.is_open(s)),
            done: names(&|s| phases.is_done(s)),
            mermaid: m.mermaid(),
        }
    }
}

/// An unguarded transition row, for the tables.
pub(crate) const fn row<S: State>(from: S, command: CommandKind, to: S) -> Transition<S> {
    Transition {
        from,
        command,
        to,
        guards: &[],
    }
}

/// A guarded transition row, for the tables.
pub(crate) const fn guarded<S: State>(
    from: S,
    command: CommandKind,
    to: S,
    guards: &'static [Guard],
) -> Transition<S> {
    Transition {
        from,
        command,
        to,
        guards,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use CommandKind as K;

    states! {
        enum Lamp { Off => "off", On => "on", Fitted => "fitted", Broken => "broken" }
    }

    // A lamp is "done" once fitted; fitting needs evidence and can be undone.
    const LAMP: Machine<Lamp> = Machine {
        name: "lamp",
        initial: Lamp::Off,
        claim: Some(K::CompleteAction),
        transitions: &[
            row(Lamp::Off, K::StartAction, Lamp::On),
            row(Lamp::On, K::BlockAction, Lamp::Off),
            guarded(
                Lamp::On,
                K::CompleteAction,
                Lamp::Fitted,
                &[Guard::Evidence],
            ),
            row(Lamp::Fitted, K::SendBackAction, Lamp::On),
            guarded(Lamp::Off, K::CancelAction, Lamp::Broken, &[Guard::Reason]),
        ],
    };

    #[test]
    fn next_follows_the_table_only() {
        assert_eq!(LAMP.next(Lamp::Off, K::StartAction), Some(Lamp::On));
        assert_eq!(LAMP.next(Lamp::Off, K::BlockAction), None);
        assert_eq!(LAMP.next(Lamp::Broken, K::StartAction), None);
        assert_eq!(
            LAMP.row(Lamp::On, K::CompleteAction).unwrap().guards,
            &[Guard::Evidence]
        );
    }

    #[test]
    fn allowed_and_terminal() {
        assert_eq!(
            LAMP.allowed_from(Lamp::Off),
            vec![K::StartAction, K::CancelAction]
        );
        assert_eq!(LAMP.terminal_states(), vec![Lamp::Broken]);
    }

    #[test]
    fn phases_derive_from_the_claim() {
        let p = LAMP.phases();
        assert!(p.is_open(Lamp::Off) && p.is_open(Lamp::On));
        assert!(!p.is_open(Lamp::Fitted) && p.is_done(Lamp::Fitted));
        // Terminal without the claim: neither open nor done.
        assert!(!p.is_open(Lamp::Broken) && !p.is_done(Lamp::Broken));
        let unclaimed = Machine {
            claim: None,
            ..LAMP
        };
        assert!(!unclaimed.phases().is_done(Lamp::Fitted));
        assert!(unclaimed.phases().is_open(Lamp::Fitted));
    }

    #[test]
    fn mermaid_lists_every_row_with_its_guards() {
        let m = LAMP.mermaid();
        assert!(m.starts_with("stateDiagram-v2\n    [*] --> off\n"));
        assert!(m.contains("    on --> fitted: complete_action [evidence]\n"));
        assert!(m.contains("    off --> broken: cancel_action [reason]\n"));
        assert!(m.contains("    on --> off: block_action\n"));
        assert!(m.contains("    broken --> [*]\n"));
        assert_eq!(m.lines().count(), 1 + 1 + 5 + 1);
    }

    #[test]
    fn info_carries_guards_and_phases() {
        let i = MachineInfo::from(&LAMP);
        assert_eq!(i.transitions[2].guards, vec!["evidence"]);
        assert_eq!(i.open, vec!["off", "on"]);
        assert_eq!(i.done, vec!["fitted"]);
    }

    #[test]
    fn from_str_names_the_choices() {
        assert_eq!("on".parse::<Lamp>().unwrap(), Lamp::On);
        let e = "dim".parse::<Lamp>().unwrap_err().to_string();
        assert!(e.contains("off, on, fitted, broken"), "{e}");
    }
}
