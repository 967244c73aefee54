//! The committee report for a reporting quarter, in Markdown or as one
//! self-contained HTML file (inline CSS and SVG, no scripts, no network).

use std::fmt::Write as _;

use dueregard::view::{self, Period, PeriodConfig, RagPolicy};
use dueregard::{Indicator, Tracker};

use crate::render::{opt, Grid};

/// One part of the report.
struct Section {
    title: String,
    intro: String,
    grid: Option<Grid>,
    rag_col: Option<usize>,
}

struct Report {
    title: String,
    subtitle: String,
    sections: Vec<Section>,
    indicators: Vec<Indicator>,
    as_of: chrono::NaiveDate,
}

fn build(t: &Tracker, period: &Period, config: &PeriodConfig) -> Report {
    let as_of = period.end;
    let prev = config.previous(period);
    let policy = RagPolicy::default();
    let s = view::summary(t, as_of);
    let rag = view::rag(t, as_of, &policy);
    let mut sections = Vec::new();

    let counts = |m: &std::collections::BTreeMap<String, usize>| {
        m.iter()
            .map(|(k, v)| format!("{} {v}", k.replace('_', " ")))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut g = Grid::new(&["measure", "value"]);
    g.push(vec!["reviews".into(), s.reviews.to_string()]);
    g.push(vec![
        "recommendations".into(),
        s.recommendations.to_string(),
    ]);
    g.push(vec!["responses".into(), counts(&s.responses)]);
    g.push(vec!["implementation".into(), counts(&s.implementation)]);
    g.push(vec!["actions".into(), counts(&s.actions)]);
    g.push(vec![
        "overdue actions".into(),
        s.overdue_actions.to_string(),
    ]);
    g.push(vec![
        "overdue or missed milestones".into(),
        s.overdue_milestones.to_string(),
    ]);
    g.push(vec![
        "recommendations with no action".into(),
        s.unanswered_recommendations.to_string(),
    ]);
    sections.push(Section {
        title: "Summary".into(),
        intro: format!("The position at the end of {} ({}).", period.label, as_of),
        grid: Some(g),
        rag_col: None,
    });

    let mut g = Grid::new(&["recommendation", "title", "addressed to", "rating", "why"]);
    for l in &rag.recommendations {
        let why = rag
            .responses
            .iter()
            .filter(|r| r.id.starts_with(&format!("{}@", l.id)))
            .map(|r| format!("{}: {}", r.owner, r.reason))
            .collect::<Vec<_>>()
            .join("; ");
        g.push(vec![
            l.id.clone(),
            l.title.clone(),
            l.owner.clone(),
            opt(l.rag),
            why,
        ]);
    }
    sections.push(Section {
        title: "Rating per recommendation".into(),
        intro: "Blue: implemented and verified. Green: on track. Amber: a missed or moved date, or due within 30 days with work left. Red: overdue, or blocked for more than 28 days.".into(),
        grid: Some(g),
        rag_col: Some(3),
    });

    let late = view::overdue(t, as_of);
    let mut g = Grid::new(&["item", "owner", "due", "days late", "title"]);
    for i in &late {
        g.push(vec![
            i.id.clone(),
            i.owner.clone(),
            i.due.to_string(),
            i.days_late.to_string(),
            i.title.clone(),
        ]);
    }
    sections.push(Section {
        title: "Overdue".into(),
        intro: format!("{} item(s) late at {}.", late.len(), as_of),
        grid: (!late.is_empty()).then_some(g),
        rag_col: None,
    });

    let c = view::change(t, prev.end, as_of);
    let mut g = Grid::new(&["change", "item", "was", "now", "detail"]);
    for m in &c.moved {
        g.push(vec![
            "moved".into(),
            m.id.clone(),
            m.from.clone().unwrap_or_else(|| "(new)".into()),
            m.to.clone(),
            m.title.clone(),
        ]);
    }
    for x in &c.slipped {
        g.push(vec![
            "slipped".into(),
            x.id.clone(),
            x.was.to_string(),
            x.now.to_string(),
            format!("{} days: {}", x.days, x.reason),
        ]);
    }
    for e in &c.evidence {
        g.push(vec![
            "evidence".into(),
            e.id.clone(),
            String::new(),
            e.on.to_string(),
            format!("{} ({})", e.reference, e.about),
        ]);
    }
    for d in &c.decisions {
        g.push(vec![
            "decision".into(),
            d.id.clone(),
            String::new(),
            d.outcome.replace('_', " "),
            format!("{} on {}: {}", d.committee, d.meeting, d.about),
        ]);
    }
    sections.push(Section {
        title: format!("Changes since {}", prev.label),
        intro: format!(
            "{} event(s) recorded after {} up to {}.",
            c.events, prev.end, as_of
        ),
        grid: (!g.rows.is_empty()).then_some(g),
        rag_col: None,
    });

    let cov = view::coverage(t, as_of);
    let mut g = Grid::new(&["gap", "items"]);
    g.push(vec![
        "recommendations with no action".into(),
        join(&cov.without_action),
    ]);
    g.push(vec![
        "accepted with no action of the addressee".into(),
        join(&cov.accepted_without_plan),
    ]);
    g.push(vec![
        "actions answering no recommendation".into(),
        join(&cov.actions_answering_nothing),
    ]);
    sections.push(Section {
        title: "Coverage gaps".into(),
        intro: String::new(),
        grid: Some(g),
        rag_col: None,
    });

    let slips = view::slippage(t, as_of, 2);
    let mut g = Grid::new(&[
        "item",
        "owner",
        "original",
        "current",
        "revisions",
        "days moved",
        "serial",
    ]);
    for r in &slips {
        g.push(vec![
            r.id.clone(),
            r.owner.clone(),
            r.original.to_string(),
            r.current.to_string(),
            r.revisions.to_string(),
            r.days_moved.to_string(),
            if r.serial { "yes".into() } else { "no".into() },
        ]);
    }
    sections.push(Section {
        title: "Slippage".into(),
        intro:
            "Target dates moved since first set; two or more revisions count as serial extensions."
                .into(),
        grid: (!slips.is_empty()).then_some(g),
        rag_col: None,
    });

    let snapshot = t.as_of(as_of);
    let indicators: Vec<Indicator> = snapshot.indicators().cloned().collect();
    let mut g = Grid::new(&[
        "indicator",
        "unit",
        "baseline",
        "latest",
        "target",
        "progress",
    ]);
    for i in &indicators {
        let latest = i.latest(as_of);
        g.push(vec![
            i.title.to_string(),
            i.unit.clone(),
            format!("{} ({})", num(i.baseline.value), i.baseline.on),
            format!("{} ({})", num(latest.value), latest.on),
            i.target
                .map(|x| format!("{} by {}", num(x.value), x.on))
                .unwrap_or_else(|| "-".into()),
            i.progress(as_of)
                .map(|p| format!("{:.0}%", p * 100.0))
                .unwrap_or_else(|| "-".into()),
        ]);
    }
    sections.push(Section {
        title: "Indicators".into(),
        intro: "Progress is the share of the way from baseline to target.".into(),
        grid: (!indicators.is_empty()).then_some(g),
        rag_col: None,
    });

    Report {
        title: format!("Progress on recommendations: {}", period.label),
        subtitle: format!(
            "{} to {}, compared with {}",
            period.start, period.end, prev.label
        ),
        sections,
        indicators,
        as_of,
    }
}

fn join(v: &[String]) -> String {
    if v.is_empty() {
        "none".into()
    } else {
        v.join(", ")
    }
}

fn num(v: f64) -> String {
    if v.fract() == 0.0 {
        format!("{v:.0}")
    } else {
        format!("{v:.1}")
    }
}

fn md_cell(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

/// The report as Markdown.
pub fn markdown(t: &Tracker, period: &Period, config: &PeriodConfig) -> String {
    let r = build(t, period, config);
    let mut out = format!("# {}\n\n{}\n", r.title, r.subtitle);
    for s in &r.sections {
        let _ = write!(out, "\n## {}\n\n", s.title);
        if !s.intro.is_empty() {
            let _ = writeln!(out, "{}\n", s.intro);
        }
        match &s.grid {
            None => out.push_str("None.\n"),
            Some(g) => {
                let _ = writeln!(
                    out,
                    "| {} |",
                    g.headers
                        .iter()
                        .map(|h| md_cell(h))
                        .collect::<Vec<_>>()
                        .join(" | ")
                );
                let _ = writeln!(out, "|{}", "---|".repeat(g.headers.len()));
                for row in &g.rows {
                    let _ = writeln!(
                        out,
                        "| {} |",
                        row.iter()
                            .map(|c| md_cell(c))
                            .collect::<Vec<_>>()
                            .join(" | ")
                    );
                }
            }
        }
    }
    out
}

/// Escapes text for HTML element content and attribute values.
pub fn esc(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&#39;"),
            _ => o.push(c),
        }
    }
    o
}

