//! Charts drawn on the server as inline SVG, scaled to the page's width (phone included):
//! stacked columns (one per hour), columns with a mark (a mean and a maximum), and stacked
//! rows (one per call center). Each chart is an image with a title for assistive
//! technology; the pages give the same numbers as a table beside it.

use maud::{html, Markup};

/// A series of a stacked chart: its name (in the legend) and colour.
pub(crate) struct Series {
    pub name: &'static str,
    pub color: &'static str,
}

const WIDTH: f64 = 720.0;
const HEIGHT: f64 = 240.0;
/// Room for the axis labels: left, bottom.
const LEFT: f64 = 44.0;
const BOTTOM: f64 = 28.0;
const TOP: f64 = 10.0;

/// A round top for an axis holding `max`, and its step: 1, 2 or 5 times a power of ten,
/// four or five steps.
pub(crate) fn scale(max: f64) -> (f64, f64) {
    if max <= 0.0 || !max.is_finite() {
        return (1.0, 1.0);
    }
    let rough = max / 4.0;
    let power = 10f64.powf(rough.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0]
        .into_iter()
        .map(|m| m * power)
        .find(|s| s * 4.0 >= max)
        .unwrap_or(10.0 * power);
    let step = if step < 1.0 && max >= 1.0 { 1.0 } else { step };
    ((max / step).ceil() * step, step)
}

fn number(v: f64) -> String {
    if v.fract() == 0.0 {
        format!("{v:.0}")
    } else {
        format!("{v:.1}")
    }
}

/// Each value of a stack with where it starts (the sum of those before it).
fn offsets(stack: &[f64]) -> Vec<(f64, f64)> {
    let mut base = 0.0;
    stack
        .iter()
        .map(|v| {
            let at = base;
            base += v;
            (at, *v)
        })
        .collect()
}

/// The legend: a swatch and a name per series.
pub(crate) fn legend(series: &[Series]) -> Markup {
    html! {
        ul.legend {
            @for s in series {
                li { span.swatch style=(format!("background:{}", s.color)) {} (s.name) }
            }
        }
    }
}

/// The frame: the horizontal grid lines with their values, and the label under each column.
fn frame(top: f64, step: f64, labels: &[String], unit: &str) -> Markup {
    let plot_h = HEIGHT - TOP - BOTTOM;
    let column = (WIDTH - LEFT) / labels.len().max(1) as f64;
    let every = (labels.len() / 12).max(1);
    let lines = (top / step).round() as usize;
    html! {
        @for i in 0..=lines {
            @let v = step * i as f64;
            @let y = TOP + plot_h - v / top * plot_h;
            line x1=(LEFT) x2=(WIDTH) y1=(y) y2=(y) stroke="#dde1e7" {}
            text x=(LEFT - 6.0) y=(y + 4.0) text-anchor="end" font-size="11" fill="#4a5462" { (number(v)) }
        }
        text x="2" y=(TOP + 8.0) font-size="11" fill="#4a5462" { (unit) }
        @for (i, label) in labels.iter().enumerate() {
            @if i % every == 0 {
                text x=(LEFT + column * (i as f64 + 0.5)) y=(HEIGHT - 8.0) text-anchor="middle"
                    font-size="11" fill="#4a5462" { (label) }
            }
        }
    }
}

/// Where things go on a chart of columns whose axis holds `max`.
struct Plot {
    top: f64,
    step: f64,
    column: f64,
}

impl Plot {
    const HEIGHT: f64 = HEIGHT - TOP - BOTTOM;

    fn new(max: f64, columns: usize) -> Self {
        let (top, step) = scale(max);
        Self {
            top,
            step,
            column: (WIDTH - LEFT) / columns.max(1) as f64,
        }
    }

    /// The height a value takes.
    fn h(&self, v: f64) -> f64 {
        v / self.top * Self::HEIGHT
    }

    /// Where a value's top is.
    fn y(&self, v: f64) -> f64 {
        TOP + Self::HEIGHT - self.h(v)
    }

    /// The left of column `i`, `inset` of a column in.
    fn x(&self, i: usize, inset: f64) -> f64 {
        LEFT + self.column * (i as f64 + inset)
    }

    /// The chart: its title, its frame and what is drawn on it.
    fn chart(&self, title: &str, labels: &[String], unit: &str, drawn: Markup) -> Markup {
        html! {
            svg viewBox=(format!("0 0 {WIDTH} {HEIGHT}")) role="img" aria-label=(title) class="chart" {
                title { (title) }
                (frame(self.top, self.step, labels, unit))
                (drawn)
            }
        }
    }
}

