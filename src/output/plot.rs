//! Charts of facet counts (`gazette facets --plot FILE.svg|png`): the
//! matches' histogram as bars, or the timelines as lines with a point per
//! period, titled with the query and filters, axes labelled.
//!
//! Drawn with plotters. Text is laid out with a font compiled into the
//! binary (`assets/fonts`, a subset of DejaVu Sans: Latin, Greek,
//! Cyrillic), so that a PNG needs no font installed on the machine; an SVG
//! names the font family and leaves the drawing of its text to the viewer.

use std::path::Path;
use std::sync::Once;

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::{register_font, FontStyle};

use super::text::{chart_title, series_name, series_values};
use super::Measure;
use crate::search::{DateBasis, FacetCounts, Filters};
use crate::{Error, Result};

/// Width of a chart, in pixels.
pub const WIDTH: u32 = 1200;
/// Height of a chart, in pixels.
pub const HEIGHT: u32 = 600;

/// The font every chart's text is measured and drawn with.
const FONT: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans-subset.ttf");
/// The family name charts ask for (registered as [`FONT`]).
const FAMILY: &str = "sans-serif";

/// Series colours, in order (Tableau 10: distinct for most colour vision).
const COLOURS: [RGBColor; 10] = [
    RGBColor(0x4e, 0x79, 0xa7),
    RGBColor(0xf2, 0x8e, 0x2b),
    RGBColor(0xe1, 0x57, 0x59),
    RGBColor(0x76, 0xb7, 0xb2),
    RGBColor(0x59, 0xa1, 0x4f),
    RGBColor(0xed, 0xc9, 0x48),
    RGBColor(0xb0, 0x7a, 0xa1),
    RGBColor(0xff, 0x9d, 0xa7),
    RGBColor(0x9c, 0x75, 0x5f),
    RGBColor(0xba, 0xb0, 0xac),
];

/// The colour of the bars of a histogram, and of a timeline's first series.
pub const BAR_COLOUR: RGBColor = COLOURS[0];

/// The file formats a chart can be written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlotFormat {
    /// Scalable vector graphics.
    Svg,
    /// A PNG image of [`WIDTH`] × [`HEIGHT`] pixels.
    Png,
}

impl PlotFormat {
    /// The format a file name's extension asks for.
    pub fn of_path(path: &Path) -> std::result::Result<PlotFormat, String> {
        let extension = path
            .extension()
            .and_then(|extension| extension.to_str())
            .map(str::to_ascii_lowercase);
        match extension.as_deref() {
            Some("svg") => Ok(PlotFormat::Svg),
            Some("png") => Ok(PlotFormat::Png),
            _ => Err(format!(
                "--plot {}: name a .svg or a .png file",
                path.display()
            )),
        }
    }
}

/// Draws `counts` (what `measure` chooses) and writes the chart to `path`,
/// in the format its extension names.
pub fn write_plot(path: &Path, counts: &FacetCounts, measure: Measure) -> Result<()> {
    let format = PlotFormat::of_path(path).map_err(Error::Usage)?;
    let bytes = match format {
        PlotFormat::Svg => svg(counts, measure)?.into_bytes(),
        PlotFormat::Png => png(counts, measure)?,
    };
    std::fs::write(path, bytes).map_err(|source| Error::io(path, source))
}

/// The chart as an SVG document.
pub fn svg(counts: &FacetCounts, measure: Measure) -> Result<String> {
    register();
    let mut out = String::new();
    {
        let root = SVGBackend::with_string(&mut out, (WIDTH, HEIGHT)).into_drawing_area();
        draw(&root, counts, measure).map_err(drawing_error)?;
        root.present().map_err(drawing_error)?;
    }
    Ok(out)
}

