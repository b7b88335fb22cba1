package report

import (
	"bufio"
	"fmt"
	"html/template"
	"io"
	"path/filepath"
)

// htmlPage is what the HTML report's template renders. html/template
// escapes every value for its context (text, attribute, script), so an
// output holding </textarea>, <script> or quotes stays text.
type htmlPage struct {
	R         *Report
	Dataset   string
	Badge     string
	BadgeKind string
	Missed    []Threshold
	Pass      []*passChart
	Dist      []*distChart
	Matrix    *matrix
}

// WriteHTML writes one self-contained page: no network at all (system
// fonts, inline CSS, SVG and a few lines of script), with the summary,
// charts of pass rates with their 95% intervals and of score
// distributions, the comparisons, and the outputs side by side with a
// filter for the rows where variants disagree. A large run's matrix shows
// the rows worth reading and says how many it left out.
func WriteHTML(w io.Writer, r *Report, res *Results, fetch Fetch) error {
	p := htmlPage{R: r, Dataset: filepath.Base(r.Dataset), Missed: r.Missed()}
	switch {
	case r.Status != "done":
		p.Badge, p.BadgeKind = r.Status, "warn"
	case len(p.Missed) > 0:
		p.Badge, p.BadgeKind = "FAIL", "fail"
	default:
		p.Badge, p.BadgeKind = "PASS", "pass"
	}
	var specs []string
	for _, v := range r.Variants {
		for _, s := range v.Scorers {
			if !contains(specs, s.Spec) {
				specs = append(specs, s.Spec)
			}
		}
	}
	for _, spec := range specs {
		if c := passChartOf(r, spec); c != nil {
			p.Pass = append(p.Pass, c)
		}
		if c := res.distChartOf(spec); c != nil {
			p.Dist = append(p.Dist, c)
		}
	}
	m, err := res.matrixOf(r, fetch)
	if err != nil {
		return err
	}
	p.Matrix = m
	bw := bufio.NewWriter(w)
	if err := htmlTemplate().Execute(bw, p); err != nil {
		return fmt.Errorf("html report: %w", err)
	}
	return bw.Flush()
}

// htmlTemplate parses the report's template when a report is written, not
// at start-up: every command paid for it in package initialisation.
func htmlTemplate() *template.Template {
	return template.Must(template.New("report").Funcs(template.FuncMap{
		"pct":    func(f float64) string { return fmt.Sprintf("%.1f%%", f*100) },
		"ms":     msText,
		"usd":    func(f float64) string { return fmt.Sprintf("$%.4f", f) },
		"p":      pText,
		"f3":     func(f float64) string { return fmt.Sprintf("%.3f", f) },
		"mul100": func(f float64) float64 { return f * 100 },
		"time":   func(r *Report) string { return r.Started.Format("2006-01-02 15:04 UTC") },
	}).Parse(htmlSource))
}
