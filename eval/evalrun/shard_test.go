package evalrun

import (
	"context"
	"errors"
	"strings"
	"testing"

	"promptbench/eval/report"
	"promptbench/eval/scorer"
	"promptbench/workspace"
)

func TestParseShard(t *testing.T) {
	for in, want := range map[string]Shard{"1/1": {1, 1}, "2/4": {2, 4}, " 4/4 ": {4, 4}} {
		if got, err := ParseShard(in); err != nil || got != want {
			t.Errorf("ParseShard(%q) = %v, %v", in, got, err)
		}
	}
	for _, bad := range []string{"", "0/3", "4/3", "1/0", "-1/3", "x/3", "1-3", "1/3/4"} {
		if _, err := ParseShard(bad); err == nil {
			t.Errorf("ParseShard(%q) accepted", bad)
		}
	}
	if s := (Shard{2, 5}).String(); s != "2/5" {
		t.Errorf("String %q", s)
	}
}

// TestCheckGates: a threshold on a scorer no variant has is refused, as
// bad input naming the scorers there are.
func TestCheckGates(t *testing.T) {
	sc, err := scorer.New(context.Background(), "contains:x", scorer.Options{})
	if err != nil {
		t.Fatal(err)
	}
	vs := []variantSpec{{scorers: []*scorer.Scorer{sc}}}
	if err := checkGates([]report.Gate{{Min: 0.5}, {Scorer: "contains:x", PassAllK: true, Min: 1}}, vs); err != nil {
		t.Fatal(err)
	}
	err = checkGates([]report.Gate{{Scorer: "contains:y", Min: 0.5}}, vs)
	if !errors.Is(err, workspace.ErrInvalid) || !strings.Contains(err.Error(), "contains:y=0.5 names a scorer no variant has; the scorers are: contains:x") {
		t.Fatalf("%v", err)
	}
}
