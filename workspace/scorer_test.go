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
