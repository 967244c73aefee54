//! Text in one or more languages (for example English and Welsh).

use std::collections::BTreeMap;
use std::fmt;

use schemars::JsonSchema;
use serde::de::{self, MapAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

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
#[derive(Debug, Clone, Default)]
pub struct Text(Repr);

/// A plain string needs no map: most titles are in one language, so they
/// take one allocation and two words.
#[derive(Debug, Clone)]
enum Repr {
    /// English text.
    Plain(Box<str>),
    /// Language tag to text (never empty when built through the public API,
    /// but an empty JSON object is accepted and reads as blank).
    // Boxed so that the rare case does not make every text larger.
    #[allow(clippy::box_collection)]
    Localised(Box<BTreeMap<String, String>>),
}

impl Default for Repr {
    fn default() -> Self {
        Repr::Plain(Box::from(""))
    }
}

impl PartialEq for Text {
    fn eq(&self, other: &Self) -> bool {
        match (&self.0, &other.0) {
            (Repr::Plain(a), Repr::Plain(b)) => a == b,
            _ => self.translations().eq(other.translations()),
        }
    }
}

impl Eq for Text {}

/// A plain string (English) or an object of language tags to strings.
#[derive(JsonSchema)]
#[serde(untagged)]
#[allow(dead_code)]
enum TextSchema {
    /// English text.
    Plain(String),
    /// Language tag to text.
    Localised(BTreeMap<String, String>),
}

impl JsonSchema for Text {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Text".into()
    }
    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        TextSchema::json_schema(generator)
    }
}

impl Serialize for Text {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match &self.0 {
            Repr::Plain(s) => serializer.serialize_str(s),
            Repr::Localised(m) => m.serialize(serializer),
        }
    }
}

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct TextVisitor;
        impl<'de> Visitor<'de> for TextVisitor {
            type Value = Text;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string, or an object of language tags to strings")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Text, E> {
                Ok(Text::new(v))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Text, E> {
                Ok(Text::new(v))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Text, A::Error> {
                let mut m = BTreeMap::new();
                while let Some((k, v)) = map.next_entry::<String, String>()? {
                    m.insert(k, v);
                }
                Ok(Text::from_map(m))
            }
        }
        deserializer.deserialize_any(TextVisitor)
    }
}

impl Text {
    /// A text in the default language (English).
    pub fn new(s: impl Into<String>) -> Self {
        Text(Repr::Plain(s.into().into_boxed_str()))
    }

    /// Adds (or replaces) the text in another language.
    pub fn with(self, language: impl Into<String>, s: impl Into<String>) -> Self {
        let (language, s) = (language.into(), s.into());
        let mut m = match self.0 {
            Repr::Plain(p) => {
                let mut m = BTreeMap::new();
                m.insert(DEFAULT_LANGUAGE.to_string(), String::from(p));
                m
            }
            Repr::Localised(m) => *m,
        };
        m.insert(language, s);
        Text::from_map(m)
    }

    /// The text in `language`, if given.
    pub fn get(&self, language: &str) -> Option<&str> {
        match &self.0 {
            Repr::Plain(s) => (language == DEFAULT_LANGUAGE).then_some(s),
            Repr::Localised(m) => m.get(language).map(String::as_str),
        }
    }

    /// The English text, or the first language available.
    pub fn primary(&self) -> &str {
        match &self.0 {
            Repr::Plain(s) => s,
            Repr::Localised(m) => m
                .get(DEFAULT_LANGUAGE)
                .or_else(|| m.values().next())
                .map_or("", String::as_str),
        }
    }

    /// Every language and its text, by language tag.
    pub fn translations(&self) -> impl Iterator<Item = (&str, &str)> + '_ {
        let (plain, map) = match &self.0 {
            Repr::Plain(s) => (Some((DEFAULT_LANGUAGE, &**s)), None),
            Repr::Localised(m) => (None, Some(m.iter().map(|(k, v)| (k.as_str(), v.as_str())))),
        };
        plain.into_iter().chain(map.into_iter().flatten())
    }

    /// Builds a text from language/text pairs.
    pub fn from_map(mut m: BTreeMap<String, String>) -> Self {
        if m.len() == 1 {
            if let Some(s) = m.remove(DEFAULT_LANGUAGE) {
                return Text::new(s);
            }
        }
        Text(Repr::Localised(Box::new(m)))
    }

    /// True when no language has any non-blank text.
    pub fn is_blank(&self) -> bool {
        self.translations().all(|(_, s)| s.trim().is_empty())
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

    #[test]
    fn a_text_is_two_words() {
        assert_eq!(
            std::mem::size_of::<Text>(),
            2 * std::mem::size_of::<usize>()
        );
    }

    #[test]
    fn english_only_map_equals_plain_and_writes_plain() {
        let t: Text = serde_json::from_str(r#"{"en": "Hello"}"#).unwrap();
        assert_eq!(t, Text::new("Hello"));
        assert_eq!(serde_json::to_string(&t).unwrap(), "\"Hello\"");
        let both = Text::new("Hello").with("cy", "Helo");
        assert_eq!(both.translations().count(), 2);
        assert_eq!(both.get("en"), Some("Hello"));
        assert_eq!(both.get("cy"), Some("Helo"));
        assert!(serde_json::from_str::<Text>("3").is_err());
    }
}
