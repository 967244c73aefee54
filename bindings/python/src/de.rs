//! A serde `Deserializer` that reads the core's types straight from Python values, without the
//! `serde_json::Value` tree that [`crate::convert::to_json`] builds first.
//!
//! It accepts exactly the values `to_json` accepts (dicts with string keys, lists, tuples,
//! strings (str-mixed enum members included), ints, floats, booleans, `None`, aware datetimes
//! and dates) and hands them to the visitor as `serde_json::Value`'s deserializer would, so a
//! value it reads gives the same result as the `to_json` route. Anything else is an error; the
//! callers then run the `to_json` route, which reports the problem with the field's path. This
//! module is only a faster route to the same result: it holds no rule.

use std::fmt;

use pyo3::prelude::*;
use pyo3::types::{
    PyBool, PyBytes, PyDate, PyDateTime, PyDict, PyFloat, PyInt, PyList, PyString, PyTuple,
};
use serde::de::{
    self, DeserializeSeed, Deserializer, EnumAccess, IntoDeserializer, MapAccess, SeqAccess,
    VariantAccess, Visitor,
};

use crate::convert::to_utc;

/// Why a Python value could not be read on the direct route (the caller then reports the
/// problem through the `to_json` route).
#[derive(Debug)]
pub struct DeError(String);

impl fmt::Display for DeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for DeError {}

impl de::Error for DeError {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        DeError(msg.to_string())
    }
}

impl From<PyErr> for DeError {
    fn from(e: PyErr) -> Self {
        DeError(e.to_string())
    }
}

type Result<T> = std::result::Result<T, DeError>;

fn unsupported() -> DeError {
    DeError("a value the direct route does not read".into())
}

/// Reads a core value from a Python value.
pub fn from_py<'de, T: serde::Deserialize<'de>>(obj: &Bound<'_, PyAny>) -> Result<T> {
    T::deserialize(PyDe(obj))
}

/// Reads a core `Command` from its name and its fields given as keyword arguments: the same
/// as deserialising `{name: fields}` (or `{name: {}}` without fields).
pub fn command_from_kwargs(
    name: &str,
    fields: Option<&Bound<'_, PyDict>>,
) -> Result<dueregard::Command> {
    serde::Deserialize::deserialize(CommandDe { name, fields })
}

/// The UTF-8 text of a Python `str`, held in a `bytes` object. (The stable ABI of Python 3.9
/// has no borrowed UTF-8 view of a `str`; this saves the copy into a `String` that
/// `PyString::to_cow` makes, which matters for the many short keys of a command.)
pub struct Utf8<'py>(Bound<'py, PyBytes>);

impl Utf8<'_> {
    pub fn new<'py>(s: &Bound<'py, PyString>) -> Result<Utf8<'py>> {
        Ok(Utf8(s.encode_utf8()?))
    }

    pub fn as_str(&self) -> Result<&str> {
        std::str::from_utf8(self.0.as_bytes()).map_err(|e| DeError(e.to_string()))
    }
}

fn visit_py_str<'de, V: Visitor<'de>>(s: &Bound<'_, PyString>, v: V) -> Result<V::Value> {
    v.visit_str(Utf8::new(s)?.as_str()?)
}

/// One Python value being read.
struct PyDe<'a, 'py>(&'a Bound<'py, PyAny>);

impl<'de> Deserializer<'de> for PyDe<'_, '_> {
    type Error = DeError;

