package workspace

import (
	"regexp"
	"strconv"
	"strings"
	"time"
)

// ScorerSpec is a parsed scorer spec such as "contains:refund": the kind,
// the text after the first colon, and that text read the way the kind
// reads it. Commit checks specs with it and the evaluation builds its
// scorers from it, so both agree on what a spec means.
type ScorerSpec struct {
	Spec string // as written
	Kind string // exact, contains, ..., cmd
	Arg  string // everything after the first colon

	Regexp  *regexp.Regexp // regex
	Min     float64        // similarity: the least similarity that passes
	Latency time.Duration  // max-latency
	USD     float64        // max-cost
	Ref     Ref            // judge: the rubric prompt
	Argv    []string       // cmd: the program and its arguments, split on spaces
}

// ScorerKinds lists the spec forms, for messages and help.
const ScorerKinds = "exact, contains:TEXT, icontains:TEXT, not-contains:TEXT, regex:RE, json, json-schema:FILE, similarity:MIN, max-latency:DURATION, max-cost:USD, judge:REF or cmd:PATH [ARGS]"

// ParseScorer parses a scorer spec, so that a typo fails at commit, not in
// the evaluation. Errors are ErrInvalid and name the spec.
func ParseScorer(spec string) (ScorerSpec, error) {
	kind, arg, _ := strings.Cut(spec, ":")
	s := ScorerSpec{Spec: spec, Kind: kind, Arg: arg}
	if msg, known := s.read(); !known {
		return s, Invalidf("scorer %q: unknown kind %q; use %s", spec, kind, ScorerKinds)
	} else if msg != "" {
		return s, Invalidf("scorer %q: %s", spec, msg)
	}
	return s, nil
}

// ValidateScorer checks a scorer spec; see ParseScorer.
func ValidateScorer(spec string) error {
	_, err := ParseScorer(spec)
	return err
}

// read fills the kind's typed value from Arg; msg says what is wrong with
// it, and known is false for a kind that does not exist.
func (s *ScorerSpec) read() (msg string, known bool) {
	arg := s.Arg
	switch s.Kind {
	case "exact", "json":
		if arg != "" {
			return "takes no value", true
		}
	case "contains", "icontains", "not-contains":
		if arg == "" {
			return "needs the text to look for", true
		}
	case "regex":
		if arg == "" {
			return "needs a pattern, e.g. regex:^yes", true
		}
		re, err := regexp.Compile(arg)
		if err != nil {
			return "pattern does not compile: " + err.Error(), true
		}
		s.Regexp = re
	case "json-schema":
		if arg == "" {
			return "needs a schema file, e.g. json-schema:schema.json", true
		}
	case "similarity":
		f, err := strconv.ParseFloat(arg, 64)
		if err != nil || f < 0 || f > 1 {
			return "needs a minimum between 0 and 1, e.g. similarity:0.8", true
		}
		s.Min = f
	case "max-latency":
		d, err := time.ParseDuration(arg)
		if err != nil || d <= 0 {
			return "needs a duration, e.g. max-latency:2s", true
		}
		s.Latency = d
	case "max-cost":
		f, err := strconv.ParseFloat(arg, 64)
		if err != nil || f < 0 || f != f {
			return "needs a USD amount, e.g. max-cost:0.01", true
		}
		s.USD = f
	case "judge":
		r, err := ParseRef(arg)
		if err != nil {
			return "needs the ref of a rubric prompt, e.g. judge:eval/judge-rubric@production", true
		}
		s.Ref = r
	case "cmd":
		s.Argv = strings.Fields(arg)
		if len(s.Argv) == 0 {
			return "needs a program, e.g. cmd:./score.sh", true
		}
	default:
		return "", false
	}
	return "", true
}
