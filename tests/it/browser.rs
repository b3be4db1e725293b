//! A real headless Chromium for the tests: Debian's `chromium`, driven over the DevTools
//! protocol (the `headless_chrome` crate), with a fresh profile and no background networking.
//!
//! Every test that looks at pages the way a reader does goes through [`Chrome::open`]: it sets
//! the viewport and colour scheme, records console errors, uncaught exceptions and failed
//! requests, and waits for the page to load. The tools the tests load beside it (axe-core,
//! vnu.jar) are installed by `.ci/setup` under `tests/browser/node_modules/`.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use headless_chrome::protocol::cdp::types::Event;
use headless_chrome::protocol::cdp::{Emulation, Log, Network, Page, Runtime};
use headless_chrome::{Browser, LaunchOptions, Tab};

use crate::repo;

/// How a page is looked at: its viewport width, and whether the reader prefers dark mode.
#[derive(Debug, Clone, Copy)]
pub(crate) struct View {
    pub(crate) width: u32,
    pub(crate) dark: bool,
}

impl View {
    pub(crate) const PHONE: View = View {
        width: 375,
        dark: false,
    };
    pub(crate) const DESK: View = View {
        width: 1280,
        dark: false,
    };
    pub(crate) fn dark(self) -> View {
        View { dark: true, ..self }
    }
}

/// The path of a tool `.ci/setup` installs, or a failure that says how to install it.
pub(crate) fn tool(what: &str) -> PathBuf {
    let path = match what {
        "chromium" => ["/usr/bin/chromium", "/usr/bin/chromium-browser"]
            .iter()
            .map(PathBuf::from)
            .find(|p| p.exists())
            .unwrap_or_else(|| PathBuf::from("/usr/bin/chromium")),
        "axe" => repo().join("tests/browser/node_modules/axe-core/axe.min.js"),
        "vnu" => repo().join("tests/browser/node_modules/vnu-jar/build/dist/vnu.jar"),
        other => PathBuf::from("/usr/bin").join(other),
    };
    assert!(
        path.exists(),
        "{} is missing: run `.ci/setup` once (it installs chromium, poppler-utils, a Java \
         runtime, and axe-core and vnu.jar into tests/browser/node_modules)",
        path.display()
    );
    path
}

/// One headless Chromium, with a profile folder of its own that goes away with it.
pub(crate) struct Chrome {
    browser: Browser,
    _profile: tempfile::TempDir,
}

/// Starts a headless Chromium with the flags this machine needs (no sandbox as root, no
/// background networking: the network is closed and its attempts would only be noise).
pub(crate) fn chrome() -> Chrome {
    let path = tool("chromium");
    let profile = tempfile::tempdir().expect("profile dir");
    let args: Vec<&std::ffi::OsStr> = [
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--hide-scrollbars",
    ]
    .iter()
    .map(std::ffi::OsStr::new)
    .collect();
    let options = LaunchOptions::default_builder()
        .path(Some(path))
        .headless(true)
        .sandbox(false)
        .user_data_dir(Some(profile.path().to_path_buf()))
        .window_size(Some((1280, 900)))
        .idle_browser_timeout(Duration::from_secs(120))
        .args(args)
        .build()
        .expect("launch options");
    let browser = Browser::new(options).expect("start headless chromium");
    Chrome {
        browser,
        _profile: profile,
    }
}

/// A page open in a tab, with what went wrong while it loaded.
pub(crate) struct Opened {
    pub(crate) tab: Arc<Tab>,
    view: View,
    problems: Arc<Mutex<Vec<String>>>,
}

