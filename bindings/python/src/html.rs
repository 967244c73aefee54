//! HTML renderings for Jupyter (`_repr_html_`): a short header, counts per state and a RAG
//! table coloured by rating.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use dueregard::{view, Rag, State, Tracker};

/// Escapes text for HTML.
pub fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn colour(rag: Rag) -> &'static str {
    match rag {
        Rag::Blue => "#2f6fb3",
        Rag::Green => "#2e8b57",
        Rag::Amber => "#e0a100",
        Rag::Red => "#c0392b",
    }
}

fn counts_table(title: &str, counts: &BTreeMap<String, usize>) -> String {
    let mut out = format!(
        "<table><thead><tr><th colspan=\"2\">{}</th></tr></thead><tbody>",
        esc(title)
    );
    for (k, v) in counts {
        out.push_str(&format!("<tr><td>{}</td><td>{v}</td></tr>", esc(k)));
    }
    out.push_str("</tbody></table>");
    out
}

fn rag_cell(rag: Option<Rag>) -> String {
    match rag {
        Some(r) => format!(
            "<td style=\"background:{};color:white;font-weight:bold\">{}</td>",
            colour(r),
            r.name()
        ),
        None => "<td>unrated</td>".to_string(),
    }
}

/// One level of the core's RAG view: a row per line with its rating and reason.
fn rag_lines(title: &str, lines: &[view::RagLine]) -> String {
    let mut out = format!(
        "<table><thead><tr><th colspan=\"4\">{}</th></tr><tr><th>id</th><th>title</th>\
         <th>RAG</th><th>reason</th></tr></thead><tbody>",
        esc(title)
    );
    for l in lines {
        out.push_str(&format!(
            "<tr><td>{}</td><td>{}</td>{}<td>{}</td></tr>",
            esc(&l.id),
            esc(&l.title),
            rag_cell(l.rag),
            esc(&l.reason)
        ));
    }
    out.push_str("</tbody></table>");
    out
}

/// A RAG report: bodies and plans with their ratings and reasons.
pub fn rag_report(r: &view::RagReport) -> String {
    format!(
        "<div class=\"dueregard\"><strong>RAG</strong> as of {}<div style=\"display:flex;gap:1.5em;\
         align-items:flex-start\">{}{}</div></div>",
        r.as_of,
        rag_lines("bodies", &r.bodies),
        rag_lines("plans", &r.plans)
    )
}

/// The tracker: header, RAG table, counts per state and per plan.
pub fn tracker(t: &Tracker, today: NaiveDate) -> String {
    let s = dueregard::view::summary(t, today);
    let mut out = format!(
        "<div class=\"dueregard\"><strong>Tracker</strong>: {} events, {} reviews, {} recommendations, \
         {} plans, {} actions; {} overdue actions and {} overdue milestones as of {}",
        t.version(),
        t.reviews().len(),
        t.recommendations().len(),
        t.plans().len(),
        t.actions().len(),
        s.overdue_actions,
        s.overdue_milestones,
        today
    );
    out.push_str("<div style=\"display:flex;gap:1.5em;align-items:flex-start\">");
    out.push_str(&rag_lines(
        "bodies (RAG, default policy)",
        &view::rag(t, today, &view::RagPolicy::default()).bodies,
    ));
    out.push_str(&counts_table("responses", &s.responses));
    out.push_str(&counts_table("actions", &s.actions));
    out.push_str("</div>");
    out.push_str(&plans_table(&s));
    out.push_str("</div>");
    out
}

fn plans_table(s: &dueregard::view::Summary) -> String {
    let mut out = String::from(
        "<table><thead><tr><th>plan</th><th>owner</th><th>actions</th><th>done</th>\
         <th>verified</th><th>overdue</th><th>% done</th></tr></thead><tbody>",
    );
    for p in &s.plans {
        out.push_str(&format!(
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{:.0}</td></tr>",
            esc(&p.title),
            esc(&p.owner),
            p.actions,
            p.done,
            p.verified,
            p.overdue,
            p.percent_done
        ));
    }
    out.push_str("</tbody></table>");
    out
}

/// A summary: headline counts, states and plans.
pub fn summary(s: &dueregard::view::Summary) -> String {
    let mut out = format!(
        "<div class=\"dueregard\"><strong>Summary as of {}</strong>: {} reviews, {} recommendations \
         ({} answered by no action); {} overdue actions, {} overdue milestones",
        s.as_of,
        s.reviews,
        s.recommendations,
        s.unanswered_recommendations,
        s.overdue_actions,
        s.overdue_milestones
    );
    out.push_str("<div style=\"display:flex;gap:1.5em;align-items:flex-start\">");
    out.push_str(&counts_table("responses", &s.responses));
    out.push_str(&counts_table("implementation", &s.implementation));
    out.push_str(&counts_table("actions", &s.actions));
    out.push_str("</div>");
    out.push_str(&plans_table(s));
    out.push_str("</div>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup() {
        assert_eq!(esc("<a & \"b\">"), "&lt;a &amp; &quot;b&quot;&gt;");
    }

    /// The tracker's RAG table is the core's RAG view of bodies: one row per
    /// body with that body's own rating, on the date the views default to.
    #[test]
    fn tracker_html_rates_each_body_in_its_row() {
        let t = dueregard::example::tracker();
        let day = crate::views::default_date(&t);
        assert_eq!(
            day,
            NaiveDate::from_ymd_opt(2025, 3, 28).unwrap_or_default()
        );
        let html = tracker(&t, day);
        assert!(html.contains(&format!("as of {day}")), "{html}");
        let bodies = view::rag(&t, day, &view::RagPolicy::default()).bodies;
        assert_eq!(bodies.len(), 8);
        for b in &bodies {
            let row = format!(
                "<tr><td>{}</td><td>{}</td>{}<td>{}</td></tr>",
                esc(&b.id),
                esc(&b.title),
                rag_cell(b.rag),
                esc(&b.reason)
            );
            assert!(html.contains(&row), "no row {row}");
        }
        // Read off the example at its last event: the force is red overall,
        // its borough units amber, the Home Office amber.
        let rating = |id: &str| bodies.iter().find(|b| b.id == id).and_then(|b| b.rag);
        assert_eq!(rating("met"), Some(Rag::Red));
        assert_eq!(rating("met-cn"), Some(Rag::Amber));
        assert_eq!(rating("home-office"), Some(Rag::Amber));
        assert!(html.contains(
            "<tr><td>met-cn</td><td>Met Central North BCU (Islington and Camden)</td>\
             <td style=\"background:#e0a100;color:white;font-weight:bold\">amber</td>"
        ));
    }

    /// Every colour has its own cell style, and an unrated line says so.
    #[test]
    fn rag_cells_are_coloured_per_rating() {
        for rag in Rag::all() {
            let cell = rag_cell(Some(*rag));
            assert!(
                cell.contains(&format!("background:{}", colour(*rag))),
                "{cell}"
            );
            assert!(cell.ends_with(&format!(">{}</td>", rag.name())), "{cell}");
        }
        let colours: std::collections::BTreeSet<_> =
            Rag::all().iter().map(|r| colour(*r)).collect();
        assert_eq!(colours.len(), Rag::all().len());
        assert_eq!(rag_cell(None), "<td>unrated</td>");
    }

    /// Without events the views, and so the rendering, describe today.
    #[test]
    fn an_empty_tracker_is_described_as_of_today() {
        let t = Tracker::new();
        assert_eq!(
            crate::views::default_date(&t),
            chrono::Utc::now().date_naive()
        );
    }
}