    fn deserialize_any<V: Visitor<'de>>(self, v: V) -> Result<V::Value> {
        let obj = self.0;
        if let Ok(s) = obj.cast::<PyString>() {
            return visit_py_str(s, v);
        }
        if let Ok(d) = obj.cast::<PyDict>() {
            return v.visit_map(DictAccess::new(Some(d)));
        }
        if obj.is_none() {
            return v.visit_unit();
        }
        if let Ok(b) = obj.cast::<PyBool>() {
            return v.visit_bool(b.is_true());
        }
        if obj.is_instance_of::<PyInt>() {
            // As `to_json` does: an int outside i64 is refused.
            let i: i64 = obj.extract().map_err(|_| unsupported())?;
            return if i >= 0 {
                v.visit_u64(i as u64)
            } else {
                v.visit_i64(i)
            };
        }
        if let Ok(l) = obj.cast::<PyList>() {
            return v.visit_seq(ListAccess {
                items: ListItems::List(l.clone()),
                next: 0,
                len: l.len(),
            });
        }
        if let Ok(t) = obj.cast::<PyTuple>() {
            return v.visit_seq(ListAccess {
                items: ListItems::Tuple(t.clone()),
                next: 0,
                len: t.len(),
            });
        }
        if obj.is_instance_of::<PyFloat>() {
            let f: f64 = obj.extract()?;
            return if f.is_finite() {
                v.visit_f64(f)
            } else {
                Err(unsupported())
            };
        }
        if obj.is_instance_of::<PyDateTime>() {
            let t = to_utc(obj, "value")?;
            return v.visit_string(t.to_rfc3339());
        }
        if obj.is_instance_of::<PyDate>() {
            let d: chrono::NaiveDate = obj.extract()?;
            return v.visit_string(d.to_string());
        }
        Err(unsupported())
    }

    fn deserialize_option<V: Visitor<'de>>(self, v: V) -> Result<V::Value> {
        if self.0.is_none() {
            v.visit_none()
        } else {
            v.visit_some(self)
        }
    }

    fn deserialize_unit<V: Visitor<'de>>(self, v: V) -> Result<V::Value> {
        if self.0.is_none() {
            v.visit_unit()
        } else {
            Err(unsupported())
        }
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(self, _: &'static str, v: V) -> Result<V::Value> {
        self.deserialize_unit(v)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        v: V,
    ) -> Result<V::Value> {
        v.visit_newtype_struct(self)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: &'static [&'static str],
        v: V,
    ) -> Result<V::Value> {
        let obj = self.0;
        if let Ok(s) = obj.cast::<PyString>() {
            let name = Utf8::new(s)?;
            return v.visit_enum(name.as_str()?.into_deserializer());
        }
        if let Ok(d) = obj.cast::<PyDict>() {
            if d.len() == 1 {
                if let Some((k, value)) = d.iter().next() {
                    let key = k.cast::<PyString>().map_err(|_| unsupported())?;
                    let name = Utf8::new(key)?;
                    return v.visit_enum(ValueEnum { name, value });
                }
            }
        }
        Err(unsupported())
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, v: V) -> Result<V::Value> {
        v.visit_unit()
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf seq tuple tuple_struct map struct identifier
    }
}

/// The items of a dict, read in order.
struct DictAccess<'py> {
    iter: Option<pyo3::types::iter::BoundDictIterator<'py>>,
    value: Option<Bound<'py, PyAny>>,
}

impl<'py> DictAccess<'py> {
    fn new(dict: Option<&Bound<'py, PyDict>>) -> Self {
        DictAccess {
            iter: dict.map(|d| d.iter()),
            value: None,
        }
    }
}

impl<'de> MapAccess<'de> for DictAccess<'_> {
    type Error = DeError;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>> {
        let Some((k, value)) = self.iter.as_mut().and_then(Iterator::next) else {
            return Ok(None);
        };
        let key = k.cast::<PyString>().map_err(|_| unsupported())?;
        self.value = Some(value);
        let key = Utf8::new(key)?;
        seed.deserialize(de::value::StrDeserializer::<DeError>::new(key.as_str()?))
            .map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value> {
        match self.value.take() {
            Some(value) => seed.deserialize(PyDe(&value)),
            None => Err(DeError("a value was asked for before its key".into())),
        }
    }

    fn size_hint(&self) -> Option<usize> {
        self.iter.as_ref().map(ExactSizeIterator::len)
    }
}

