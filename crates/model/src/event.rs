//! Events: encounters, sessions of bodies, decisions and acts, in time.

use crate::{HistoricalDate, Span};

/// A time expression found in a document, with what it resolved to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DateMention {
    /// Where it stands.
    pub span: Span,
    /// What it says, with the year or the day worked out where the text
    /// implies them (`inferred` says how).
    pub date: HistoricalDate,
    /// The block it stands in.
    pub block: usize,
    /// Whether it stands inside quoted speech (the speaker's time, not the narrator's).
    pub quoted: bool,
    /// Whether it modifies a noun (`the April 1925 theses`) rather than
    /// placing the narrative in time.
    pub attributive: bool,
    /// For a time relative to a named event (`after the plenum`), where the
    /// name stands.
    pub anchor_phrase: Option<Span>,
    /// The event that name was matched to, by index, when one was.
    pub anchor_event: Option<usize>,
}

/// What kind of thing happened.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum EventKind {
    /// Persons met: met, visited, approached, came to see, called on, invited.
    Encounter,
    /// A body sat: a plenum, a session, a conference, a commission meeting.
    Session,
    /// A body or person decided something: `decided to remove X from Y`.
    Decision,
    /// Someone resigned.
    Resignation,
    /// Someone was appointed or elected.
    Appointment,
    /// Someone was removed, dismissed or expelled.
    Removal,
    /// Someone was deported or exiled.
    Deportation,
    /// Someone was tried.
    Trial,
    /// Something was postponed (to a new date, when given).
    Postponement,
    /// Something was published.
    Publication,
    /// A declaration or statement was read.
    Declaration,
    /// A document was written.
    Writing,
    /// Something was confirmed, in writing or by word.
    Confirmation,
    /// Someone was arrested.
    Arrest,
    /// Someone died or was killed.
    Death,
    /// Someone said or wrote something at a date the clause gives
    /// (`In September, 1946, Mr. Werth asked Comrade Stalin`).
    Statement,
}

impl EventKind {
    /// The lowercase name used in every output format.
    pub fn as_str(self) -> &'static str {
        match self {
            EventKind::Encounter => "encounter",
            EventKind::Session => "session",
            EventKind::Decision => "decision",
            EventKind::Resignation => "resignation",
            EventKind::Appointment => "appointment",
            EventKind::Removal => "removal",
            EventKind::Deportation => "deportation",
            EventKind::Trial => "trial",
            EventKind::Postponement => "postponement",
            EventKind::Publication => "publication",
            EventKind::Declaration => "declaration",
            EventKind::Writing => "writing",
            EventKind::Confirmation => "confirmation",
            EventKind::Arrest => "arrest",
            EventKind::Death => "death",
            EventKind::Statement => "statement",
        }
    }
}

/// The part an entity plays in an event.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Role {
    /// Who acts: who meets, visits, decides, reads, publishes.
    Agent,
    /// Who is met, visited, invited, or talks with the agent.
    Participant,
    /// At whose home it happens (`at Pyatakov’s`).
    Host,
    /// Whom it is done to: the removed, the exiled, the tried.
    Patient,
    /// A body that sits, decides, or that someone is removed from.
    Body,
    /// Who wrote the document.
    Author,
    /// Who is named as present.
    Present,
}

impl Role {
    /// The lowercase name used in every output format.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Agent => "agent",
            Role::Participant => "participant",
            Role::Host => "host",
            Role::Patient => "patient",
            Role::Body => "body",
            Role::Author => "author",
            Role::Present => "present",
        }
    }
}

/// One entity's part in an event.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Participant {
    /// The entity, by index.
    pub entity: usize,
    /// Its part.
    pub role: Role,
    /// The mention that names it there.
    pub span: Span,
}

/// Where an event happened.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Place {
    /// Where the text names it (`Pyatakov’s`, `in Kislovodsk`, `to his house`).
    pub span: Span,
    /// The place entity, when it is one.
    pub entity: Option<usize>,
    /// Whose home it is, for `at X’s` and `to his house`.
    pub home_of: Option<usize>,
}

/// Where an event's date comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum DateSource {
    /// A date in its own clause.
    Own,
    /// The date the narrative last set, in the same or the previous paragraph.
    Narrative,
    /// None: the event is placed after the one told before it.
    Order,
}

impl DateSource {
    /// The lowercase name used in every output format.
    pub fn as_str(self) -> &'static str {
        match self {
            DateSource::Own => "own",
            DateSource::Narrative => "narrative",
            DateSource::Order => "order",
        }
    }
}

/// Something that happened, as the text tells it.
#[derive(Clone, Debug, PartialEq)]
pub struct Event {
    /// What kind of thing.
    pub kind: EventKind,
    /// The word or words that name it (`met`, `postponed`, `joint sessions`).
    pub trigger: Span,
    /// The clause that tells it.
    pub span: Span,
    /// Who took part, and how.
    pub participants: Vec<Participant>,
    /// Where, when the text says.
    pub place: Option<Place>,
    /// When: a date mention, by index.
    pub date: Option<usize>,
    /// Where that date comes from.
    pub date_source: DateSource,
    /// For a postponement or an appointment to come: the new date, by index.
    pub new_date: Option<usize>,
    /// The sieve that found it.
    pub sieve: &'static str,
    /// How sure that sieve is, 0 to 1.
    pub confidence: f32,
}

/// One line of a document's timeline.
#[derive(Clone, Debug, PartialEq)]
pub struct TimelineEntry {
    /// The event, by index.
    pub event: usize,
    /// The date it is placed at, by index into the date mentions; `None`
    /// when only its order in the telling places it.
    pub date: Option<usize>,
    /// For an undated event, the event it follows, by index.
    pub after: Option<usize>,
}
