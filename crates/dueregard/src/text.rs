//! Text in one or more languages (for example English and Welsh).

use std::collections::BTreeMap;
use std::fmt;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// The language used when a text is given as a plain string.
pub const DEFAULT_LANGUAGE: &str = "en";

/// A title or description, possibly in several languages.
///
/// In JSON a text is either a plain string (English) or an object mapping
/// language tags to strings, e.g. `{"en": "Annual report", "cy": "Adroddiad blynyddol"}`.
///
/// ```
/// use dueregard::Text;
/// let t = Text::new("Annual report").with("cy", "Adroddiad blynyddol");
/// assert_eq!(t.primary(), "Annual report");
/// assert_eq!(t.get("cy"), Some("Adroddiad blynyddol"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(from = "TextRepr", into = "TextRepr")]
pub struct Text(BTreeMap<String, String>);

#[derive(Serialize, Deserialize, JsonSchema)]
#[serde(untagged)]
enum TextRepr {
    /// English text.
    Plain(String),
    /// Language tag to text.
    Localised(BTreeMap<String, String>),
}

impl From<TextRepr> for Text {
    fn from(r: TextRepr) -> Self {
        match r {
            TextRepr::Plain(s) => Text::new(s),
            TextRepr::Localised(m) => Text(m),
        }
    }
}

impl From<Text> for TextRepr {
    fn from(t: Text) -> Self {
        if t.0.len() == 1 {
            if let Some(s) = t.0.get(DEFAULT_LANGUAGE) {
                return TextRepr::Plain(s.clone());
            }
        }
        TextRepr::Localised(t.0)
    }
}

impl JsonSchema for Text {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Text".into()
    }
    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        TextRepr::json_schema(generator)
    }
}

impl Text {
    /// A text in the default language (English).
    pub fn new(s: impl Into<String>) -> Self {
        let mut m = BTreeMap::new();
        m.insert(DEFAULT_LANGUAGE.to_string(), s.into());
        Text(m)
    }

    /// Adds (or replaces) the text in another language.
    pub fn with(mut self, language: impl Into<String>, s: impl Into<String>) -> Self {
        self.0.insert(language.into(), s.into());
        self
    }

    /// The text in `language`, if given.
    pub fn get(&self, language: &str) -> Option<&str> {
        self.0.get(language).map(String::as_str)
    }

    /// The English text, or the first language available.
    pub fn primary(&self) -> &str {
        self.get(DEFAULT_LANGUAGE)
            .or_else(|| self.0.values().next().map(String::as_str))
            .unwrap_or("")
    }

    /// Every language and its text.
    pub fn translations(&self) -> &BTreeMap<String, String> {
        &self.0
    }

    /// Builds a text from language/text pairs.
    pub fn from_map(m: BTreeMap<String, String>) -> Self {
        Text(m)
    }

    /// True when no language has any non-blank text.
    pub fn is_blank(&self) -> bool {
        self.0.values().all(|s| s.trim().is_empty())
    }
}

impl fmt::Display for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.primary())
    }
}

impl From<&str> for Text {
    fn from(s: &str) -> Self {
        Text::new(s)
    }
}

impl From<String> for Text {
    fn from(s: String) -> Self {
        Text::new(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_string_round_trips_as_plain() {
        let t = Text::new("Hello");
        let j = serde_json::to_string(&t).unwrap();
        assert_eq!(j, "\"Hello\"");
        assert_eq!(serde_json::from_str::<Text>(&j).unwrap(), t);
    }

    #[test]
    fn bilingual_round_trips_as_map() {
        let t = Text::new("Police and crime plan").with("cy", "Cynllun heddlu a throseddu");
        let j = serde_json::to_string(&t).unwrap();
        assert!(j.starts_with('{'));
        assert_eq!(serde_json::from_str::<Text>(&j).unwrap(), t);
    }

    #[test]
    fn primary_falls_back_to_first_language() {
        let t: Text = serde_json::from_str(r#"{"cy": "Helo"}"#).unwrap();
        assert_eq!(t.primary(), "Helo");
        assert!(!t.is_blank());
        assert!(Text::new("  ").is_blank());
    }
}
