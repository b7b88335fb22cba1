package report

import (
	"strings"
	"testing"
)

func TestParseGate(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want Gate
	}{
		{"0.8", Gate{Min: 0.8}},
		{"contains:refund=0.5", Gate{Scorer: "contains:refund", Min: 0.5}},
		{"contains:a=b=1", Gate{Scorer: "contains:a=b", Min: 1}},
		{"pass^k=0.7", Gate{PassAllK: true, Min: 0.7}},
		{"pass^k:icontains:billing=0.6", Gate{Scorer: "icontains:billing", PassAllK: true, Min: 0.6}},
	} {
		got, err := ParseGate(tt.in)
		if err != nil || got != tt.want {
			t.Errorf("ParseGate(%q) = %+v, %v; want %+v", tt.in, got, err, tt.want)
		}
		if back, _ := ParseGate(got.String()); back != got {
			t.Errorf("%q does not read back: %q", tt.in, got.String())
		}
	}
	for _, bad := range []string{"90", "-0.1", "x", "=0.5", "contains:x=high", "pass^k:=0.5", "NaN"} {
		if _, err := ParseGate(bad); err == nil {
			t.Errorf("ParseGate(%q) accepted", bad)
		}
	}
}

// TestGates: a gate naming a scorer wins over the one for every scorer;
// pass^k gates read the spread, or the pass rate without repeats.
func TestGates(t *testing.T) {
	vs := []Variant{{ID: "a", Scorers: []Scorer{
		{Spec: "s1", Judged: 10, PassRate: 0.6, Spread: &Spread{K: 3, PassAllK: 0.4}},
		{Spec: "s2", Judged: 10, PassRate: 0.9},
		{Spec: "num", Judged: 0},
	}}}
	gates := []Gate{{Min: 0.5}, {Scorer: "s2", Min: 0.95}, {Scorer: "s1", PassAllK: true, Min: 0.5}}
	got := thresholds(vs, gates)
	if len(got) != 3 {
		t.Fatalf("thresholds: %+v", got)
	}
	r := &Report{Repeat: 3, Thresholds: got, FailUnder: everyMin(gates)}
	var missed []string
	for _, m := range r.Missed() {
		missed = append(missed, m.Scorer+" "+m.Text(3))
	}
	want := "s1 pass^3 40.0% < 50.0%|s2 pass rate 90.0% < 95.0%"
	if strings.Join(missed, "|") != want {
		t.Fatalf("missed %q, want %q", strings.Join(missed, "|"), want)
	}
	var b strings.Builder
	writeThresholds(&b, r)
	if !strings.Contains(b.String(), "fail-under: 2 of 3 thresholds missed") || !strings.Contains(b.String(), "a on s2: pass rate 90.0% < 95.0%") {
		t.Fatalf("table section:\n%s", b.String())
	}
	// Without repeats pass^k is the pass rate.
	vs[0].Scorers[0].Spread = nil
	if th := thresholds(vs, []Gate{{PassAllK: true, Min: 0.55}}); len(th) != 2 || !th[0].Passed || *th[0].PassAllK != 0.6 {
		t.Fatalf("pass^k without repeats: %+v", th)
	}
}