const CSS: &str = "body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;margin:2rem auto;max-width:72rem;color:#1b1b1b;padding:0 1rem}\
h1{font-size:1.6rem;margin-bottom:.2rem}h2{font-size:1.2rem;margin-top:2rem;border-bottom:2px solid #ccc;padding-bottom:.2rem}\
p.sub{color:#555;margin-top:0}table{border-collapse:collapse;width:100%;font-size:.85rem}\
th,td{border:1px solid #d0d0d0;padding:.3rem .45rem;text-align:left;vertical-align:top}th{background:#f1f1f1}\
td.rag{font-weight:600;text-align:center;width:5rem}.blue{background:#1d70b8;color:#fff}.green{background:#00703c;color:#fff}\
.amber{background:#ffbf47}.red{background:#d4351c;color:#fff}\
.charts{display:flex;flex-wrap:wrap;gap:1rem;margin-top:1rem}figure{margin:0;border:1px solid #ddd;padding:.5rem}\
figcaption{font-size:.8rem;max-width:320px}";

/// The report as one self-contained HTML page.
pub fn html(t: &Tracker, period: &Period, config: &PeriodConfig) -> String {
    let r = build(t, period, config);
    let mut out = String::new();
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{}</title>\n<style>{CSS}</style>\n</head>\n<body>\n<h1>{}</h1>\n<p class=\"sub\">{}</p>\n",
        esc(&r.title),
        esc(&r.title),
        esc(&r.subtitle)
    );
    for s in &r.sections {
        let id = s
            .title
            .to_lowercase()
            .replace(|c: char| !c.is_ascii_alphanumeric(), "-");
        let _ = write!(
            out,
            "<section id=\"{}\">\n<h2>{}</h2>\n",
            esc(&id),
            esc(&s.title)
        );
        if !s.intro.is_empty() {
            let _ = writeln!(out, "<p>{}</p>", esc(&s.intro));
        }
        match &s.grid {
            None => out.push_str("<p>None.</p>\n"),
            Some(g) => {
                out.push_str("<table>\n<thead><tr>");
                for h in &g.headers {
                    let _ = write!(out, "<th>{}</th>", esc(h));
                }
                out.push_str("</tr></thead>\n<tbody>\n");
                for row in &g.rows {
                    out.push_str("<tr>");
                    for (i, c) in row.iter().enumerate() {
                        if s.rag_col == Some(i) {
                            let _ = write!(out, "<td class=\"rag {}\">{}</td>", esc(c), esc(c));
                        } else {
                            let _ = write!(out, "<td>{}</td>", esc(c));
                        }
                    }
                    out.push_str("</tr>\n");
                }
                out.push_str("</tbody>\n</table>\n");
            }
        }
        if s.title == "Indicators" && !r.indicators.is_empty() {
            out.push_str("<div class=\"charts\">\n");
            for i in &r.indicators {
                out.push_str(&chart(i, r.as_of));
            }
            out.push_str("</div>\n");
        }
        out.push_str("</section>\n");
    }
    out.push_str("</body>\n</html>\n");
    out
}

