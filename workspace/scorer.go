package workspace

import (
	"regexp"
	"strconv"
	"strings"
	"time"
)

// scorerKinds are the scorer specs DESIGN.md names; the value after the
// colon is checked by each kind's rule.
var scorerKinds = map[string]func(arg string) string{
	"exact":        noArg,
	"json":         noArg,
	"contains":     needText,
	"icontains":    needText,
	"not-contains": needText,
	"regex": func(arg string) string {
		if arg == "" {
			return "needs a pattern, e.g. regex:^yes"
		}
		if _, err := regexp.Compile(arg); err != nil {
			return "pattern does not compile: " + err.Error()
		}
		return ""
	},
	"json-schema": func(arg string) string {
		if arg == "" {
			return "needs a schema file, e.g. json-schema:schema.json"
		}
		return ""
	},
	"similarity": func(arg string) string {
		f, err := strconv.ParseFloat(arg, 64)
		if err != nil || f < 0 || f > 1 {
			return "needs a minimum between 0 and 1, e.g. similarity:0.8"
		}
		return ""
	},
	"max-latency": func(arg string) string {
		if d, err := time.ParseDuration(arg); err != nil || d <= 0 {
			return "needs a duration, e.g. max-latency:2s"
		}
		return ""
	},
	"max-cost": func(arg string) string {
		if f, err := strconv.ParseFloat(arg, 64); err != nil || f < 0 {
			return "needs a USD amount, e.g. max-cost:0.01"
		}
		return ""
	},
	"judge": func(arg string) string {
		if _, err := ParseRef(arg); err != nil {
			return "needs the ref of a rubric prompt, e.g. judge:eval/judge-rubric@production"
		}
		return ""
	},
	"cmd": func(arg string) string {
		if arg == "" {
			return "needs a program, e.g. cmd:./score.sh"
		}
		return ""
	},
}

func noArg(arg string) string {
	if arg != "" {
		return "takes no value"
	}
	return ""
}

func needText(arg string) string {
	if arg == "" {
		return "needs the text to look for"
	}
	return ""
}

// ValidateScorer checks a scorer spec such as "contains:refund" or
// "similarity:0.8", so that a typo fails at commit, not in the evaluation.
func ValidateScorer(spec string) error {
	kind, arg, _ := strings.Cut(spec, ":")
	check, ok := scorerKinds[kind]
	if !ok {
		return invalidf("scorer %q: unknown kind %q; use exact, contains:TEXT, icontains:TEXT, not-contains:TEXT, regex:RE, json, json-schema:FILE, similarity:MIN, max-latency:DURATION, max-cost:USD, judge:REF or cmd:PATH", spec, kind)
	}
	if msg := check(arg); msg != "" {
		return invalidf("scorer %q: %s", spec, msg)
	}
	return nil
}
