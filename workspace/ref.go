package workspace

import (
	"fmt"
	"strconv"
	"strings"
)

// Ref names a version: "name" (latest), "name@3" (number),
// "name@production" (label) or "name@a1b2c3" (hash prefix, 6+ hex chars).
type Ref struct {
	Name   string
	Number int    // > 0 for name@3
	Label  string // for name@production
	Hash   string // for name@a1b2c3 (lower-case hex prefix)
}

// String gives the ref as written.
func (r Ref) String() string {
	switch {
	case r.Number > 0:
		return fmt.Sprintf("%s@%d", r.Name, r.Number)
	case r.Label != "":
		return r.Name + "@" + r.Label
	case r.Hash != "":
		return r.Name + "@" + r.Hash
	}
	return r.Name
}

// ParseRef reads a ref. A part after @ made only of digits is a number; one
// of 6 to 64 hex characters holding at least one letter a-f and no label of
// that name is decided by the caller (ResolveRef tries the label first).
func ParseRef(s string) (Ref, error) {
	name, at, hasAt := strings.Cut(s, "@")
	if err := ValidateName(name); err != nil {
		return Ref{}, fmt.Errorf("ref %q: %w", s, err)
	}
	r := Ref{Name: name}
	if !hasAt {
		return r, nil
	}
	if at == "" {
		return Ref{}, Invalidf("ref %q has nothing after @; write name@3, name@production or name@<hash>", s)
	}
	if n, err := strconv.Atoi(at); err == nil && isDigits(at) {
		if n < 1 {
			return Ref{}, Invalidf("ref %q: versions are numbered from 1", s)
		}
		r.Number = n
		return r, nil
	}
	if isHexPrefix(at) {
		r.Hash = at
		return r, nil
	}
	if err := ValidateLabel(at); err != nil {
		return Ref{}, fmt.Errorf("ref %q: %w", s, err)
	}
	r.Label = at
	return r, nil
}

func isDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}

// isHexPrefix accepts 6 to 64 lower-case hex characters with at least one
// digit, so that labels made of the letters a-f ("faded") stay labels.
func isHexPrefix(s string) bool {
	if len(s) < 6 || len(s) > 64 {
		return false
	}
	digit := false
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			digit = true
		case r >= 'a' && r <= 'f':
		default:
			return false
		}
	}
	return digit
}