/// The chart as a PNG file's bytes.
pub fn png(counts: &FacetCounts, measure: Measure) -> Result<Vec<u8>> {
    register();
    let mut pixels = vec![0u8; WIDTH as usize * HEIGHT as usize * 3];
    {
        let root = BitMapBackend::with_buffer(&mut pixels, (WIDTH, HEIGHT)).into_drawing_area();
        draw(&root, counts, measure).map_err(drawing_error)?;
        root.present().map_err(drawing_error)?;
    }
    let mut out = Vec::new();
    let mut encoder = ::png::Encoder::new(&mut out, WIDTH, HEIGHT);
    encoder.set_color(::png::ColorType::Rgb);
    encoder.set_depth(::png::BitDepth::Eight);
    let encoding = |error: ::png::EncodingError| Error::Usage(format!("encoding the PNG: {error}"));
    let mut writer = encoder.write_header().map_err(encoding)?;
    writer.write_image_data(&pixels).map_err(encoding)?;
    writer.finish().map_err(encoding)?;
    Ok(out)
}

fn register() {
    static REGISTER: Once = Once::new();
    REGISTER.call_once(|| {
        // The font is compiled in and known to parse (a unit test reads it).
        let _ = register_font(FAMILY, FontStyle::Normal, FONT);
    });
}

fn drawing_error(error: impl std::fmt::Display) -> Error {
    Error::Usage(format!("drawing the chart: {error}"))
}

type Drawn<DB> = std::result::Result<(), DrawingAreaErrorKind<<DB as DrawingBackend>::ErrorType>>;

fn draw<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    counts: &FacetCounts,
    measure: Measure,
) -> Drawn<DB> {
    root.fill(&WHITE)?;
    let timelines = &counts.timelines;
    let labels: Vec<String> = timelines
        .periods
        .iter()
        .map(|start| timelines.by.label(*start))
        .collect();
    let series: Vec<(String, Vec<f64>)> = timelines
        .series
        .iter()
        .map(|series| {
            (
                series_name(series),
                series_values(timelines, series, measure),
            )
        })
        .collect();
    let max = series
        .iter()
        .flat_map(|(_, values)| values.iter().copied())
        .fold(0.0, f64::max);
    // Room above the highest value for the legend of the timelines, so
    // that it hides no point.
    let legend_rows = if timelines.asked { series.len() } else { 0 };
    let free = 1.0 - (0.1 + 0.045 * legend_rows as f64).min(0.6);
    let top = if max > 0.0 { max / free } else { 1.0 };
    // Segments of an integer range are inclusive of its end: one per period.
    let last = labels.len().saturating_sub(1) as i32;

    let mut chart = ChartBuilder::on(root)
        .caption(title(counts, measure), (FAMILY, 22))
        .margin(16)
        .x_label_area_size(48)
        .y_label_area_size(72)
        .build_cartesian_2d((0..last).into_segmented(), 0.0..top)?;
    let label_of = |value: &SegmentValue<i32>| match value {
        SegmentValue::CenterOf(i) | SegmentValue::Exact(i) => usize::try_from(*i)
            .ok()
            .and_then(|i| labels.get(i))
            .cloned()
            .unwrap_or_default(),
        SegmentValue::Last => String::new(),
    };
    let y_label = |value: &f64| {
        if timelines.totals.is_some() {
            format!("{value:.1}%")
        } else if value.fract() != 0.0 {
            format!("{value:.1}")
        } else {
            format!("{value:.0}")
        }
    };
    let unit = match measure {
        Measure::Articles => "articles",
        Measure::Passages => "passages",
    };
    let y_desc = if timelines.totals.is_some() {
        format!("share of all {unit} in the {} (%)", timelines.by.as_str())
    } else {
        unit.to_owned()
    };
    // Counts below ten get a tick per whole number, not at halves.
    let y_ticks = if timelines.totals.is_none() && top < 10.0 {
        top.ceil() as usize + 1
    } else {
        10
    };
    chart
        .configure_mesh()
        .disable_x_mesh()
        .light_line_style(WHITE)
        .x_labels(labels.len().min(16))
        .y_labels(y_ticks)
        .x_label_formatter(&label_of)
        .y_label_formatter(&y_label)
        .x_desc(date_description(counts.filters.date, timelines.by.as_str()))
        .y_desc(y_desc)
        .label_style((FAMILY, 14))
        .axis_desc_style((FAMILY, 16))
        .draw()?;

    if !timelines.asked {
        // One series, the matches themselves: a histogram.
        let values = series
            .first()
            .map(|(_, values)| values.as_slice())
            .unwrap_or(&[]);
        chart.draw_series(values.iter().enumerate().map(|(i, value)| {
            let i = i as i32;
            let mut bar = Rectangle::new(
                [
                    (SegmentValue::Exact(i), 0.0),
                    (SegmentValue::Exact(i + 1), *value),
                ],
                BAR_COLOUR.filled(),
            );
            bar.set_margin(0, 0, 2, 2);
            bar
        }))?;
        return Ok(());
    }
    for (number, (name, values)) in series.iter().enumerate() {
        let colour = COLOURS[number % COLOURS.len()];
        let points: Vec<(SegmentValue<i32>, f64)> = values
            .iter()
            .enumerate()
            .map(|(i, value)| (SegmentValue::CenterOf(i as i32), *value))
            .collect();
        chart
            .draw_series(LineSeries::new(points.clone(), colour.stroke_width(2)))?
            .label(name.clone())
            .legend(move |(x, y)| {
                PathElement::new(vec![(x, y), (x + 24, y)], colour.stroke_width(3))
            });
        chart.draw_series(
            points
                .into_iter()
                .map(|point| Circle::new(point, 3, colour.filled())),
        )?;
    }
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::UpperLeft)
        .background_style(WHITE.mix(0.85))
        .border_style(BLACK.mix(0.3))
        .label_font((FAMILY, 15))
        .draw()?;
    Ok(())
}

