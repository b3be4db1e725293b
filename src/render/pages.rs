//! The pages of the site: which there are, where each is written, and the URLs between them.

use super::markdown::Resolve;
use crate::analyze::Dossier;
use crate::load::config::Config;

/// One file of the site, rendered from the model.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Page {
    Index,
    Timeline,
    Outlets,
    NotFound,
    /// `sitemap.xml` of a site of at most `Config::sitemap_urls` pages.
    Sitemap,
    /// `sitemap.xml` of a larger site: the index of its parts.
    SitemapIndex,
    /// One part of a large site's sitemap (`sitemaps/<k + 1>.xml`).
    SitemapPart(usize),
    Atom,
    Robots,
    Entities,
    Briefing,
    /// The sources the statements rest on, across events.
    Sources,
    Event(usize),
    /// An event's comparison of its reports (only for events of two reports or more).
    Compare(usize),
    Report(usize),
    Outlet(usize),
    Entity(usize),
    Search,
}

impl Page {
    pub(crate) fn output_path(self, d: &Dossier) -> String {
        match self {
            Page::Index => "index.html".into(),
            Page::Timeline => "timeline/index.html".into(),
            Page::Outlets => "outlets/index.html".into(),
            Page::NotFound => "404.html".into(),
            Page::Sitemap | Page::SitemapIndex => "sitemap.xml".into(),
            Page::SitemapPart(k) => format!("sitemaps/{}.xml", k + 1),
            Page::Atom => "atom.xml".into(),
            Page::Robots => "robots.txt".into(),
            Page::Event(i) => format!("events/{}/index.html", d.events[i].id),
            Page::Compare(i) => format!("events/{}/compare/index.html", d.events[i].id),
            Page::Report(i) => format!("reports/{}/index.html", d.reports[i].id),
            Page::Outlet(i) => format!("outlets/{}/index.html", d.outlets[i].slug),
            Page::Entities => "entities/index.html".into(),
            Page::Briefing => "briefing/index.html".into(),
            Page::Sources => "sources/index.html".into(),
            Page::Entity(i) => format!("entities/{}/index.html", d.entities.list[i].slug),
            Page::Search => "search/index.html".into(),
        }
    }

    pub(super) fn template(self) -> &'static str {
        match self {
            Page::Index => "index.html",
            Page::Timeline => "timeline.html",
            Page::Outlets => "outlets.html",
            Page::NotFound => "404.html",
            Page::Sitemap | Page::SitemapPart(_) => "sitemap.xml",
            Page::SitemapIndex => "sitemap_index.xml",
            Page::Atom => "atom.xml",
            Page::Robots => "robots.txt",
            Page::Event(_) => "event.html",
            Page::Compare(_) => "compare.html",
            Page::Report(_) => "report.html",
            Page::Outlet(_) => "outlet.html",
            Page::Entities => "entities.html",
            Page::Briefing => "briefing.html",
            Page::Sources => "sources.html",
            Page::Entity(_) => "entity.html",
            Page::Search => "search.html",
        }
    }
}

impl Page {
    /// The pages of event `e`: its page, and its comparison when it has one.
    pub(crate) fn of_event(d: &Dossier, e: usize) -> impl Iterator<Item = Page> {
        std::iter::once(Page::Event(e))
            .chain(super::compare::has_page(d, e).then_some(Page::Compare(e)))
    }
}

/// Every page of the site, in the order they are rendered.
pub(super) fn all(config: &Config, d: &Dossier) -> Vec<Page> {
    let mut pages = vec![Page::Index, Page::Timeline, Page::Outlets, Page::NotFound];
    pages.extend(sitemaps(config, d));
    pages.extend([Page::Atom, Page::Robots, Page::Entities, Page::Briefing]);
    pages.extend((0..d.entities.list.len()).map(Page::Entity));
    pages.extend((0..d.events.len()).flat_map(|e| Page::of_event(d, e)));
    pages.extend((0..d.reports.len()).map(Page::Report));
    pages.extend((0..d.outlets.len()).map(Page::Outlet));
    // Last: it reads every event's agreement, which the event pages have made by then.
    pages.push(Page::Sources);
    if config.search {
        pages.push(Page::Search);
    }
    pages
}

/// The sitemap's pages: `sitemap.xml` alone, or, for a site of more than
/// `Config::sitemap_urls` pages, an index and its parts.
pub(crate) fn sitemaps(config: &Config, d: &Dossier) -> Vec<Page> {
    let urls = super::feeds::sitemap_len(d);
    if urls <= config.sitemap_urls {
        return vec![Page::Sitemap];
    }
    std::iter::once(Page::SitemapIndex)
        .chain((0..urls.div_ceil(config.sitemap_urls)).map(Page::SitemapPart))
        .collect()
}

/// The prefix from a page at `path` back to the site root: `""`, `"../"`, `"../../"`.
pub(super) fn root_of(path: &str) -> String {
    "../".repeat(path.matches('/').count())
}

/// URL paths from the site root, ending in `/` for pretty URLs.
pub(crate) fn event_url(id: &str) -> String {
    format!("events/{id}/")
}
pub(crate) fn compare_url(id: &str) -> String {
    format!("events/{id}/compare/")
}
pub(crate) fn report_url(id: &str) -> String {
    format!("reports/{id}/")
}
pub(crate) fn outlet_url(slug: &str) -> String {
    format!("outlets/{slug}/")
}
pub(crate) fn entity_url(slug: &str) -> String {
    format!("entities/{slug}/")
}

impl Resolve for Dossier {
    fn resolve(&self, kind: &str, id: &str) -> Option<String> {
        match kind {
            "report" => self.report_index.get(id).map(|_| report_url(id)),
            "event" => self.event_index.get(id).map(|_| event_url(id)),
            "outlet" => self
                .outlets
                .iter()
                .find(|o| o.slug == id)
                .map(|o| outlet_url(&o.slug)),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roots_climb_to_the_site_root() {
        assert_eq!(root_of("index.html"), "");
        assert_eq!(root_of("timeline/index.html"), "../");
        assert_eq!(root_of("reports/x/index.html"), "../../");
    }
}
