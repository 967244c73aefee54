//! Public bodies and the actors who act for them.

pub(crate) mod commands;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::engine::machine::states;
use crate::model::text::Text;

states! {
    /// What kind of public body.
    pub enum BodyKind {
        /// A territorial police force.
        PoliceForce => "police_force",
        /// A local council.
        Council => "council",
        /// A police and crime commissioner.
        PoliceAndCrimeCommissioner => "police_and_crime_commissioner",
        /// A mayor's office for policing (e.g. MOPAC).
        MayorsOffice => "mayors_office",
        /// A police and crime panel.
        PoliceAndCrimePanel => "police_and_crime_panel",
        /// A council committee (scrutiny, audit, partnership board).
        Committee => "committee",
        /// An inspectorate (e.g. HMICFRS).
        Inspectorate => "inspectorate",
        /// The Independent Office for Police Conduct.
        Iopc => "iopc",
        /// A government department.
        GovernmentDepartment => "government_department",
        /// An independent reviewer or inquiry.
        IndependentReviewer => "independent_reviewer",
        /// A community body (e.g. a safer neighbourhood board).
        Community => "community",
        /// Anything else.
        Other => "other",
    }
}

states! {
    /// The capacity in which an actor acts. Which role may issue which
    /// command is set by the [`crate::Policy`].
    pub enum Role {
        /// Owns delivery: a lead officer of the addressee or plan owner.
        Owner => "owner",
        /// Reports progress for the owner.
        Reporter => "reporter",
        /// A committee or panel member holding the owner to account.
        Scrutineer => "scrutineer",
        /// Checks evidence independently of the owner.
        Verifier => "verifier",
        /// Administers the tracker (registers bodies and actors).
        Administrator => "administrator",
    }
}

/// A public body: a force, council, panel, inspectorate, department…
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Body {
    /// Identifier, e.g. `met`.
    pub id: String,
    /// Display name.
    pub name: Text,
    /// What kind of body.
    pub kind: BodyKind,
    /// The body this one is part of (e.g. a borough command unit within its force).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<String>,
}

/// A person or system acting for one body in one or more roles.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Actor {
    /// Identifier, e.g. `islington-bcu-commander`.
    pub id: String,
    /// Display name.
    pub name: String,
    /// The body the actor acts for.
    pub body: String,
    /// The roles held.
    pub roles: Vec<Role>,
}

impl Actor {
    /// True when the actor holds `role`.
    pub fn has_role(&self, role: Role) -> bool {
        self.roles.contains(&role)
    }
}
