//! State machines as data: each machine is a table of `(from, command, to)`
//! rows that drives validation, error messages and diagrams.

use std::fmt;

/// A state of one of the model's machines.
pub trait State: Copy + Eq + fmt::Debug + 'static {
    /// The stable snake_case name used in JSON, errors and diagrams.
    fn name(self) -> &'static str;
    /// Every state, in declaration order.
    fn all() -> &'static [Self];
}

/// One row of a transition table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Transition<S: 'static> {
    /// State the entity must be in.
    pub from: S,
    /// Command name (see [`crate::CommandKind::name`]).
    pub command: &'static str,
    /// State the entity is in afterwards.
    pub to: S,
}

/// A named transition table with its initial state.
#[derive(Debug, Clone, Copy)]
pub struct Machine<S: State> {
    /// Machine name, e.g. `action`.
    pub name: &'static str,
    /// State a new entity starts in.
    pub initial: S,
    /// Every legal transition. Anything not listed is illegal.
    pub transitions: &'static [Transition<S>],
}

impl<S: State> Machine<S> {
    /// The state reached by `command` from `from`, if the table allows it.
    pub fn next(&self, from: S, command: &str) -> Option<S> {
        self.transitions
            .iter()
            .find(|t| t.from == from && t.command == command)
            .map(|t| t.to)
    }

    /// The commands the table allows from `from`, without duplicates.
    pub fn allowed_from(&self, from: S) -> Vec<&'static str> {
        let mut out: Vec<&'static str> = Vec::new();
        for t in self.transitions.iter().filter(|t| t.from == from) {
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

    /// Renders the machine as a Mermaid `stateDiagram-v2`.
    pub fn mermaid(&self) -> String {
        let mut out = String::from("stateDiagram-v2\n");
        out.push_str(&format!("    [*] --> {}\n", self.initial.name()));
        for t in self.transitions {
            out.push_str(&format!(
                "    {} --> {}: {}\n",
                t.from.name(),
                t.to.name(),
                t.command
            ));
        }
        for s in self.terminal_states() {
            out.push_str(&format!("    {} --> [*]\n", s.name()));
        }
        out
    }
}

/// A machine with its state type erased, for listing and rendering.
#[derive(Debug, Clone)]
pub struct MachineInfo {
    /// Machine name.
    pub name: &'static str,
    /// State names in declaration order.
    pub states: Vec<&'static str>,
    /// `(from, command, to)` rows.
    pub transitions: Vec<(&'static str, &'static str, &'static str)>,
    /// Mermaid rendering.
    pub mermaid: String,
}

impl<S: State> From<&Machine<S>> for MachineInfo {
    fn from(m: &Machine<S>) -> Self {
        MachineInfo {
            name: m.name,
            states: S::all().iter().map(|s| s.name()).collect(),
            transitions: m
                .transitions
                .iter()
                .map(|t| (t.from.name(), t.command, t.to.name()))
                .collect(),
            mermaid: m.mermaid(),
        }
    }
}

/// Declares a state enum with serde names, [`State`] and `Display`.
macro_rules! states {
    ($(#[$meta:meta])* $vis:vis enum $name:ident { $($(#[$vmeta:meta])* $variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord,
                 serde::Serialize, serde::Deserialize, schemars::JsonSchema)]
        #[serde(rename_all = "snake_case")]
        $vis enum $name { $($(#[$vmeta])* $variant),+ }

        impl $crate::machine::State for $name {
            fn name(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }
            fn all() -> &'static [Self] {
                &[$($name::$variant),+]
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str($crate::machine::State::name(*self))
            }
        }

        impl std::str::FromStr for $name {
            type Err = $crate::Error;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                <$name as $crate::machine::State>::all()
                    .iter()
                    .copied()
                    .find(|v| $crate::machine::State::name(*v) == s)
                    .ok_or_else(|| $crate::Error::Invalid {
                        field: stringify!($name).to_string(),
                        detail: format!(
                            "unknown value {s:?}; expected one of {}",
                            <$name as $crate::machine::State>::all()
                                .iter()
                                .map(|v| $crate::machine::State::name(*v))
                                .collect::<Vec<_>>()
                                .join(", ")
                        ),
                    })
            }
        }
    };
}
pub(crate) use states;

/// A transition row, for the tables.
pub(crate) const fn row<S: State>(from: S, command: &'static str, to: S) -> Transition<S> {
    Transition { from, command, to }
}

#[cfg(test)]
mod tests {
    use super::*;

    states! {
        enum Lamp { Off => "off", On => "on", Broken => "broken" }
    }

    const LAMP: Machine<Lamp> = Machine {
        name: "lamp",
        initial: Lamp::Off,
        transitions: &[
            row(Lamp::Off, "switch_on", Lamp::On),
            row(Lamp::On, "switch_off", Lamp::Off),
            row(Lamp::On, "break", Lamp::Broken),
            row(Lamp::Off, "break", Lamp::Broken),
        ],
    };

    #[test]
    fn next_follows_the_table_only() {
        assert_eq!(LAMP.next(Lamp::Off, "switch_on"), Some(Lamp::On));
        assert_eq!(LAMP.next(Lamp::Off, "switch_off"), None);
        assert_eq!(LAMP.next(Lamp::Broken, "switch_on"), None);
    }

    #[test]
    fn allowed_and_terminal() {
        assert_eq!(LAMP.allowed_from(Lamp::Off), vec!["switch_on", "break"]);
        assert_eq!(LAMP.terminal_states(), vec![Lamp::Broken]);
    }

    #[test]
    fn mermaid_lists_every_row() {
        let m = LAMP.mermaid();
        assert!(m.starts_with("stateDiagram-v2\n    [*] --> off\n"));
        assert!(m.contains("    on --> broken: break\n"));
        assert!(m.contains("    broken --> [*]\n"));
        assert_eq!(m.lines().count(), 1 + 1 + 4 + 1);
    }

    #[test]
    fn from_str_names_the_choices() {
        assert_eq!("on".parse::<Lamp>().unwrap(), Lamp::On);
        let e = "dim".parse::<Lamp>().unwrap_err().to_string();
        assert!(e.contains("off, on, broken"), "{e}");
    }
}
