package report

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Gate is one fail_under threshold: a variant fails it when its pass rate
// (or, with PassAllK, its pass^k: the share of cases passed on every
// repeat) on the scorer is below Min. An empty Scorer applies to every
// scorer with pass/fail that no gate of the same measure names.
type Gate struct {
	Scorer   string
	PassAllK bool
	Min      float64
}

// passAllK is how a gate on pass^k is written.
const passAllK = "pass^k"

// String writes the gate as ParseGate reads it.
func (g Gate) String() string {
	min := strconv.FormatFloat(g.Min, 'g', -1, 64)
	key := g.Key()
	if key == "" {
		return min
	}
	return key + "=" + min
}

// Key is the gate without its threshold: "", "SPEC", "pass^k" or
// "pass^k:SPEC", as a suite file's fail_under mapping names it.
func (g Gate) Key() string {
	switch {
	case g.PassAllK && g.Scorer == "":
		return passAllK
	case g.PassAllK:
		return passAllK + ":" + g.Scorer
	}
	return g.Scorer
}

// GateError is a threshold that cannot be read.
type GateError struct {
	Text string
	Msg  string
}

func (e *GateError) Error() string { return fmt.Sprintf("%q: %s", e.Text, e.Msg) }

// ParseGate reads a threshold: "X" (every scorer's pass rate), "SPEC=X"
// (one scorer's), "pass^k=X" (every scorer's pass^k) or "pass^k:SPEC=X".
// The threshold follows the last "=", so a spec may hold one.
func ParseGate(s string) (Gate, error) {
	key, num := "", s
	if i := strings.LastIndexByte(s, '='); i >= 0 {
		key, num = strings.TrimSpace(s[:i]), s[i+1:]
		if key == "" {
			return Gate{}, &GateError{Text: s, Msg: "nothing before \"=\"; write SPEC=X, pass^k:SPEC=X or X"}
		}
	}
	min, err := strconv.ParseFloat(strings.TrimSpace(num), 64)
	if err != nil {
		return Gate{}, &GateError{Text: s, Msg: "the threshold is not a number; write X, SPEC=X, pass^k=X or pass^k:SPEC=X with X from 0 to 1"}
	}
	return GateFor(key, min, s)
}

// GateFor makes the gate of key (as Key writes it) at min; text is what
// the user wrote, for the error.
func GateFor(key string, min float64, text string) (Gate, error) {
	if math.IsNaN(min) || min < 0 || min > 1 {
		return Gate{}, &GateError{Text: text, Msg: "give a pass rate from 0 to 1 (0.9 is 90%)"}
	}
	g := Gate{Min: min}
	switch {
	case key == passAllK:
		g.PassAllK = true
	case strings.HasPrefix(key, passAllK+":"):
		g.PassAllK, g.Scorer = true, strings.TrimPrefix(key, passAllK+":")
		if g.Scorer == "" {
			return Gate{}, &GateError{Text: text, Msg: "pass^k: names no scorer; write pass^k:SPEC=X, or pass^k=X for every scorer"}
		}
	default:
		g.Scorer = key
	}
	return g, nil
}

// thresholds checks every variant's scorers with pass/fail against the
// gates: a gate naming the scorer wins over one for every scorer of the
// same measure. Without --repeat, pass^k is the pass rate (k = 1).
func thresholds(vs []Variant, gates []Gate) []Threshold {
	var out []Threshold
	for _, v := range vs {
		for _, s := range v.Scorers {
			if s.Judged == 0 {
				continue
			}
			for _, measure := range []bool{false, true} {
				g, ok := gateFor(gates, s.Spec, measure)
				if !ok {
					continue
				}
				t := Threshold{Variant: v.ID, Scorer: s.Spec, PassRate: s.PassRate, Min: g.Min, Passed: s.PassRate >= g.Min}
				if measure {
					all := s.PassRate
					if s.Spread != nil {
						all = s.Spread.PassAllK
					}
					t.Measure, t.PassAllK, t.Passed = passAllK, &all, all >= g.Min
				}
				out = append(out, t)
			}
		}
	}
	return out
}