impl Chrome {
    /// Opens `url` in a new tab at `view` and waits for it to load.
    pub(crate) fn open(&self, url: &str, view: View) -> Opened {
        let tab = self.browser.new_tab().expect("new tab");
        tab.set_default_timeout(Duration::from_secs(30));
        let problems = Arc::new(Mutex::new(Vec::new()));
        let sink = problems.clone();
        tab.add_event_listener(Arc::new(move |event: &Event| {
            let problem = match event {
                Event::RuntimeConsoleAPICalled(e)
                    if matches!(
                        e.params.Type,
                        Runtime::ConsoleAPICalledEventTypeOption::Error
                    ) =>
                {
                    let text: Vec<String> = e
                        .params
                        .args
                        .iter()
                        .map(|a| {
                            a.value
                                .as_ref()
                                .map(|v| v.to_string())
                                .or_else(|| a.description.clone())
                                .unwrap_or_default()
                        })
                        .collect();
                    Some(format!("console error: {}", text.join(" ")))
                }
                Event::RuntimeExceptionThrown(e) => Some(format!(
                    "uncaught exception: {}",
                    e.params
                        .exception_details
                        .exception
                        .as_ref()
                        .and_then(|x| x.description.clone())
                        .unwrap_or_else(|| e.params.exception_details.text.clone())
                )),
                Event::LogEntryAdded(e)
                    if matches!(e.params.entry.level, Log::LogEntryLevel::Error) =>
                {
                    Some(format!(
                        "log error: {} {}",
                        e.params.entry.text,
                        e.params.entry.url.clone().unwrap_or_default()
                    ))
                }
                Event::NetworkLoadingFailed(e) if e.params.canceled != Some(true) => Some(format!(
                    "request failed: {} ({})",
                    e.params.request_id, e.params.error_text
                )),
                _ => None,
            };
            if let Some(p) = problem {
                problems_lock(&sink).push(p);
            }
        }))
        .expect("listen to the tab");
        tab.enable_runtime().expect("runtime");
        tab.enable_log().expect("log");
        tab.call_method(Network::Enable {
            max_total_buffer_size: None,
            max_resource_buffer_size: None,
            max_post_data_size: None,
            report_direct_socket_traffic: None,
            enable_durable_messages: None,
        })
        .expect("network");
        set_viewport(&tab, view.width, 900);
        set_colour_scheme(&tab, view.dark);
        tab.navigate_to(url)
            .and_then(|t| t.wait_until_navigated())
            .unwrap_or_else(|e| panic!("open {url}: {e}"));
        Opened {
            tab,
            view,
            problems,
        }
    }
}

fn set_viewport(tab: &Tab, width: u32, height: u32) {
    tab.call_method(Emulation::SetDeviceMetricsOverride {
        width,
        height,
        device_scale_factor: 1.0,
        mobile: width < 600,
        scale: None,
        screen_width: None,
        screen_height: None,
        position_x: None,
        position_y: None,
        dont_set_visible_size: None,
        screen_orientation: None,
        viewport: None,
        display_feature: None,
        device_posture: None,
    })
    .expect("viewport");
}

fn set_colour_scheme(tab: &Tab, dark: bool) {
    tab.call_method(Emulation::SetEmulatedMedia {
        media: None,
        features: Some(vec![Emulation::MediaFeature {
            name: "prefers-color-scheme".into(),
            value: if dark { "dark" } else { "light" }.into(),
        }]),
    })
    .expect("colour scheme");
}

fn problems_lock(m: &Mutex<Vec<String>>) -> std::sync::MutexGuard<'_, Vec<String>> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

impl Opened {
    /// Runs `js` in the page (awaiting a promise it returns) and gives back its JSON value.
    pub(crate) fn eval(&self, js: &str) -> serde_json::Value {
        let r = self
            .tab
            .evaluate(js, true)
            .unwrap_or_else(|e| panic!("evaluate {js}: {e}"));
        r.value.unwrap_or(serde_json::Value::Null)
    }

    /// Looks at the open page in another view without reloading it, as a reader does who turns
    /// the phone or switches the system to dark mode: the styles respond, the scripts stay.
    pub(crate) fn set_view(&mut self, view: View) {
        set_viewport(&self.tab, view.width, 900);
        set_colour_scheme(&self.tab, view.dark);
        self.view = view;
    }

    /// Console errors, uncaught exceptions and failed requests so far.
    pub(crate) fn problems(&self) -> Vec<String> {
        // Events arrive asynchronously: give the last ones a moment.
        std::thread::sleep(Duration::from_millis(100));
        problems_lock(&self.problems).clone()
    }

    /// A PNG of the whole page, top to bottom, at the view's width.
    pub(crate) fn screenshot(&self) -> Vec<u8> {
        let height = self
            .eval("document.documentElement.scrollHeight")
            .as_u64()
            .unwrap_or(900)
            .clamp(100, 16_000) as u32;
        set_viewport(&self.tab, self.view.width, height);
        let png = self
            .tab
            .capture_screenshot(Page::CaptureScreenshotFormatOption::Png, None, None, true)
            .expect("screenshot");
        set_viewport(&self.tab, self.view.width, 900);
        png
    }
}

#[test]
fn the_bundled_front_page_loads_cleanly_in_chromium() {
    let files = dossier::render_site(&dossier::load_config(&repo()).expect("config")).0;
    let server = dossier::serve_files(files, "/d/").expect("server");
    let chrome = chrome();
    let page = chrome.open(&format!("http://{}/d/", server.addr), View::PHONE);
    assert_eq!(
        page.eval("document.querySelector('h1, .brand') !== null"),
        serde_json::json!(true)
    );
    assert_eq!(page.problems(), Vec::<String>::new());
    let png = page.screenshot();
    assert!(png.starts_with(b"\x89PNG"), "a PNG screenshot");
    // The theme follows the reader's colour scheme.
    let background = |view: View| {
        chrome
            .open(&format!("http://{}/d/", server.addr), view)
            .eval("getComputedStyle(document.body).backgroundColor")
    };
    assert_ne!(background(View::DESK), background(View::DESK.dark()));
}