enum ListItems<'py> {
    List(Bound<'py, PyList>),
    Tuple(Bound<'py, PyTuple>),
}

/// The items of a list or tuple, read in order.
struct ListAccess<'py> {
    items: ListItems<'py>,
    next: usize,
    len: usize,
}

impl<'de> SeqAccess<'de> for ListAccess<'_> {
    type Error = DeError;

    fn next_element_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<Option<T::Value>> {
        if self.next >= self.len {
            return Ok(None);
        }
        let item = match &self.items {
            ListItems::List(l) => l.get_item(self.next)?,
            ListItems::Tuple(t) => t.get_item(self.next)?,
        };
        self.next += 1;
        seed.deserialize(PyDe(&item)).map(Some)
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.len.saturating_sub(self.next))
    }
}

/// An externally tagged enum value written as a one-item dict `{variant: content}`.
struct ValueEnum<'py> {
    name: Utf8<'py>,
    value: Bound<'py, PyAny>,
}

impl<'de, 'py> EnumAccess<'de> for ValueEnum<'py> {
    type Error = DeError;
    type Variant = Content<'py>;

    fn variant_seed<S: DeserializeSeed<'de>>(self, seed: S) -> Result<(S::Value, Self::Variant)> {
        let variant = seed.deserialize(de::value::StrDeserializer::<DeError>::new(
            self.name.as_str()?,
        ))?;
        Ok((variant, Content(self.value)))
    }
}

/// The content of a `{variant: content}` dict.
struct Content<'py>(Bound<'py, PyAny>);

impl<'de> VariantAccess<'de> for Content<'_> {
    type Error = DeError;

    fn unit_variant(self) -> Result<()> {
        if self.0.is_none() {
            Ok(())
        } else {
            Err(unsupported())
        }
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<T::Value> {
        seed.deserialize(PyDe(&self.0))
    }

    fn tuple_variant<V: Visitor<'de>>(self, _: usize, _: V) -> Result<V::Value> {
        Err(unsupported())
    }

    fn struct_variant<V: Visitor<'de>>(self, _: &'static [&'static str], v: V) -> Result<V::Value> {
        match self.0.cast::<PyDict>() {
            Ok(d) => v.visit_map(DictAccess::new(Some(d))),
            Err(_) => Err(unsupported()),
        }
    }
}

/// A command given as its name plus keyword arguments.
struct CommandDe<'a, 'py> {
    name: &'a str,
    fields: Option<&'a Bound<'py, PyDict>>,
}

impl<'de> Deserializer<'de> for CommandDe<'_, '_> {
    type Error = DeError;

    fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value> {
        Err(unsupported())
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: &'static [&'static str],
        v: V,
    ) -> Result<V::Value> {
        v.visit_enum(self)
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf option unit unit_struct newtype_struct seq tuple
        tuple_struct map struct identifier ignored_any
    }
}

impl<'de, 'a, 'py> EnumAccess<'de> for CommandDe<'a, 'py> {
    type Error = DeError;
    type Variant = Self;

    fn variant_seed<S: DeserializeSeed<'de>>(self, seed: S) -> Result<(S::Value, Self)> {
        let variant = seed.deserialize(de::value::StrDeserializer::<DeError>::new(self.name))?;
        Ok((variant, self))
    }
}

impl<'de> VariantAccess<'de> for CommandDe<'_, '_> {
    type Error = DeError;

    // `{name: {}}` is not a unit variant's form: the `to_json` route refuses it too.
    fn unit_variant(self) -> Result<()> {
        Err(unsupported())
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, _: T) -> Result<T::Value> {
        Err(unsupported())
    }

    fn tuple_variant<V: Visitor<'de>>(self, _: usize, _: V) -> Result<V::Value> {
        Err(unsupported())
    }

    fn struct_variant<V: Visitor<'de>>(self, _: &'static [&'static str], v: V) -> Result<V::Value> {
        v.visit_map(DictAccess::new(self.fields))
    }
}
