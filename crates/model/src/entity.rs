use crate::Span;

/// What an entity is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum EntityKind {
    /// A person.
    Person,
    /// A group of persons: a faction, a family, "the trio", "everyone".
    Group,
    /// An organisation or body: a party, a committee, a newspaper, a bank.
    Organisation,
    /// A place.
    Place,
}

impl EntityKind {
    /// The lowercase name used in every output format.
    pub fn as_str(self) -> &'static str {
        match self {
            EntityKind::Person => "person",
            EntityKind::Group => "group",
            EntityKind::Organisation => "organisation",
            EntityKind::Place => "place",
        }
    }
}

/// Grammatical gender, as pronouns agree with it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Gender {
    /// He, him, his.
    Male,
    /// She, her, hers.
    Female,
    /// They, or not known to be either.
    Other,
}

impl Gender {
    /// The lowercase name used in every output format.
    pub fn as_str(self) -> &'static str {
        match self {
            Gender::Male => "male",
            Gender::Female => "female",
            Gender::Other => "other",
        }
    }
}

/// A person, group, organisation or place a text speaks of.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Entity {
    /// Its kind.
    pub kind: EntityKind,
    /// The canonical name.
    pub name: String,
    /// Other names it goes by, in the order first seen.
    pub aliases: Vec<String>,
    /// Its gender, when known.
    pub gender: Option<Gender>,
    /// For a group: its members, by entity index, when the text says who they are.
    pub members: Vec<usize>,
    /// An external identifier (a Wikidata QID), when a gazetteer gives one.
    pub external_id: Option<String>,
    /// When it began: a person's birth, a body's founding, when known.
    pub from: Option<crate::PartialDate>,
    /// When it ended: a person's death, a body's dissolution, when known.
    pub until: Option<crate::PartialDate>,
}

/// How a mention refers to its entity.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum MentionKind {
    /// A name, with or without a title: `Kamenev`, `Comrade Trotsky`, `L.D.`.
    Name,
    /// A personal pronoun: `he`, `she`, `they`.
    Pronoun,
    /// A description: `the chairman`, `the latter`, `the trio`.
    Description,
}

impl MentionKind {
    /// The lowercase name used in every output format.
    pub fn as_str(self) -> &'static str {
        match self {
            MentionKind::Name => "name",
            MentionKind::Pronoun => "pronoun",
            MentionKind::Description => "description",
        }
    }
}

/// A span that refers to an entity.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Mention {
    /// Where it stands.
    pub span: Span,
    /// How it refers.
    pub kind: MentionKind,
    /// The entity it refers to, by index, once resolved.
    pub entity: Option<usize>,
}

/// Who said a quotation to whom, and how that was decided.
#[derive(Clone, Debug, PartialEq)]
pub struct Attribution {
    /// The quotation, by index.
    pub quotation: usize,
    /// The speaker (or writer), by entity index; `None` when no sieve decided.
    pub speaker: Option<usize>,
    /// The mention that names the speaker, when one does.
    pub speaker_mention: Option<usize>,
    /// Those spoken to, by entity index.
    pub addressees: Vec<usize>,
    /// Whether the words were written rather than spoken.
    pub written: bool,
    /// For a quotation inside another: the speaker of the outer one, who reports it.
    pub reported_by: Option<usize>,
    /// The sieve that decided the speaker.
    pub sieve: &'static str,
    /// How far the decision is to be trusted, 0 to 1.
    pub confidence: f32,
}