/// Columns stacked from the series' values (`values[column][series]`).
pub(crate) fn stacked_columns(
    title: &str,
    labels: &[String],
    series: &[Series],
    values: &[Vec<f64>],
    unit: &str,
) -> Markup {
    let max = values
        .iter()
        .map(|v| v.iter().sum::<f64>())
        .fold(0.0, f64::max);
    let p = Plot::new(max, labels.len());
    let drawn = html! {
        @for (i, stack) in values.iter().enumerate() {
            @for (k, (base, v)) in offsets(stack).into_iter().enumerate() {
                @if v > 0.0 {
                    rect x=(p.x(i, 0.15)) y=(p.y(base + v)) width=(p.column * 0.7) height=(p.h(v))
                        fill=(series.get(k).map_or("#888", |s| s.color)) {
                        title { (labels.get(i).map_or("", String::as_str)) ": " (number(v)) " " (series.get(k).map_or("", |s| s.name)) }
                    }
                }
            }
        }
    };
    p.chart(title, labels, unit, drawn)
}

/// A column per label (`bars`) with a mark at a second value (`marks`), such as the mean
/// and the longest wait of each hour.
pub(crate) fn columns_with_marks(
    title: &str,
    labels: &[String],
    bars: &[f64],
    marks: &[f64],
    unit: &str,
) -> Markup {
    // Less than a unit is drawn on an axis of one.
    let p = Plot::new(
        bars.iter().chain(marks).copied().fold(1.0, f64::max),
        labels.len(),
    );
    let drawn = html! {
        @for (i, v) in bars.iter().enumerate() {
            @if *v > 0.0 {
                rect x=(p.x(i, 0.2)) y=(p.y(*v)) width=(p.column * 0.6) height=(p.h(*v)) fill="#1747a6" {}
            }
        }
        @for (i, v) in marks.iter().enumerate() {
            @if *v > 0.0 {
                line x1=(p.x(i, 0.1)) x2=(p.x(i, 0.9)) y1=(p.y(*v)) y2=(p.y(*v))
                    stroke="#c2410c" stroke-width="3" {}
            }
        }
    };
    p.chart(title, labels, unit, drawn)
}

/// Rows stacked from the series' values (`values[row][series]`), a label before each.
pub(crate) fn stacked_rows(
    title: &str,
    labels: &[String],
    series: &[Series],
    values: &[Vec<f64>],
) -> Markup {
    let row_h = 26.0;
    let label_w = 170.0;
    let height = row_h * labels.len().max(1) as f64 + 8.0;
    let max = values
        .iter()
        .map(|v| v.iter().sum::<f64>())
        .fold(0.0, f64::max);
    let (top, _) = scale(max);
    let plot_w = WIDTH - label_w - 40.0;
    html! {
        svg viewBox=(format!("0 0 {WIDTH} {height}")) role="img" aria-label=(title) class="chart" {
            title { (title) }
            @for (i, stack) in values.iter().enumerate() {
                @let y = 4.0 + row_h * i as f64;
                text x=(label_w - 8.0) y=(y + row_h * 0.62) text-anchor="end" font-size="12" fill="#1d2430" {
                    (labels.get(i).map_or("", String::as_str))
                }
                @for (k, (base, v)) in offsets(stack).into_iter().enumerate() {
                    @if v > 0.0 {
                        rect x=(label_w + base / top * plot_w) y=(y + 3.0) width=(v / top * plot_w)
                            height=(row_h - 6.0) fill=(series.get(k).map_or("#888", |s| s.color)) {
                            title { (number(v)) " " (series.get(k).map_or("", |s| s.name)) }
                        }
                    }
                }
                @let total: f64 = stack.iter().sum();
                text x=(label_w + total / top * plot_w + 6.0) y=(y + row_h * 0.62) font-size="12" fill="#1d2430" {
                    (number(total))
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn axes_end_on_round_numbers() {
        assert_eq!(scale(0.0), (1.0, 1.0));
        assert_eq!(scale(3.0), (3.0, 1.0));
        assert_eq!(scale(7.0), (8.0, 2.0));
        assert_eq!(scale(38.0), (40.0, 10.0));
        assert_eq!(scale(101.0), (150.0, 50.0));
        assert_eq!(scale(0.4), (0.4, 0.1));
    }

    #[test]
    fn a_stack_is_as_tall_as_its_sum() {
        let series = [
            Series {
                name: "a",
                color: "#111",
            },
            Series {
                name: "b",
                color: "#222",
            },
        ];
        let svg = stacked_columns(
            "t",
            &["0".into(), "1".into()],
            &series,
            &[vec![2.0, 2.0], vec![0.0, 0.0]],
            "calls",
        )
        .into_string();
        // The top is 4: two rectangles of half the plot's height each.
        let half = (HEIGHT - TOP - BOTTOM) / 2.0;
        assert_eq!(
            svg.matches(&format!("height=\"{half}\"")).count(),
            2,
            "{svg}"
        );
        assert!(svg.contains("<title>0: 2 b</title>"));
    }
}
