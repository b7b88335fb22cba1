package scorer

import (
	"context"
	"encoding/json"
	"errors"
	"math"
	"strings"
	"testing"
	"time"

	"promptbench/workspace"
)

func mustNew(t *testing.T, spec string, opt Options) *Scorer {
	t.Helper()
	s, err := New(context.Background(), spec, opt)
	if err != nil {
		t.Fatalf("New(%q): %v", spec, err)
	}
	return s
}

func score(t *testing.T, s *Scorer, in Input) Result {
	t.Helper()
	r, err := s.Score(context.Background(), in)
	if err != nil {
		t.Fatalf("%s: %v", s.Spec().Spec, err)
	}
	return r
}

func TestBuiltinScorers(t *testing.T) {
	cases := []struct {
		spec     string
		output   string
		expected any
		latency  time.Duration
		cost     float64
		pass     bool
		reason   string
	}{
		{"exact", "  billing\n", "billing", 0, 0, true, ""},
		{"exact", "Billing", "billing", 0, 0, false, `output "Billing" is not the expected "billing"`},
		{"exact", `{"b": [1, 2.0], "a": "x"}`, map[string]any{"a": "x", "b": []any{json.Number("1"), json.Number("2")}}, 0, 0, true, ""},
		{"exact", "42", json.Number("42"), 0, 0, true, ""},
		{"exact", "forty-two", json.Number("42"), 0, 0, false, "output is not JSON"},
		{"contains:refund", "We will refund you.", nil, 0, 0, true, ""},
		{"contains:refund", "We will Refund you.", nil, 0, 0, false, `does not contain "refund"`},
		{"icontains:REFUND", "We will Refund you.", nil, 0, 0, true, ""},
		{"icontains:straße", "STRASSE und STRAßE", nil, 0, 0, true, ""},
		{"not-contains:inconvenience", "Sorry for the inconvenience", nil, 0, 0, false, `contains "inconvenience" at byte 14`},
		{"not-contains:inconvenience", "Here is what to do.", nil, 0, 0, true, ""},
		{"regex:^(APPROVE|REQUEST CHANGES)$", "APPROVE", nil, 0, 0, true, ""},
		{"regex:(APPROVE|REQUEST CHANGES)", "Looks fine.\nAPPROVE", nil, 0, 0, true, ""},
		{"regex:^yes$", "yes!", nil, 0, 0, false, "does not match /^yes$/"},
		{"json", ` {"category": "bug"} `, nil, 0, 0, true, ""},
		{"json", "```json\n{}\n```", nil, 0, 0, false, "output is not JSON"},
		{"json", `{"a": 1} {"b": 2}`, nil, 0, 0, false, "unexpected text after the JSON value"},
		{"max-latency:2s", "", nil, 2 * time.Second, 0, true, ""},
		{"max-latency:2s", "", nil, 2001 * time.Millisecond, 0, false, "took 2.001s, over 2s"},
		{"max-cost:0.01", "", nil, 0, 0.01, true, ""},
		{"max-cost:0.01", "", nil, 0, 0.0125, false, "cost $0.012500, over $0.01"},
	}
	for _, c := range cases {
		t.Run(c.spec+" "+c.output, func(t *testing.T) {
			s := mustNew(t, c.spec, Options{})
			r := score(t, s, Input{Case: Case{ID: "r1", Expected: c.expected}, Output: c.output, Latency: c.latency, CostUSD: c.cost})
			if r.Pass == nil || *r.Pass != c.pass {
				t.Fatalf("pass = %v, want %v (reason %q)", r.Pass, c.pass, r.Reason)
			}
			if want := map[bool]float64{true: 1, false: 0}[c.pass]; r.Value != want {
				t.Errorf("value %v, want %v", r.Value, want)
			}
			if !strings.Contains(r.Reason, c.reason) || (c.reason == "" && r.Reason != "") {
				t.Errorf("reason %q, want %q", r.Reason, c.reason)
			}
		})
	}
}

func TestSimilarity(t *testing.T) {
	cases := []struct {
		a, b string
		want float64
	}{
		{"The cat sat.", "the CAT sat down!", 3.0 / 4},
		{"a a a b", "b a", 1},
		{"", "  ...  ", 1},
		{"words", "", 0},
		{"Zürich 2028", "zürich, 2028", 1},
		{"one two", "three four", 0},
	}
	for _, c := range cases {
		if got := Similarity(c.a, c.b); math.Abs(got-c.want) > 1e-12 {
			t.Errorf("Similarity(%q, %q) = %v, want %v", c.a, c.b, got, c.want)
		}
	}
	s := mustNew(t, "similarity:0.75", Options{})
	r := score(t, s, Input{Case: Case{Expected: "the CAT sat down!"}, Output: "The cat sat."})
	if r.Value != 0.75 || !*r.Pass {
		t.Errorf("at the minimum it passes: %+v", r)
	}
	r = score(t, s, Input{Case: Case{Expected: "a dog ran"}, Output: "The cat sat."})
	if *r.Pass || r.Reason != "similarity 0.000 is below 0.75" {
		t.Errorf("below the minimum: %+v", r)
	}
}

func TestMissingExpectedIsAScorerError(t *testing.T) {
	for _, spec := range []string{"exact", "similarity:0.5"} {
		s := mustNew(t, spec, Options{})
		if !s.NeedsExpected() {
			t.Errorf("%s must say it needs expected", spec)
		}
		_, err := s.Score(context.Background(), Input{Case: Case{ID: "r7"}, Output: "x"})
		var se *Error
		if !errors.As(err, &se) || !strings.Contains(err.Error(), "row r7 has no expected value") {
			t.Errorf("%s without expected: %v", spec, err)
		}
	}
}

func TestBadSpecs(t *testing.T) {
	for _, spec := range []string{"bogus", "regex:(", "similarity:1.5", "exact:x"} {
		if _, err := New(context.Background(), spec, Options{}); !errors.Is(err, workspace.ErrInvalid) {
			t.Errorf("New(%q) = %v, want ErrInvalid", spec, err)
		}
	}
	if _, err := New(context.Background(), "judge:eval/rubric", Options{}); !errors.Is(err, workspace.ErrInvalid) || !strings.Contains(err.Error(), "judge model") {
		t.Errorf("a judge without a judge model: %v", err)
	}
}

func TestToScore(t *testing.T) {
	s := mustNew(t, "contains:refund", Options{})
	at := time.Date(2026, 11, 30, 6, 0, 0, 0, time.UTC)
	got := s.ToScore(Result{Value: 0, Pass: passed(false), Reason: "no"}, at)
	if got.Name != "contains" || got.By != "contains:refund" || got.Comment != "no" || *got.Pass || !got.Time.Equal(at) {
		t.Errorf("ToScore = %+v", got)
	}
}