/// A line chart of an indicator's baseline and observations up to `as_of`,
/// with its target as a dashed line.
fn chart(i: &Indicator, as_of: chrono::NaiveDate) -> String {
    let (w, h, pad) = (320.0_f64, 160.0_f64, 28.0_f64);
    let mut points = vec![i.baseline];
    points.extend(
        i.observations
            .iter()
            .copied()
            .filter(|o| o.on <= as_of && o.on > i.baseline.on),
    );
    let mut values: Vec<f64> = points.iter().map(|p| p.value).collect();
    if let Some(tg) = i.target {
        values.push(tg.value);
    }
    let lo = values.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let span = if (hi - lo).abs() < f64::EPSILON {
        1.0
    } else {
        hi - lo
    };
    let first = i.baseline.on;
    let last = i
        .target
        .map(|x| x.on)
        .unwrap_or(as_of)
        .max(as_of)
        .max(first);
    let days = ((last - first).num_days().max(1)) as f64;
    let x = |d: chrono::NaiveDate| pad + (w - 2.0 * pad) * ((d - first).num_days() as f64 / days);
    let y = |v: f64| h - pad - (h - 2.0 * pad) * ((v - lo) / span);
    let mut s = String::new();
    let _ = write!(
        s,
        "<figure>\n<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\" role=\"img\" aria-label=\"{}\">\n<rect x=\"0\" y=\"0\" width=\"{w}\" height=\"{h}\" fill=\"#fff\"/>\n<line x1=\"{pad}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"#999\"/>\n",
        esc(&i.title.to_string()),
        h - pad,
        w - pad,
        h - pad
    );
    if let Some(tg) = i.target {
        let _ = writeln!(
            s,
            "<line x1=\"{pad}\" y1=\"{ty:.1}\" x2=\"{}\" y2=\"{ty:.1}\" stroke=\"#00703c\" stroke-dasharray=\"4 3\"/><text x=\"{}\" y=\"{:.1}\" font-size=\"10\" text-anchor=\"end\" fill=\"#00703c\">target {}</text>",
            w - pad,
            w - pad,
            y(tg.value) - 3.0,
            num(tg.value),
            ty = y(tg.value)
        );
    }
    let path: Vec<String> = points
        .iter()
        .map(|p| format!("{:.1},{:.1}", x(p.on), y(p.value)))
        .collect();
    let _ = writeln!(
        s,
        "<polyline points=\"{}\" fill=\"none\" stroke=\"#1d70b8\" stroke-width=\"2\"/>",
        path.join(" ")
    );
    for p in &points {
        let _ = writeln!(
            s,
            "<circle cx=\"{:.1}\" cy=\"{:.1}\" r=\"3\" fill=\"#1d70b8\"><title>{}: {}</title></circle>",
            x(p.on),
            y(p.value),
            p.on,
            num(p.value)
        );
    }
    let _ = writeln!(
        s,
        "<text x=\"{pad}\" y=\"{}\" font-size=\"10\">{}</text>",
        h - 8.0,
        first
    );
    let _ = writeln!(
        s,
        "<text x=\"{}\" y=\"{}\" font-size=\"10\" text-anchor=\"end\">{}</text>",
        w - pad,
        h - 8.0,
        last
    );
    let _ = write!(
        s,
        "</svg>\n<figcaption>{} ({}): {} at baseline, {} latest</figcaption>\n</figure>\n",
        esc(&i.title.to_string()),
        esc(&i.unit),
        num(i.baseline.value),
        num(i.latest(as_of).value)
    );
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup() {
        assert_eq!(
            esc("<a href=\"x\">Tom & 'Jerry'</a>"),
            "&lt;a href=&quot;x&quot;&gt;Tom &amp; &#39;Jerry&#39;&lt;/a&gt;"
        );
    }

    #[test]
    fn html_is_self_contained() {
        let t = dueregard::example::tracker();
        let c = PeriodConfig::uk();
        let p = c.quarter_of(dueregard::example::as_of());
        let h = html(&t, &p, &c);
        assert!(h.contains("<svg"));
        assert!(!h.contains("<script"));
        assert!(
            !h.contains("http://")
                || h.matches("http://").count() == h.matches("http://www.w3.org/2000/svg").count()
        );
        assert!(!h.contains("https://"));
    }
}