/// `Articles by year: "gold mining" · lang es · 2019 to 2021`.
fn title(counts: &FacetCounts, measure: Measure) -> String {
    let mut parts = Vec::new();
    if counts.query.trim() != "*" {
        parts.push(format!("\u{201c}{}\u{201d}", counts.query.trim()));
    }
    parts.extend(filter_descriptions(&counts.filters));
    let mut title = chart_title(counts, measure);
    if !parts.is_empty() {
        title.push_str(": ");
        title.push_str(&parts.join(" \u{b7} "));
    }
    // A title wider than the chart would be cut by the drawing.
    const MAX_CHARS: usize = 110;
    if title.chars().count() > MAX_CHARS {
        title = title.chars().take(MAX_CHARS - 1).collect::<String>() + "\u{2026}";
    }
    super::text::one_line(&title).into_owned()
}

/// The filters as short phrases (`lang es`, `from 2019-01-01`).
fn filter_descriptions(filters: &Filters) -> Vec<String> {
    let mut parts = Vec::new();
    if !filters.langs.is_empty() {
        parts.push(format!("lang {}", filters.langs.join(", ")));
    }
    if !filters.sources.is_empty() {
        parts.push(format!("source {}", filters.sources.join(", ")));
    }
    if let Some(from) = filters.from {
        parts.push(format!("from {}", from.start.format("%Y-%m-%d")));
    }
    if let Some(to) = filters.to {
        let last = to.end - chrono::Duration::seconds(1);
        parts.push(format!("to {}", last.format("%Y-%m-%d")));
    }
    for (kind, name) in &filters.entities {
        match kind {
            Some(kind) => parts.push(format!("{} {name}", kind.as_str())),
            None => parts.push(format!("entity {name}")),
        }
    }
    parts
}

/// The x axis's description: which date places an article.
fn date_description(date: DateBasis, by: &str) -> String {
    match date {
        DateBasis::Published => format!("{by} of publication (undated articles left out)"),
        DateBasis::Crawled => format!("{by} of crawl (articles without a crawl date left out)"),
        DateBasis::Either => format!("{by} of publication, else of crawl"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_compiled_in_font_parses() {
        assert!(register_font("gazette-test", FontStyle::Normal, FONT).is_ok());
    }

    #[test]
    fn the_extension_chooses_the_format() {
        assert_eq!(PlotFormat::of_path(Path::new("a.svg")), Ok(PlotFormat::Svg));
        assert_eq!(PlotFormat::of_path(Path::new("a.PNG")), Ok(PlotFormat::Png));
        let error = PlotFormat::of_path(Path::new("a.pdf")).expect_err("pdf");
        assert!(error.contains(".svg or a .png"), "{error}");
        assert!(PlotFormat::of_path(Path::new("chart")).is_err());
    }
}
