package exportfile

import (
	"fmt"
	"strconv"
	"strings"

	"promptbench/workspace/ab"
)

// Experiment is one item of the file's experiments list: an A/B
// experiment between versions of one prompt, with the bucket ranges each
// variant owns (package ab), so that a reader assigns keys exactly as the
// workspace does without knowing how the weights got there.
type Experiment struct {
	Name     string              `yaml:"name"`
	Prompt   string              `yaml:"prompt"`
	KeyHint  string              `yaml:"key_hint"`
	Status   string              `yaml:"status"` // running | stopped
	Author   string              `yaml:"author"`
	Created  string              `yaml:"created"`
	Stopped  string              `yaml:"stopped"`
	Winner   string              `yaml:"winner"` // a variant's name, when stopped with one
	Variants []ExperimentVariant `yaml:"variants"`
}

// ExperimentVariant is one arm: the version it serves (number and hash,
// the hash being what import matches on), its weight in percent and its
// buckets as inclusive ranges "FROM-TO" of 0 to 9999.
type ExperimentVariant struct {
	Name    string   `yaml:"name"`
	Version int      `yaml:"version"`
	Hash    string   `yaml:"hash"`
	Weight  int      `yaml:"weight"`
	Buckets []string `yaml:"buckets"`
}

// FormatRange writes r as the file does: "FROM-TO", both inclusive.
func FormatRange(r ab.Range) string { return fmt.Sprintf("%d-%d", r.From, r.To-1) }

// ParseRanges reads a variant's buckets.
func ParseRanges(ss []string) ([]ab.Range, error) {
	out := make([]ab.Range, 0, len(ss))
	for _, s := range ss {
		a, b, ok := strings.Cut(s, "-")
		from, err1 := strconv.Atoi(a)
		to, err2 := strconv.Atoi(b)
		if !ok || err1 != nil || err2 != nil || from < 0 || to < from || to >= ab.Buckets {
			return nil, fmt.Errorf("bucket range %q is not FROM-TO with 0 ≤ FROM ≤ TO ≤ %d", s, ab.Buckets-1)
		}
		out = append(out, ab.Range{From: from, To: to + 1})
	}
	return out, nil
}

// Layout is the experiment's bucket layout, checked to give every bucket
// to exactly one variant.
func (e Experiment) Layout() (ab.Layout, error) {
	l := make(ab.Layout, len(e.Variants))
	for i, v := range e.Variants {
		rs, err := ParseRanges(v.Buckets)
		if err != nil {
			return nil, fmt.Errorf("variants[%d] (%s): %w", i, v.Name, err)
		}
		l[i] = rs
	}
	if err := l.Valid(); err != nil {
		return nil, err
	}
	return l, nil
}
