use crate::Span;

/// How much a diagnostic matters to the person reading the output.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// Worth knowing; nothing was guessed.
    Info,
    /// Something was odd and the result rests on a recovery or a guess.
    Warning,
}

impl Severity {
    /// The lowercase name used in every output format.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
        }
    }
}

/// A remark about the input that did not stop processing.
///
/// Reading and extraction never fail on odd text; they recover and say so here.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Diagnostic {
    /// How much it matters.
    pub severity: Severity,
    /// A stable machine-readable code, such as `unclosed-quotation`.
    pub code: &'static str,
    /// A lowercase sentence for people.
    pub message: String,
    /// Where in the canonical text, when the remark has a place.
    pub span: Option<Span>,
}

impl Diagnostic {
    /// A warning with a place.
    pub fn warning(code: &'static str, message: impl Into<String>, span: Option<Span>) -> Self {
        Diagnostic { severity: Severity::Warning, code, message: message.into(), span }
    }

    /// An informational remark with a place.
    pub fn info(code: &'static str, message: impl Into<String>, span: Option<Span>) -> Self {
        Diagnostic { severity: Severity::Info, code, message: message.into(), span }
    }
}
