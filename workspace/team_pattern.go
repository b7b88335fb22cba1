package workspace

import (
	"regexp"
	"strings"
)

// PromptPattern matches prompt names as CODEOWNERS patterns match paths:
// "*" is any run of characters within one folder part, "?" one character,
// and a "**" part any number of folder parts (support/** is everything
// under support/; **/draft any prompt named draft in any folder).
type PromptPattern struct {
	text string
	re   *regexp.Regexp
}

// ParsePromptPattern checks and compiles a pattern; the error names it.
func ParsePromptPattern(s string) (PromptPattern, error) {
	if s == "" {
		return PromptPattern{}, Invalidf("empty prompt pattern")
	}
	var re strings.Builder
	re.WriteString("^")
	parts := strings.Split(s, "/")
	for i, part := range parts {
		if part == "" {
			return PromptPattern{}, Invalidf("prompt pattern %q has an empty folder part; do not start or end with / or write //", s)
		}
		last := i == len(parts)-1
		if part == "**" {
			if last {
				re.WriteString(".*")
			} else {
				re.WriteString("(?:[^/]+/)*")
			}
			continue
		}
		for j, r := range part {
			switch {
			case r == '*' && j+1 < len(part) && part[j+1] == '*', r == '*' && j > 0 && part[j-1] == '*':
				return PromptPattern{}, Invalidf("prompt pattern %q: ** must be a whole folder part (support/**, **/draft)", s)
			case r == '*':
				re.WriteString("[^/]*")
			case r == '?':
				re.WriteString("[^/]")
			case isSlugRune(r):
				re.WriteString(regexp.QuoteMeta(string(r)))
			default:
				return PromptPattern{}, Invalidf("prompt pattern %q has %q; use prompt-name characters (a-z, 0-9, -, _), / between folders, * ? and **", s, r)
			}
		}
		if !last {
			re.WriteString("/")
		}
	}
	re.WriteString("$")
	return PromptPattern{text: s, re: regexp.MustCompile(re.String())}, nil
}

// Match tells whether the pattern matches a prompt name.
func (p PromptPattern) Match(name string) bool { return p.re != nil && p.re.MatchString(name) }

func (p PromptPattern) String() string { return p.text }
