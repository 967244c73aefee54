//! The commands that change bodies and actors: each payload with its rules
//! (`decide`) and its effect (`apply`).

use std::borrow::Cow;

use crate::engine::apply::{fresh, get};
use crate::engine::decide::{non_blank, non_blank_text};
use crate::error::Error;
use crate::model::party::{Actor, Body, BodyKind, Role};
use crate::model::text::Text;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::engine::command::{about, Payload, Refs};
use crate::engine::event::Event;
use crate::engine::guard::Check;
use crate::engine::tracker::Tracker;
use crate::error::Result;
use crate::model::subject::EntityKind;

/// Register a public body.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RegisterBody {
    /// New identifier.
    pub id: String,
    /// Name.
    pub name: Text,
    /// Kind of body.
    pub kind: BodyKind,
    /// The body this one is part of; work it does counts toward its parent's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<String>,
}

impl RegisterBody {
    /// The command with its required fields; the others default and can be
    /// set with struct update syntax (`..Self::new(…)`).
    pub fn new(id: impl Into<String>, name: impl Into<Text>, kind: BodyKind) -> Self {
        RegisterBody {
            id: id.into(),
            name: name.into(),
            kind,
            parent: Default::default(),
        }
    }
}

/// Register an actor acting for a body.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RegisterActor {
    /// New identifier.
    pub id: String,
    /// Name.
    pub name: String,
    /// Body the actor acts for.
    pub body: String,
    /// Roles held.
    pub roles: Vec<Role>,
}

impl RegisterActor {
    /// The command with its required fields.
    pub fn new(
        id: impl Into<String>,
        name: impl Into<String>,
        body: impl Into<String>,
        roles: Vec<Role>,
    ) -> Self {
        RegisterActor {
            id: id.into(),
            name: name.into(),
            body: body.into(),
            roles,
        }
    }
}

about! {
    RegisterBody => Body by id;
    RegisterActor => Actor by id;
}

impl Payload for RegisterBody {
    fn references<'a>(&'a self, r: &mut Refs<'a>) {
        r.opt(EntityKind::Body, &self.parent);
    }
    fn owner<'a>(&'a self, _: &'a Tracker) -> Result<Option<Cow<'a, str>>> {
        Ok(None)
    }
    fn bootstrap_body(&self) -> Option<&str> {
        Some(&self.id)
    }
    fn decide(&self, c: &Check<'_>) -> Result<()> {
        let t = c.tracker;
        c.new_id(EntityKind::Body, &self.id)?;
        if let Some(p) = &self.parent {
            t.body(p)?;
        }
        non_blank_text("name", &self.name)
    }
    fn apply(&self, t: &mut Tracker, e: &Event) -> Result<()> {
        fresh(&t.bodies, e.seq, EntityKind::Body, &self.id)?;
        if let Some(p) = &self.parent {
            get(&mut t.bodies, e.seq, EntityKind::Body, p)?;
        }
        t.bodies.insert(
            self.id.clone(),
            Body {
                id: self.id.clone(),
                name: self.name.clone(),
                kind: self.kind,
                parent: self.parent.clone(),
            },
        );
        Ok(())
    }
}

impl Payload for RegisterActor {
    fn references<'a>(&'a self, r: &mut Refs<'a>) {
        r.one(EntityKind::Body, &self.body);
    }
    fn owner<'a>(&'a self, _: &'a Tracker) -> Result<Option<Cow<'a, str>>> {
        Ok(Some(self.body.as_str().into()))
    }
    fn bootstrap_body(&self) -> Option<&str> {
        Some(&self.body)
    }
    fn decide(&self, c: &Check<'_>) -> Result<()> {
        let t = c.tracker;
        c.new_id(EntityKind::Actor, &self.id)?;
        t.body(&self.body)?;
        non_blank("name", &self.name)?;
        if self.roles.is_empty() {
            return Err(Error::invalid("roles", "give the actor at least one role"));
        }
        Ok(())
    }
    fn apply(&self, t: &mut Tracker, e: &Event) -> Result<()> {
        fresh(&t.actors, e.seq, EntityKind::Actor, &self.id)?;
        get(&mut t.bodies, e.seq, EntityKind::Body, &self.body)?;
        t.actors.insert(
            self.id.clone(),
            Actor {
                id: self.id.clone(),
                name: self.name.clone(),
                body: self.body.clone(),
                roles: self.roles.clone(),
            },
        );
        Ok(())
    }
}
