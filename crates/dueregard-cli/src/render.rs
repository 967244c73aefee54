//! Rendering rows as an aligned table (coloured on a terminal, plain when
//! piped), CSV or JSON.

use comfy_table::{presets, Cell, CellAlignment, Color, ContentArrangement, Table};
use serde::Serialize;

use crate::error::{CliError, Result};

/// Output format of the listing commands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// An aligned table.
    Table,
    /// JSON (the view's own rows, for scripts).
    Json,
    /// CSV with a header row.
    Csv,
}

/// Rows of text with their headers.
#[derive(Debug, Default)]
pub struct Grid {
    /// Column headers.
    pub headers: Vec<String>,
    /// Rows, each as long as the headers.
    pub rows: Vec<Vec<String>>,
    /// Columns holding numbers (right-aligned).
    pub numeric: Vec<usize>,
    /// Column holding a RAG rating (coloured on a terminal).
    pub rag: Option<usize>,
}

impl Grid {
    /// A grid with these headers.
    pub fn new<S: AsRef<str>>(headers: &[S]) -> Self {
        Grid {
            headers: headers.iter().map(|h| h.as_ref().to_string()).collect(),
            ..Grid::default()
        }
    }

    /// Marks numeric columns.
    pub fn numeric(mut self, cols: &[usize]) -> Self {
        self.numeric = cols.to_vec();
        self
    }

    /// Marks the RAG column.
    pub fn rag(mut self, col: usize) -> Self {
        self.rag = Some(col);
        self
    }

    /// Adds a row.
    pub fn push(&mut self, row: Vec<String>) {
        self.rows.push(row);
    }

    /// The grid as a table; `color` adds borders and colours for a terminal.
    pub fn table(&self, color: bool) -> String {
        let mut t = Table::new();
        if color {
            t.load_preset(presets::UTF8_FULL_CONDENSED)
                .set_content_arrangement(ContentArrangement::Dynamic);
        } else {
            t.load_preset(presets::NOTHING)
                .set_content_arrangement(ContentArrangement::Disabled);
        }
        t.set_header(self.headers.iter().map(|h| {
            let c = Cell::new(h);
            if color {
                c.add_attribute(comfy_table::Attribute::Bold)
            } else {
                c
            }
        }));
        for row in &self.rows {
            t.add_row(row.iter().enumerate().map(|(i, v)| {
                let mut c = Cell::new(v);
                if self.numeric.contains(&i) {
                    c = c.set_alignment(CellAlignment::Right);
                }
                if color && self.rag == Some(i) {
                    if let Some(col) = rag_colour(v) {
                        c = c.fg(col);
                    }
                }
                c
            }));
        }
        let mut s = t.to_string();
        if !color {
            // Plain tables: trailing padding removed, so piped output diffs cleanly.
            s = s.lines().map(str::trim_end).collect::<Vec<_>>().join("\n");
        }
        s.push('\n');
        s
    }

    /// The grid as CSV.
    pub fn csv(&self) -> Result<String> {
        let mut w = csv::Writer::from_writer(Vec::new());
        let fail = |e: csv::Error| CliError::BadValue {
            what: "csv output",
            value: String::new(),
            hint: e.to_string(),
        };
        w.write_record(&self.headers).map_err(fail)?;
        for r in &self.rows {
            w.write_record(r).map_err(fail)?;
        }
        let bytes = w.into_inner().map_err(|e| CliError::BadValue {
            what: "csv output",
            value: String::new(),
            hint: e.to_string(),
        })?;
        Ok(String::from_utf8_lossy(&bytes).into_owned())
    }
}

fn rag_colour(v: &str) -> Option<Color> {
    Some(match v {
        "blue" => Color::Blue,
        "green" => Color::Green,
        "amber" => Color::Yellow,
        "red" => Color::Red,
        _ => return None,
    })
}

/// Renders a view: the grid for table and CSV, the value itself for JSON.
pub fn render<T: Serialize>(value: &T, grid: &Grid, format: Format, color: bool) -> Result<String> {
    match format {
        Format::Table => Ok(grid.table(color)),
        Format::Csv => grid.csv(),
        Format::Json => {
            let mut s = serde_json::to_string_pretty(value).map_err(|e| CliError::BadValue {
                what: "json output",
                value: String::new(),
                hint: e.to_string(),
            })?;
            s.push('\n');
            Ok(s)
        }
    }
}

/// A number with no decimals, or `-`.
pub fn pct(v: Option<f64>) -> String {
    v.map(|x| format!("{x:.0}")).unwrap_or_else(|| "-".into())
}

/// An optional value, or `-`.
pub fn opt<T: std::fmt::Display>(v: Option<T>) -> String {
    v.map(|x| x.to_string()).unwrap_or_else(|| "-".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_table_is_aligned_and_csv_quotes() {
        let mut g = Grid::new(&["id", "n"]).numeric(&[1]);
        g.push(vec!["a".into(), "1".into()]);
        g.push(vec!["long, id".into(), "22".into()]);
        let t = g.table(false);
        let lines: Vec<&str> = t.lines().collect();
        assert_eq!(lines.len(), 3);
        assert!(lines[2].ends_with("22"));
        assert!(lines[1].ends_with(" 1"));
        assert_eq!(g.csv().unwrap(), "id,n\na,1\n\"long, id\",22\n");
    }
}