func gateFor(gates []Gate, spec string, passAll bool) (Gate, bool) {
	var every *Gate
	for i, g := range gates {
		if g.PassAllK != passAll {
			continue
		}
		if g.Scorer == spec {
			return g, true
		}
		if g.Scorer == "" {
			every = &gates[i]
		}
	}
	if every != nil {
		return *every, true
	}
	return Gate{}, false
}

// GatesOf joins the overall --fail-under threshold and the other gates.
func GatesOf(failUnder *float64, gates []Gate) []Gate {
	out := append([]Gate(nil), gates...)
	if failUnder != nil && !hasEvery(out) {
		out = append(out, Gate{Min: *failUnder})
	}
	return out
}

func hasEvery(gates []Gate) bool {
	for _, g := range gates {
		if g.Scorer == "" && !g.PassAllK {
			return true
		}
	}
	return false
}

// everyMin is the threshold of the gate for every scorer's pass rate.
func everyMin(gates []Gate) *float64 {
	for _, g := range gates {
		if g.Scorer == "" && !g.PassAllK {
			m := g.Min
			return &m
		}
	}
	return nil
}

// Text says what a missed threshold measured: "26.7%" for a pass rate
// alone, "pass rate 26.7% < 50.0%" or "pass^3 40.0% < 70.0%".
func (t Threshold) Text(repeat int) string {
	if t.Measure == passAllK && t.PassAllK != nil {
		return fmt.Sprintf("pass^%d %.1f%% < %.1f%%", max(repeat, 1), *t.PassAllK*100, t.Min*100)
	}
	return fmt.Sprintf("pass rate %.1f%% < %.1f%%", t.PassRate*100, t.Min*100)
}

// uniform: every threshold is a pass rate against one minimum, as a
// single --fail-under X makes; the report then words it as before.
func (r *Report) uniform() bool {
	if r.FailUnder == nil {
		return false
	}
	for _, t := range r.Thresholds {
		if t.Measure != "" || t.Min != *r.FailUnder {
			return false
		}
	}
	return true
}

// writeThresholds is the table's fail-under section. A single
// --fail-under X keeps its one-line heading; thresholds per scorer or on
// pass^k say each what was measured against what.
func writeThresholds(b *strings.Builder, r *Report) {
	if r.FailUnder == nil && len(r.Thresholds) == 0 {
		return
	}
	missed := r.Missed()
	switch {
	case r.uniform() && len(missed) == 0:
		fmt.Fprintf(b, "\nfail-under %.2f: every pass rate meets it\n", *r.FailUnder)
	case r.uniform():
		fmt.Fprintf(b, "\nfail-under %.2f: missed by\n", *r.FailUnder)
		for _, t := range missed {
			b.WriteString(clip(fmt.Sprintf("  %s on %s (%.1f%%)", t.Variant, t.Scorer, t.PassRate*100), Width) + "\n")
		}
	case len(missed) == 0:
		fmt.Fprintf(b, "\nfail-under: every threshold met (%d checked)\n", len(r.Thresholds))
	default:
		fmt.Fprintf(b, "\nfail-under: %d of %d thresholds missed\n", len(missed), len(r.Thresholds))
		for _, t := range missed {
			line := fmt.Sprintf("  %s on %s: %s", t.Variant, t.Scorer, t.Text(r.Repeat))
			if len([]rune(line)) > Width {
				// The numbers matter more than the spec: they get a line.
				line = clip(fmt.Sprintf("  %s on %s:", t.Variant, t.Scorer), Width) + "\n    " + t.Text(r.Repeat)
			}
			b.WriteString(line + "\n")
		}
	}
}

func writeMarkdownThresholds(b *strings.Builder, r *Report) {
	missed := r.Missed()
	if len(missed) == 0 {
		return
	}
	if r.uniform() {
		fmt.Fprintf(b, "\n**Below --fail-under %.2f:**\n\n", missed[0].Min)
		for _, t := range missed {
			fmt.Fprintf(b, "- %s on `%s`: %.1f%%\n", mdCell(t.Variant), mdCode(t.Scorer), t.PassRate*100)
		}
		return
	}
	fmt.Fprintf(b, "\n**Below fail_under** (%d of %d thresholds):\n\n", len(missed), len(r.Thresholds))
	for _, t := range missed {
		fmt.Fprintf(b, "- %s on `%s`: %s\n", mdCell(t.Variant), mdCode(t.Scorer), t.Text(r.Repeat))
	}
}
