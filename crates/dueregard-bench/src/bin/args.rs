//! A small `--name value` argument reader shared by the binaries.

use std::collections::BTreeMap;

use dueregard_bench::{BenchError, Result};

/// Positional arguments and `--name value` options.
pub struct Args {
    pub positional: Vec<String>,
    pub options: BTreeMap<String, String>,
}

impl Args {
    pub fn parse(known: &[&str]) -> Result<Args> {
        let mut positional = Vec::new();
        let mut options = BTreeMap::new();
        let mut it = std::env::args().skip(1);
        while let Some(a) = it.next() {
            if let Some(name) = a.strip_prefix("--") {
                if !known.contains(&name) {
                    return Err(BenchError::Usage {
                        detail: format!("unknown option --{name}; known: --{}", known.join(", --")),
                    });
                }
                let value = it.next().ok_or_else(|| BenchError::Usage {
                    detail: format!("--{name} needs a value"),
                })?;
                options.insert(name.to_string(), value);
            } else {
                positional.push(a);
            }
        }
        Ok(Args {
            positional,
            options,
        })
    }

    pub fn number<T: std::str::FromStr>(&self, name: &str, default: Option<T>) -> Result<T> {
        match self.options.get(name) {
            Some(v) => v.replace('_', "").parse().map_err(|_| BenchError::Usage {
                detail: format!("--{name} must be a whole number, not {v:?}"),
            }),
            None => default.ok_or_else(|| BenchError::Usage {
                detail: format!("--{name} is required"),
            }),
        }
    }
}
