package workspace

import (
	"errors"
	"testing"
)

func TestValidateScorer(t *testing.T) {
	good := []string{"exact", "json", "contains:refund", "icontains:Refund", "not-contains:sorry",
		"regex:^(yes|no)$", "json-schema:s.json", "similarity:0.8", "max-latency:2s", "max-cost:0.01",
		"judge:eval/judge-rubric@production", "cmd:./score.sh", "contains:a:b"}
	for _, s := range good {
		if err := ValidateScorer(s); err != nil {
			t.Errorf("ValidateScorer(%q) = %v", s, err)
		}
	}
	bad := []string{"bogus", "", "exact:x", "contains:", "regex:(", "similarity:2", "similarity:x",
		"max-latency:soon", "max-cost:-1", "judge:Bad Ref", "cmd:"}
	for _, s := range bad {
		if err := ValidateScorer(s); !errors.Is(err, ErrInvalid) {
			t.Errorf("ValidateScorer(%q) = %v, want ErrInvalid", s, err)
		}
	}
}

func TestParseScorerValues(t *testing.T) {
	s, err := ParseScorer("cmd:./score.py --strict  -v")
	if err != nil || len(s.Argv) != 3 || s.Argv[0] != "./score.py" || s.Argv[2] != "-v" {
		t.Errorf("cmd spec = %+v, %v", s, err)
	}
	if s, _ := ParseScorer("contains:a:b"); s.Kind != "contains" || s.Arg != "a:b" {
		t.Errorf("the text is everything after the first colon: %+v", s)
	}
	if s, _ := ParseScorer("similarity:0.75"); s.Min != 0.75 {
		t.Errorf("similarity min = %v", s.Min)
	}
	if s, _ := ParseScorer("max-latency:1500ms"); s.Latency.Milliseconds() != 1500 {
		t.Errorf("latency = %v", s.Latency)
	}
	if s, _ := ParseScorer("judge:eval/judge-rubric@production"); s.Ref.Name != "eval/judge-rubric" || s.Ref.Label != "production" {
		t.Errorf("judge ref = %+v", s.Ref)
	}
	if s, _ := ParseScorer("regex:^y"); s.Regexp == nil || !s.Regexp.MatchString("yes") {
		t.Errorf("regex = %v", s.Regexp)
	}
	if err := ValidateScorer("max-cost:NaN"); !errors.Is(err, ErrInvalid) {
		t.Errorf("max-cost:NaN = %v, want ErrInvalid", err)
	}
}
